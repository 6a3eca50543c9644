package config_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
)

func withState(state string) []byte {
	return []byte(strings.Replace(valid, "  dir: out\n", "  dir: out\n  state: \""+state+"\"\n", 1))
}

func TestStateDefaultsToASQLiteFileInTheMirror(t *testing.T) {
	cfg, err := config.Parse(filepath.Join(t.TempDir(), "c.yaml"), []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.StatePath(); got != filepath.Join(cfg.Output.Dir, ".newsmirror", "state.db") {
		t.Errorf("state path = %q", got)
	}
	if got := cfg.LocalStatePath("-hits.json"); got != cfg.StatePath()+"-hits.json" {
		t.Errorf("local state file = %q, want beside the database", got)
	}
}

func TestStateMayBeAPostgreSQLAddressWithItsPasswordFromTheEnvironment(t *testing.T) {
	t.Setenv("NM_PGPASSWORD", "p@ss:w/rd")
	t.Setenv("NM_PGHOST", "db.example:5432")
	cfg, err := config.Parse("c.yaml", withState("postgres://mirror:${NM_PGPASSWORD}@${NM_PGHOST}/news?sslmode=require"))
	if err != nil {
		t.Fatal(err)
	}
	want := "postgres://mirror:p%40ss%3Aw%2Frd@db.example:5432/news?sslmode=require"
	if got := cfg.StatePath(); got != want {
		t.Errorf("state = %q, want %q (the password escaped, the host as is)", got, want)
	}
	if got := cfg.LocalStatePath("-hits.json"); got != filepath.Join(cfg.Output.Dir, ".newsmirror", "state-hits.json") {
		t.Errorf("local state file = %q, want in the mirror's .newsmirror folder", got)
	}
}

func TestABadPostgreSQLAddressIsAnErrorThatHidesThePassword(t *testing.T) {
	for _, state := range []string{
		"postgres://mirror:s3cret@/news",           // no host
		"postgres://mirror:s3cret@db.example",      // no database
		"postgres://mirror:s3cret@db.example:x/db", // bad port
	} {
		_, err := config.Parse("c.yaml", withState(state))
		if err == nil || !strings.Contains(err.Error(), "output.state") {
			t.Errorf("%s: error %v, want one at output.state", state, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the error shows the password: %v", state, err)
		}
	}
}
