// Package storetest gives tests a fresh state store on each backend the
// store runs on: a SQLite file in the test's temporary folder, and a
// PostgreSQL schema created for the test on the server named by
// $NEWSMIRROR_TEST_POSTGRES and dropped when the test ends. Without that
// variable the PostgreSQL half fails under CI=true and is skipped
// otherwise (see testfix.Postgres). Every test gets its own tables, so
// tests may run in parallel and leave nothing behind.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/testfix"
)

// Backend is one engine the store runs on.
type Backend struct {
	// Name is the store's name for it: "sqlite" or "postgres".
	Name string
	// State returns the state setting (a path or an address) of a new,
	// empty database that lives as long as t.
	State func(t testing.TB) string
}

// Backends lists SQLite and PostgreSQL, in that order.
func Backends() []Backend {
	return []Backend{
		{Name: "sqlite", State: SQLiteState},
		{Name: "postgres", State: PostgresState},
	}
}

// Each runs f once per backend, as parallel subtests named for it, each
// with a fresh store on its backend.
func Each(t *testing.T, f func(t *testing.T, db *store.Store)) {
	t.Helper()
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f(t, b.Open(t))
		})
	}
}

// Open opens a fresh store on b, closed when t ends.
func (b Backend) Open(t testing.TB) *store.Store {
	t.Helper()
	db, err := store.Open(context.Background(), b.State(t))
	if err != nil {
		t.Fatalf("open a fresh %s store: %v", b.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SQLiteState returns the path of a new SQLite file in t's temporary
// folder.
func SQLiteState(t testing.TB) string {
	return filepath.Join(t.TempDir(), "state.db")
}

// PostgresState returns the address of a new, empty PostgreSQL schema on
// the test server (the address's search_path names it, so the store's
// tables go there), dropped with everything in it when t ends. A schema
// rather than a database: creating one takes milliseconds, not a second.
func PostgresState(t testing.TB) string {
	t.Helper()
	admin := testfix.Postgres(t)
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s is not an address: %v", testfix.EnvPostgres, err)
	}
	name := "newsmirror_test_" + randomHex(t, 8)
	exec(t, admin, `CREATE SCHEMA `+name)
	t.Cleanup(func() { exec(t, admin, `DROP SCHEMA IF EXISTS `+name+` CASCADE`) })
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// exec runs one statement on the server's administrative database.
func exec(t testing.TB, admin, statement string) {
	t.Helper()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("connect to %s: %v", store.Redact(admin), err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), statement); err != nil {
		t.Fatalf("%s on %s: %v", statement, store.Redact(admin), err)
	}
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
