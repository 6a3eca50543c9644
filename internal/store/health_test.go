package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func TestFeedHealthCountsConsecutiveFailuresUntilASuccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
		feed := func(items int, msg string, at time.Time) store.Event {
			e := store.Event{Subject: store.SubjectFeed, Source: "s", Channel: "c", OK: 1, Items: items, At: at}
			if msg != "" {
				e.OK, e.Failed, e.Items, e.Err = 0, 1, -1, msg
			}
			return e
		}
		must(t, db.RecordHealth(ctx, feed(20, "", t0)))
		must(t, db.RecordHealth(ctx, feed(0, "HTTP 500", t0.Add(time.Hour))))
		must(t, db.RecordHealth(ctx, feed(0, "HTTP 502", t0.Add(2*time.Hour))))
		must(t, db.RecordHealth(ctx, store.Event{Subject: store.SubjectFeed, Source: "s", Channel: "d", Failed: 1, Err: "not JSON", At: t0}))
		hs, err := db.Health(ctx)
		if err != nil || len(hs) != 2 {
			t.Fatalf("health = %+v, %v", hs, err)
		}
		c := hs.Of(store.SubjectFeed, "s", "c")
		if c.Streak != 2 || c.LastError != "HTTP 502" || c.Items != 20 || !c.LastSuccess.Equal(t0) || !c.Failing() {
			t.Errorf("after two failures: %+v", c)
		}
		// A 304 (items < 0) is a success that keeps the item count.
		must(t, db.RecordHealth(ctx, feed(-1, "", t0.Add(3*time.Hour))))
		hs, _ = db.Health(ctx)
		if c := hs.Of(store.SubjectFeed, "s", "c"); c.Streak != 0 || c.Items != 20 || c.Failing() || c.LastError != "HTTP 502" || c.OK != 2 {
			t.Errorf("after a 304: %+v", c)
		}
	})
}

func TestHealthKeepsSubjectsApartAndSumsThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		now := time.Now()
		must(t, db.RecordHealth(ctx, store.Event{Subject: store.SubjectExtract, Source: "s", Channel: "c", OK: 1, At: now}))
		must(t, db.RecordHealth(ctx, store.Event{Subject: store.SubjectExtract, Source: "s", Channel: "c", Fallbacks: 1, Err: "body matched nothing", URL: "http://x/2", At: now}))
		must(t, db.RecordHealth(ctx, store.Event{Subject: store.SubjectExtract, Source: "s", Channel: "c", OK: 1, At: now}))
		must(t, db.RecordHealth(ctx, store.Event{Subject: store.SubjectImages, Source: "s", OK: 3, Failed: 2, Err: "HTTP 404", At: now}))
		must(t, db.RecordHealth(ctx, store.Event{Subject: store.SubjectImages, Source: "s", OK: 1, At: now}))
		hs, err := db.Health(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ex := hs.Of(store.SubjectExtract, "s", "c")
		if ex.OK != 2 || ex.Fallbacks != 1 || ex.LastURL != "http://x/2" || ex.Alert() == "" {
			t.Errorf("extract health %+v, alert %q", ex, ex.Alert())
		}
		im := hs.Of(store.SubjectImages, "s", "")
		if im.OK != 4 || im.Failed != 2 || im.LastError != "HTTP 404" {
			t.Errorf("image health %+v", im)
		}
		if none := hs.Of(store.SubjectFeed, "s", "c"); none.OK != 0 || none.Source != "s" {
			t.Errorf("unrecorded health %+v", none)
		}
	})
}

// TestHealthMigrationKeepsTheThreeOldTables opens a database of the schema
// before the one health table, fills its three tables, and checks that the
// migration carried every row over.
func TestHealthMigrationKeepsTheThreeOldTables(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { testHealthMigration(t, b.State(t)) })
	}
}

func testHealthMigration(t *testing.T, path string) {
	ctx := context.Background()
	old, err := store.OpenAt(ctx, path, 6)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO channel_health VALUES ('s', 'c', 100, 200, 'HTTP 503', 2, 17)`,
		`INSERT INTO extract_health VALUES ('s', 'c', 9, 1, 2, 'selector missed', 'http://x/7', 300)`,
		`INSERT INTO image_health VALUES ('s', 40, 3, 'HTTP 404', 400)`,
	} {
		if _, err := old.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	hs, err := db.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f := hs.Of(store.SubjectFeed, "s", "c"); f.Streak != 2 || f.Items != 17 || f.LastError != "HTTP 503" || f.LastSuccess.Unix() != 100 || f.LastFailure.Unix() != 200 {
		t.Errorf("feed %+v", f)
	}
	if e := hs.Of(store.SubjectExtract, "s", "c"); e.OK != 9 || e.Fallbacks != 1 || e.Failed != 2 || e.LastURL != "http://x/7" || e.LastError != "selector missed" {
		t.Errorf("extract %+v", e)
	}
	if i := hs.Of(store.SubjectImages, "s", ""); i.OK != 40 || i.Failed != 3 || i.LastError != "HTTP 404" {
		t.Errorf("images %+v", i)
	}
}
