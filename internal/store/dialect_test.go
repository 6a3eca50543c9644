package store

import "testing"

func TestDollarsNumbersPlaceholdersAsSQLiteDoes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT a FROM t WHERE b = ? AND c = ?`, `SELECT a FROM t WHERE b = $1 AND c = $2`},
		{`VALUES (?1, ?2, CASE WHEN ?3 = '' THEN ?2 ELSE 0 END)`, `VALUES ($1, $2, CASE WHEN $3 = '' THEN $2 ELSE 0 END)`},
		{`WHERE x = '?' AND "odd?name" = ?`, `WHERE x = '?' AND "odd?name" = $1`},
		{`WHERE a = 'it''s ?' AND b = ?`, `WHERE a = 'it''s ?' AND b = $1`},
		{`WHERE a = ?2 AND b = ?`, `WHERE a = $2 AND b = $3`},
		{`SELECT 1`, `SELECT 1`},
	} {
		if got := dollars(c.in); got != c.want {
			t.Errorf("dollars(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEveryDialectHasTheSameNumberOfMigrations(t *testing.T) {
	if len(sqliteMigrations) != len(postgresMigrations) {
		t.Errorf("%d SQLite migrations, %d PostgreSQL ones: a schema version must mean the same tables on both",
			len(sqliteMigrations), len(postgresMigrations))
	}
}

func TestRedactHidesThePassword(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://nm:s3cret@db.example:5432/nm?sslmode=require": "postgres://nm:xxxxx@db.example:5432/nm?sslmode=require",
		"postgresql://nm@db/nm?password=s3cret":                   "postgresql://nm@db/nm?password=xxxxx",
		"/var/lib/newsmirror/state.db":                            "/var/lib/newsmirror/state.db",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
