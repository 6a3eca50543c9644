// Package store keeps the mirror's state: every article seen, its page and
// whether it is committed, plus page hits, the health of sources and what
// was pushed. It is the only package that speaks SQL.
//
// The state lives in SQLite (a file, the default) or in PostgreSQL (a
// postgres:// address, for several hosts sharing one state). Statements
// are written once, in the SQL both read, with SQLite's ? and ?N
// placeholders; the dialect rebinds them for PostgreSQL once per
// statement and holds the few fragments that differ.
//
// Migrations are one ordered list per dialect (sqliteMigrations,
// postgresMigrations), not one portable list: the shipped SQLite list
// must never change, SQLite's types and ALTER TABLE differ from
// PostgreSQL's (INTEGER is 64-bit in SQLite, 32-bit in PostgreSQL), and a
// portable list would have to be written in the narrow SQL both accept or
// be translated at run time. The lists have the same length and entry i
// makes the same change in each, so a schema version names the same
// tables on both and an export of one imports into the other. A new
// table or column is appended to every list.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver
)

// Store is an open state database. It is safe for concurrent use.
type Store struct {
	db conn
	d  *dialect
	// fence is the lease every write transaction checks first (Fence).
	fence *Lease
}

// Open opens the state database and migrates it: state is the path of a
// SQLite file (created if needed) or the address of a PostgreSQL database
// ("postgres://user:password@host/db"), see IsPostgres.
func Open(ctx context.Context, state string) (*Store, error) {
	if IsPostgres(state) {
		return openPostgres(ctx, state, len(postgresMigrations))
	}
	return openAt(ctx, state, len(sqliteMigrations))
}

// openAt opens the SQLite database at path migrated to schema version
// target.
func openAt(ctx context.Context, path string, target int) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: conn{DB: db, d: sqliteDialect}, d: sqliteDialect}
	if err := s.migrateTo(ctx, target); err != nil {
		db.Close()
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	s.cacheStatements()
	return s, nil
}

// cacheStatements makes the store prepare each statement once and reuse
// it. Only after the migrations: they run once, and a schema change
// prepared before it applies would not prepare.
func (s *Store) cacheStatements() { s.db.stmts = newStmtCache(s.db.DB) }

// Close closes the database and the statements prepared on it.
func (s *Store) Close() error { return errors.Join(s.db.stmts.Close(), s.db.Close()) }

// Backend names the engine the state lives in: "sqlite" or "postgres".
func (s *Store) Backend() string { return s.d.name }

// tx runs fn in one transaction, committed if fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(txn) error) error {
	return s.txFenced(ctx, true, fn)
}

// txFenced runs fn in a transaction, checking the fence first when fenced.
func (s *Store) txFenced(ctx context.Context, fenced bool, fn func(txn) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t := txn{tx, s.d, s.db.stmts}
	// Statements first met in this transaction are prepared once it
	// ends and its connection is free.
	defer s.db.stmts.prepareWanted(ctx)
	if fenced {
		if err := s.checkFence(ctx, t); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
