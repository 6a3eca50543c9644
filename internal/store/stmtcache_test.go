package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// nthArticle is the i-th article of a test's channel.
func nthArticle(i int) store.Article {
	return store.Article{URL: fmt.Sprintf("https://news.example/%d.html", i), Source: "s", Channel: "c",
		ID: fmt.Sprint(i), Title: fmt.Sprintf("标题 %d", i), Published: t0, Mirrored: t0,
		Hash: fmt.Sprintf("%064x", i), Path: fmt.Sprintf("pages/c/%d.md", i)}
}

func TestStorePreparesEachStatementOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.SaveMirrored(ctx, nthArticle(1), false, []string{"assets/aa/1.jpg"}))
		if _, err := db.Lookup(ctx, nthArticle(1).URL); err != nil {
			t.Fatal(err)
		}
		n := store.CachedStatements(db)
		if n == 0 {
			t.Fatal("no statement cached after a write and a look-up")
		}
		for i := 2; i < 20; i++ {
			must(t, db.SaveMirrored(ctx, nthArticle(i), false, []string{fmt.Sprintf("assets/aa/%d.jpg", i)}))
			if k, err := db.Lookup(ctx, nthArticle(i).URL); err != nil || k.State != "pending" {
				t.Fatalf("look-up %d = %+v, %v", i, k, err)
			}
		}
		if got := store.CachedStatements(db); got != n {
			t.Errorf("%d statements cached after 18 more writes and look-ups, %d after the first", got, n)
		}
	})
}

func TestCachedStatementsSurviveLostConnections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		for i := range 3 {
			must(t, db.SaveMirrored(ctx, nthArticle(i), false, nil))
			if k, err := db.Lookup(ctx, nthArticle(i).URL); err != nil || k.Path != nthArticle(i).Path {
				t.Fatalf("look-up %d = %+v, %v", i, k, err)
			}
			// The statements were prepared on a connection now gone.
			store.DropConnections(db)
		}
		paths, err := db.Channel(ctx, "c", 10)
		if err != nil || len(paths) != 3 {
			t.Fatalf("channel = %d articles, %v; want 3", len(paths), err)
		}
	})
}

func TestCachedStatementsServeConcurrentCallers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		const workers, each = 4, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := w * each; i < (w+1)*each; i++ {
					if err := db.SaveMirrored(ctx, nthArticle(i), false, []string{fmt.Sprintf("assets/%02d/%d.jpg", w, i)}); err != nil {
						errs <- err
						return
					}
					k, err := db.Lookup(ctx, nthArticle(i).URL)
					if err == nil && k.Path != nthArticle(i).Path {
						err = fmt.Errorf("look-up %d found %q", i, k.Path)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		list, err := db.Channel(ctx, "c", 1000)
		if err != nil || len(list) != workers*each {
			t.Fatalf("channel = %d articles, %v; want %d", len(list), err, workers*each)
		}
	})
}

func TestClosedStoreFailsWithCachedStatements(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(ctx, b.State(t))
			if err != nil {
				t.Fatal(err)
			}
			must(t, db.SaveMirrored(ctx, nthArticle(1), false, nil))
			if _, err := db.Lookup(ctx, nthArticle(1).URL); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			if n := store.CachedStatements(db); n != 0 {
				t.Errorf("%d statements still cached after Close", n)
			}
			if _, err := db.Lookup(ctx, nthArticle(1).URL); err == nil {
				t.Error("a look-up on a closed store succeeded")
			}
			if err := db.SaveMirrored(ctx, nthArticle(2), false, nil); err == nil {
				t.Error("a write on a closed store succeeded")
			}
		})
	}
}

// A statement that was running on a session the server ends fails, with
// the cache as without it; the next ones run on new sessions, the cached
// statements prepared again there.
func TestCachedStatementsSurvivePostgresRestart(t *testing.T) {
	ctx := context.Background()
	state := storetest.PostgresState(t)
	app := fmt.Sprintf("newsmirror-test-%d", time.Now().UnixNano())
	db, err := store.Open(ctx, state+"&application_name="+app)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	admin, err := sql.Open("pgx", state)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for i := range 3 {
		a := nthArticle(i)
		if err := retried(func() error { return db.SaveMirrored(ctx, a, false, nil) }); err != nil {
			t.Fatalf("write %d after the sessions ended: %v", i, err)
		}
		if k, err := db.Lookup(ctx, a.URL); err != nil || k.Path != a.Path {
			t.Fatalf("look-up %d = %+v, %v", i, k, err)
		}
		// The server ends the store's sessions, as a restart or a
		// fail-over does; their prepared statements go with them.
		var n int
		err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n)
		if err != nil || n == 0 {
			t.Fatalf("end the store's sessions: %d ended, %v", n, err)
		}
	}
	var list []store.Article
	err = retried(func() (err error) { list, err = db.Channel(ctx, "c", 10); return err })
	if err != nil || len(list) != 3 {
		t.Fatalf("channel = %d articles, %v; want 3", len(list), err)
	}
}

// retried runs f until it succeeds, at most three times: each of the
// store's ended sessions fails the one statement that finds it ended.
func retried(f func() error) error {
	var err error
	for range 3 {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}
