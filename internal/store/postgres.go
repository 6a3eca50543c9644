package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
)

// IsPostgres reports whether state is the address of a PostgreSQL
// database (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgres(state string) bool {
	return strings.HasPrefix(state, "postgres://") || strings.HasPrefix(state, "postgresql://")
}

// Redact returns state with any password replaced, for messages: a
// PostgreSQL address's password never reaches a log.
func Redact(state string) string {
	if !IsPostgres(state) {
		return state
	}
	u, err := url.Parse(state)
	if err != nil {
		// Not an address url can read: keep only its scheme and host part.
		scheme, rest, _ := strings.Cut(state, "://")
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = "xxxxx" + rest[at:]
		}
		return scheme + "://" + rest
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// poolSize is how many connections a PostgreSQL store keeps open at most.
const poolSize = 8

// openPostgres opens the PostgreSQL database at dsn migrated to schema
// version target. An unreachable server is an error now, not at the first
// statement.
func openPostgres(ctx context.Context, dsn string, target int) (*Store, error) {
	name := Redact(dsn)
	db, err := sql.Open(postgresDialect.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", name, err)
	}
	db.SetMaxOpenConns(poolSize)
	db.SetMaxIdleConns(poolSize)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: database unreachable: %w", name, redactError(err, dsn))
	}
	s := &Store{db: conn{DB: db, d: postgresDialect}, d: postgresDialect}
	if err := s.migrateTo(ctx, target); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w", name, err)
	}
	s.cacheStatements()
	return s, nil
}

// redactError is err with dsn's password taken out of its message,
// should the driver have quoted it; errors.Is and As still see err.
func redactError(err error, dsn string) error {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return &redactedError{msg, err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Reach checks, without changing anything, that the state can be opened:
// a PostgreSQL database answers and holds no schema newer than this
// program's. A SQLite file is created on first use, so there is nothing to
// reach.
func Reach(ctx context.Context, state string) error {
	if !IsPostgres(state) {
		return nil
	}
	name := Redact(state)
	db, err := sql.Open(postgresDialect.driver, state)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer db.Close()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("%s: database unreachable: %w", name, redactError(err, state))
	}
	var v int
	err = db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM newsmirror_schema`).Scan(&v)
	if err != nil {
		// No schema yet (the first run creates it): a table to read
		// is all that is missing.
		var exists bool
		if e := db.QueryRowContext(ctx, `SELECT to_regclass('newsmirror_schema') IS NOT NULL`).Scan(&exists); e == nil && !exists {
			return nil
		}
		return fmt.Errorf("%s: read schema version: %w", name, redactError(err, state))
	}
	if n := len(postgresMigrations); v > n {
		return fmt.Errorf("%s: schema version %d is newer than this program (%d): upgrade newsmirror", name, v, n)
	}
	return nil
}
