package store_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
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
	articles := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, `{"_table":"articles"`) })
	if !strings.Contains(lines[0], `"commit":"c0ffee"`) || articles < 0 || !strings.Contains(lines[articles], `"url":"http://x.test/a"`) {
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

func TestExportFilesSplitByDayKeepUntouchedDays(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { testExportFilesByDay(t, b) })
	}
}

func testExportFilesByDay(t *testing.T, b storetest.Backend) {
	ctx := context.Background()
	db := b.Open(t)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	save := func(id string, d int, assets ...string) {
		t.Helper()
		a := store.Article{URL: "http://x.test/" + id, Source: "s", Channel: "ch", ID: id, Title: "标题 <" + id + ">",
			Published: day(d), Mirrored: day(d), Hash: "h" + id, Path: "pages/ch/" + id + ".md"}
		if err := db.SaveMirrored(ctx, a, false, assets); err != nil {
			t.Fatal(err)
		}
	}
	save("a1", 1, "assets/a1.jpg")
	save("b1", 2, "assets/b1.jpg", "assets/shared.jpg")
	save("b2", 2)
	db.Committed(ctx)
	db.RecordHealth(ctx, store.Event{Subject: store.SubjectFeed, Source: "s", Channel: "ch", OK: 1, At: day(2)})
	first, err := db.ExportFiles(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(first)); !slices.Equal(got, []string{"days/2026-03/01.jsonl", "days/2026-03/02.jsonl", store.MainFile}) {
		t.Fatalf("files %q", got)
	}
	if f := string(first["days/2026-03/02.jsonl"]); !strings.Contains(f, `"asset":"assets/shared.jpg","page":"pages/ch/b1.md"`) || !strings.Contains(f, `"path":"assets/shared.jpg"`) {
		t.Errorf("a page's assets are not in its day's file:\n%s", f)
	}

	// A sync: an article of March 3rd using the shared image, March 1st's
	// retired; March 2nd is left alone.
	save("c1", 3, "assets/shared.jpg")
	if _, err := db.Expire(ctx, "ch", 3, func(p string) []string { return []string{p} }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SweepAssets(ctx); err != nil {
		t.Fatal(err)
	}
	db.Committed(ctx)
	db.RecordHealth(ctx, store.Event{Subject: store.SubjectFeed, Source: "s", Channel: "ch", OK: 1, At: day(3)})
	second, err := db.ExportFiles(ctx, "c2")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first["days/2026-03/02.jsonl"], second["days/2026-03/02.jsonl"]) {
		t.Errorf("March 2nd changed:\n%s\nthen\n%s", first["days/2026-03/02.jsonl"], second["days/2026-03/02.jsonl"])
	}
	if f := string(second["days/2026-03/01.jsonl"]); f != `{"_table":"articles","channel":"ch","id":"a1","published":1772355600,"source":"s","state":"removed","url":"http://x.test/a1"}`+"\n" {
		t.Errorf("March 1st after retiring a1 (a tombstone keeps its day, its assets are gone):\n%s", f)
	}
	if _, ok := second["days/2026-03/03.jsonl"]; !ok || bytes.Equal(first[store.MainFile], second[store.MainFile]) {
		t.Errorf("no file for March 3rd, or the main file did not change: %q", slices.Sorted(maps.Keys(second)))
	}

	// The files import back to the same state; one missing is refused.
	copyDB := b.Open(t)
	if h, err := copyDB.ImportFiles(ctx, second); err != nil || h.Commit != "c2" || h.Rows == 0 {
		t.Fatalf("import: %+v, %v", h, err)
	}
	back, _ := copyDB.ExportFiles(ctx, "c2")
	if !maps.EqualFunc(back, second, bytes.Equal) {
		t.Errorf("export of the import differs:\n%q\nwant\n%q", back, second)
	}
	cut := maps.Clone(second)
	delete(cut, "days/2026-03/02.jsonl")
	lost := b.Open(t)
	if _, err := lost.ImportFiles(ctx, cut); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("import with a day missing: %v, want an error", err)
	}
	if live, _ := lost.LivePaths(ctx); len(live) != 0 {
		t.Errorf("rows left after a refused import: %v", live)
	}
}
