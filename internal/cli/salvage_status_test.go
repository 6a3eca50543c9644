package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/store"
)

func TestStatusShowsWhatWasSalvagedFromABrokenFeed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(`output: {dir: out}
sources:
  - id: xw
    rules: {body: div}
    channels:
      - {id: yw, name: 要闻, feed: "http://news.example.test/rss.xml"}
`), 0o644)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "out", ".newsmirror", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.RecordHealth(ctx, store.Event{Subject: store.SubjectFeed, Source: "xw", Channel: "yw", OK: 1, Items: 12,
		Warning: "feed truncated in item 13: kept 12 complete items", At: time.Now()})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := run(t, "status", "-c", path)
	if code != cli.ExitOK {
		t.Errorf("exit %d, want %d: a salvaged feed was read\n%s%s", code, cli.ExitOK, stdout, stderr)
	}
	want := "warnings (1):\n  xw/yw: feed salvaged on its last read: feed truncated in item 13: kept 12 complete items\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("status lacks %q:\n%s", want, stdout)
	}
}
