package store_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

func filledStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
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
	ctx := context.Background()
	db := filledStore(t)
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

	copyDB, err := store.Open(ctx, filepath.Join(t.TempDir(), "copy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
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
	ctx := context.Background()
	for name, text := range map[string]string{
		"newer schema":  `{"_table":"newsmirror-state","format":1,"schema":9999,"commit":""}` + "\n",
		"not an export": `{"url":"http://x.test/a"}` + "\n",
		"bad json":      `{"_table":"newsmirror-state","format":1,"schema":1,"commit":""}` + "\n{\"_table\":\"articles\",\n",
		"unknown table": `{"_table":"newsmirror-state","format":1,"schema":1,"commit":""}` + "\n" + `{"_table":"sqlite_master","name":"x"}` + "\n",
		"empty":         "",
	} {
		db, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Import(ctx, strings.NewReader(text)); err == nil {
			t.Errorf("%s: imported", name)
		}
		if n, _ := db.LivePaths(ctx); len(n) != 0 {
			t.Errorf("%s: rows left after a failed import", name)
		}
		db.Close()
	}
}
