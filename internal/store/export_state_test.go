package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func filledStore(t *testing.T, b storetest.Backend) *store.Store {
	t.Helper()
	ctx := context.Background()
	db := b.Open(t)
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i, u := range []string{"http://x.test/b", "http://x.test/a", "http://x.test/c"} {
		id := string(rune('1' + i))
		a := store.Article{URL: u, Source: "s", Channel: "ch", ID: id, Title: "标题 " + id, Published: at, Mirrored: at, Hash: "h" + id, Path: "pages/ch/" + id + ".md"}
		if err := db.SaveMirrored(ctx, a, i == 1, []string{"assets/ab/ab" + id + ".jpg"}); err != nil {
			t.Fatal(err)
		}
	}
	db.Committed(ctx)
	if _, err := db.Expire(ctx, "ch", 2, func(p string) []string { return []string{p} }); err != nil {
		t.Fatal(err)
	}
	db.Committed(ctx)
	db.SaveFailure(ctx, store.Failure{URL: "http://x.test/gone", Source: "s", Channel: "ch", Host: "x.test", Reason: "HTTP 404", Class: store.Permanent, At: at})
	db.HostDown(ctx, "down.test", at, "connection refused", func(int) time.Duration { return time.Hour })
	db.RecordHealth(ctx, store.Event{Subject: store.SubjectFeed, Source: "s", Channel: "ch", Failed: 1, Items: -1, Err: "HTTP 503", At: at})
	return db
}

func TestExportIsSortedStableAndRoundTrips(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { testExportRoundTrip(t, b, b) })
	}
}

// TestExportMovesStateBetweenBackends exports a SQLite state and imports
// it into PostgreSQL and back: a schema version names the same tables on
// both, and the export is the same bytes.
func TestExportMovesStateBetweenBackends(t *testing.T) {
	bs := storetest.Backends()
	t.Run("sqlite to postgres", func(t *testing.T) { testExportRoundTrip(t, bs[0], bs[1]) })
	t.Run("postgres to sqlite", func(t *testing.T) { testExportRoundTrip(t, bs[1], bs[0]) })
}

func testExportRoundTrip(t *testing.T, from, to storetest.Backend) {
	ctx := context.Background()
	db := filledStore(t, from)
	var first, again bytes.Buffer
	if err := db.Export(ctx, &first, "c0ffee"); err != nil {
		t.Fatal(err)
	}
	db.Export(ctx, &again, "c0ffee")
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Error("two exports of one state differ")
	}
	lines := strings.Split(strings.TrimSuffix(first.String(), "\n"), "\n")
	if !strings.Contains(lines[0], `"commit":"c0ffee"`) || !strings.Contains(lines[1], `"url":"http://x.test/a"`) {
		t.Errorf("header or order wrong:\n%s", first.String())
	}
	if strings.Contains(first.String(), `"error":""`) || strings.Contains(first.String(), `"attempts":0`) {
		t.Errorf("zero values exported:\n%s", first.String())
	}

	copyDB := to.Open(t)
	h, err := copyDB.Import(ctx, bytes.NewReader(first.Bytes()))
	if err != nil || h.Commit != "c0ffee" {
		t.Fatalf("import: %+v, %v", h, err)
	}
	var back bytes.Buffer
	copyDB.Export(ctx, &back, "c0ffee")
	if back.String() != first.String() {
		t.Errorf("export of the import differs:\n%s\nwant\n%s", back.String(), first.String())
	}
	// What the run decides on comes back: the tombstone, the give-up
	// clock, the host's backoff, the feed's failure streak.
	if k, _ := copyDB.Lookup(ctx, "http://x.test/b"); k.State != store.Removed {
		t.Errorf("retired article imported as %q", k.State)
	}
	if k, _ := copyDB.Lookup(ctx, "http://x.test/gone"); k.Class != store.Permanent || k.FirstFailed.IsZero() {
		t.Errorf("failure imported as %+v", k)
	}
	if hosts, _ := copyDB.Hosts(ctx); hosts["down.test"].NotBefore.IsZero() {
		t.Errorf("host backoff lost: %+v", hosts)
	}
	if hs, _ := copyDB.Health(ctx); hs.Of(store.SubjectFeed, "s", "ch").Streak != 1 {
		t.Error("feed failure streak lost")
	}
	if _, err := copyDB.Import(ctx, bytes.NewReader(first.Bytes())); !errors.Is(err, store.ErrNotEmpty) {
		t.Errorf("second import: %v, want ErrNotEmpty", err)
	}
}

func TestImportRefusesNewerSchemaAndBadLines(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { testImportRefuses(t, b) })
	}
}

func testImportRefuses(t *testing.T, b storetest.Backend) {
	ctx := context.Background()
	for name, text := range map[string]string{
		"newer schema":  `{"_table":"newsmirror-state","format":1,"schema":9999,"commit":""}` + "\n",
		"not an export": `{"url":"http://x.test/a"}` + "\n",
		"bad json":      `{"_table":"newsmirror-state","format":1,"schema":1,"commit":""}` + "\n{\"_table\":\"articles\",\n",
		"unknown table": `{"_table":"newsmirror-state","format":1,"schema":1,"commit":""}` + "\n" + `{"_table":"sqlite_master","name":"x"}` + "\n",
		"empty":         "",
	} {
		db := b.Open(t)
		if _, err := db.Import(ctx, strings.NewReader(text)); err == nil {
			t.Errorf("%s: imported", name)
		}
		if n, _ := db.LivePaths(ctx); len(n) != 0 {
			t.Errorf("%s: rows left after a failed import", name)
		}
	}
}
