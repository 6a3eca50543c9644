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
		return nil, fmt.Errorf("open state %s: database unreachable: %s", name, redactError(err, dsn))
	}
	s := &Store{db: conn{db, postgresDialect}, d: postgresDialect}
	if err := s.migrateTo(ctx, target); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w", name, err)
	}
	return s, nil
}

// redactError is err's message without dsn's password, should the driver
// have quoted it.
func redactError(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}
