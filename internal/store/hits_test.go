package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func TestHitBatchSentTwiceCountsOnce(t *testing.T) {
	storetest.Each(t, testHitBatchSentTwiceCountsOnce)
}

func testHitBatchSentTwiceCountsOnce(t *testing.T, db *store.Store) {
	ctx := context.Background()
	hour := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	batch := []store.HitCount{{Path: "pages/a/1.md", Hour: hour, Count: 3}, {Path: "pages/a/2.md", Hour: hour, Count: 1}}
	id := store.BatchID{Host: "counter-a/1f2e", Seq: 1}
	for i, want := range []bool{true, false, false} {
		applied, err := db.AddHitBatch(ctx, id, hour, batch)
		if err != nil || applied != want {
			t.Fatalf("send %d: applied %v, %v; want %v", i+1, applied, err, want)
		}
	}
	// The same sequence number from another instance is another batch.
	if applied, err := db.AddHitBatch(ctx, store.BatchID{Host: "counter-b/77aa", Seq: 1}, hour, batch[:1]); err != nil || !applied {
		t.Fatalf("other host's batch: applied %v, %v", applied, err)
	}
	for path, want := range map[string]int64{"pages/a/1.md": 6, "pages/a/2.md": 1} {
		if got, err := db.Hits(ctx, path, hour); err != nil || got != want {
			t.Errorf("%s: %d hits, %v; want %d", path, got, err, want)
		}
	}
}

func TestPruneHitsForgetsOldBatchIDs(t *testing.T) {
	storetest.Each(t, testPruneHitsForgetsOldBatchIDs)
}

func testPruneHitsForgetsOldBatchIDs(t *testing.T, db *store.Store) {
	ctx := context.Background()
	old := time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)
	id := store.BatchID{Host: "counter-a/1f2e", Seq: 9}
	batch := []store.HitCount{{Path: "pages/a/1.md", Hour: old, Count: 2}}
	if _, err := db.AddHitBatch(ctx, id, old, batch); err != nil {
		t.Fatal(err)
	}
	if n, err := db.PruneHits(ctx, old.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("pruned %d rows, %v; want 1", n, err)
	}
	// Both the counts and the id are gone: the id is no longer remembered.
	if applied, err := db.AddHitBatch(ctx, id, old, batch); err != nil || !applied {
		t.Errorf("batch after its id was pruned: applied %v, %v", applied, err)
	}
}

func TestPingAnswersWhileOpenAndFailsWhenClosed(t *testing.T) {
	storetest.Each(t, testPingAnswersWhileOpenAndFailsWhenClosed)
}

func testPingAnswersWhileOpenAndFailsWhenClosed(t *testing.T, db *store.Store) {
	ctx := context.Background()
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("ping an open database: %v", err)
	}
	db.Close()
	if err := db.Ping(ctx); err == nil {
		t.Fatal("ping a closed database: no error")
	}
}

// Counters write batches sharing pages and hours at the same moment, each
// listing them in its own order: every batch is written, none waits for
// ever or is chosen as a deadlock's victim.
func TestConcurrentHitBatchesOverSharedRowsAllCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		hour := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
		var counts []store.HitCount
		for i := range 300 {
			counts = append(counts, store.HitCount{Path: fmt.Sprintf("pages/c%d/%d.md", i%7, i), Hour: hour.Add(time.Duration(i%3) * time.Hour), Count: 1})
		}
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(w), 1))
				for seq := range 5 {
					mine := slices.Clone(counts)
					r.Shuffle(len(mine), func(i, j int) { mine[i], mine[j] = mine[j], mine[i] })
					if _, err := db.AddHitBatch(ctx, store.BatchID{Host: fmt.Sprintf("counter-%d", w), Seq: int64(seq + 1)}, hour, mine); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if n, err := db.Hits(ctx, "pages/c0/0.md", hour); err != nil || n != 20 {
			t.Errorf("hits of one shared row = %d, %v; want 4 counters × 5 batches", n, err)
		}
	})
}

func TestAddHitsSumsRepeatedRowsAndTakesLongBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		hour := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
		var batch []store.HitCount
		for i := range 1300 {
			batch = append(batch, store.HitCount{Path: fmt.Sprintf("pages/c/%d.md", i), Hour: hour, Count: 2})
		}
		batch = append(batch, store.HitCount{Path: "pages/c/7.md", Hour: hour.Add(30 * time.Minute), Count: 5}) // the same row
		if err := db.AddHits(ctx, batch); err != nil {
			t.Fatal(err)
		}
		total, files, err := db.HitTotal(ctx, hour)
		if err != nil || total != 2605 || files != 1300 {
			t.Errorf("total %d hits on %d files, %v; want 2605 on 1300", total, files, err)
		}
		if n, _ := db.Hits(ctx, "pages/c/7.md", hour); n != 7 {
			t.Errorf("hits of the row given twice = %d, want 7", n)
		}
	})
}
