package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect is what differs between the SQL engines the store runs on. The
// statements are written once, in SQL both engines read, with SQLite's
// placeholders (? and ?N); a dialect that numbers its placeholders
// differently rebinds each statement once. What cannot be written once
// (the schema's types, the schema version's home, letter case) is here.
type dialect struct {
	name   string // "sqlite" or "postgres"
	driver string // the database/sql driver
	// migrations is the dialect's ordered list of schema changes. Every
	// dialect's list has the same length, entry i making the same change,
	// so that a schema version means the same tables on each (an export
	// of one imports into the other).
	migrations []string
	// dollar says placeholders are $1, $2... rather than ?, ?N.
	dollar bool
	// unlimited is the LIMIT that means no limit.
	unlimited string
	// lock is run first in each migration's transaction: it makes hosts
	// opening one database at once migrate it one after the other.
	lock string
	// version reads the schema version; setVersion (a format taking the
	// version) records it.
	version    string
	setVersion string
	// foldEq compares column to one placeholder, ASCII letter case aside.
	foldEq func(column string) string
	// columns lists a table's (the placeholder) columns as name, type,
	// whether NOT NULL without a default, leaving out generated ones.
	columns string
	// unique reports whether err broke a unique constraint.
	unique func(err error) bool
	// bound caches statements rebound to the dialect's placeholders.
	bound sync.Map
}

var sqliteDialect = &dialect{
	name:       "sqlite",
	driver:     "sqlite",
	migrations: sqliteMigrations,
	unlimited:  "-1",
	version:    `PRAGMA user_version`,
	setVersion: `PRAGMA user_version = %d`,
	foldEq:     func(c string) string { return c + ` = ? COLLATE NOCASE` },
	columns:    `SELECT name, type, "notnull" AND dflt_value IS NULL FROM pragma_table_info(?) ORDER BY cid`,
	unique: func(err error) bool {
		return strings.Contains(err.Error(), "UNIQUE constraint failed")
	},
}

// schemaLock is the advisory lock key migrations take on PostgreSQL.
const schemaLock = 0x6e65_7773 // "news"

var postgresDialect = &dialect{
	name:       "postgres",
	driver:     "pgx",
	migrations: postgresMigrations,
	dollar:     true,
	unlimited:  "ALL",
	lock: fmt.Sprintf(`SELECT pg_advisory_xact_lock(%d);
		CREATE TABLE IF NOT EXISTS newsmirror_schema (version BIGINT NOT NULL)`, schemaLock),
	version:    `SELECT COALESCE(MAX(version), 0) FROM newsmirror_schema`,
	setVersion: `DELETE FROM newsmirror_schema; INSERT INTO newsmirror_schema (version) VALUES (%d)`,
	// lower() in the "C" collation folds ASCII letters only, as
	// SQLite's NOCASE does.
	foldEq: func(c string) string {
		return `lower(` + c + ` COLLATE "C") = lower(CAST(? AS TEXT) COLLATE "C")`
	},
	columns: `SELECT column_name, data_type, is_nullable = 'NO' AND column_default IS NULL
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'NO'
		ORDER BY ordinal_position`,
	unique: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505"
	},
}

// bind rewrites query for the dialect's placeholders.
func (d *dialect) bind(query string) string {
	if !d.dollar {
		return query
	}
	if q, ok := d.bound.Load(query); ok {
		return q.(string)
	}
	q := dollars(query)
	d.bound.Store(query, q)
	return q
}

// dollars rewrites SQLite's placeholders as PostgreSQL's: ?N becomes $N
// and a bare ? the next number after the largest so far, as SQLite counts
// them. Quoted strings and names are left alone.
func dollars(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 8)
	var quote byte
	last := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n := last + 1
			if j > i+1 {
				n, _ = strconv.Atoi(query[i+1 : j])
			}
			last = max(last, n)
			b.WriteString("$" + strconv.Itoa(n))
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// conn is the database, speaking the dialect. Its statements are
// prepared once and reused (stmts; nil: each is prepared on every call).
type conn struct {
	*sql.DB
	d     *dialect
	stmts *stmtCache
}

func (c conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = c.d.bind(query)
	if st := c.stmts.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.DB.ExecContext(ctx, query, args...)
}

func (c conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = c.d.bind(query)
	if st := c.stmts.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.DB.QueryContext(ctx, query, args...)
}

func (c conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query = c.d.bind(query)
	if st := c.stmts.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.DB.QueryRowContext(ctx, query, args...)
}

// txn is a transaction, speaking the dialect. It runs the statements the
// cache holds as prepared on its connection.
type txn struct {
	*sql.Tx
	d     *dialect
	stmts *stmtCache
}

// stmt is query's cached statement, bound to the transaction, or nil.
func (t txn) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := t.stmts.inTx(query); st != nil {
		return t.Tx.StmtContext(ctx, st)
	}
	return nil
}

func (t txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = t.d.bind(query)
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = t.d.bind(query)
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query = t.d.bind(query)
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t txn) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, t.d.bind(query))
}
