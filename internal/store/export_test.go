package store

import (
	"context"
	"database/sql"
)

// OpenAt opens the database at path migrated only to schema version v, so
// that a test can fill the tables of an older schema.
func OpenAt(ctx context.Context, path string, v int) (*Store, error) { return openAt(ctx, path, v) }

// Exec runs a statement, for filling an older schema's tables.
func (s *Store) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, query, args...)
}
