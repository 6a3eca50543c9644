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

// HoldFenced runs a fenced write transaction that stays open until
// release is closed (or ctx ends), signalling began once the fence is
// checked; it returns the transaction's error.
func (s *Store) HoldFenced(ctx context.Context, began chan<- struct{}, release <-chan struct{}) error {
	return s.tx(ctx, func(tx txn) error {
		if err := journal(ctx, tx, OpWrite, "pages/held.md"); err != nil {
			return err
		}
		close(began)
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	})
}

// SchemaVersion is this program's schema version.
var SchemaVersion = len(sqliteMigrations)

// CachedStatements is how many prepared statements s holds.
func CachedStatements(s *Store) int {
	c := s.db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, st := range c.stmts {
		if st != nil {
			n++
		}
	}
	return n
}

// DropConnections closes s's idle connections, as a lost server or a
// restarted one would: the next statements run on new connections.
func DropConnections(s *Store) {
	s.db.SetMaxIdleConns(0)
	s.db.SetMaxIdleConns(2)
}
