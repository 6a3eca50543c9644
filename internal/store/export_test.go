package store

import (
	"context"
	"database/sql"
)

// OpenAt opens the database at state migrated only to schema version v,
// so that a test can fill the tables of an older schema.
func OpenAt(ctx context.Context, state string, v int) (*Store, error) {
	if IsPostgres(state) {
		return openPostgres(ctx, state, v)
	}
	return openAt(ctx, state, v)
}

// Exec runs a statement, for filling an older schema's tables.
func (s *Store) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, query, args...)
}
