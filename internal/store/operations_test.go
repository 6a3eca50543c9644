package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

var t0 = time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)

func article(url, channel, id string, published time.Time) store.Article {
	return store.Article{URL: url, Source: "s", Channel: channel, ID: id, Title: "标题 " + id,
		Published: published, Mirrored: t0, Hash: "h-" + id, Path: "pages/" + channel + "/" + id + ".md"}
}

func urls(as []store.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.URL)
	}
	return out
}

func TestChannelListsNewestFirstAndBreaksTiesByInsertion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.SavePending(ctx, article("http://x/old", "c", "old", t0.Add(-time.Hour))))
		must(t, db.SavePending(ctx, article("http://x/first", "c", "first", t0)))
		must(t, db.SavePending(ctx, article("http://x/second", "c", "second", t0)))
		must(t, db.SavePending(ctx, article("http://x/other", "d", "other", t0)))
		all, err := db.Channel(ctx, "c", 0)
		if want := []string{"http://x/second", "http://x/first", "http://x/old"}; err != nil || !slices.Equal(urls(all), want) {
			t.Errorf("channel = %v, %v; want %v", urls(all), err, want)
		}
		two, err := db.Channel(ctx, "c", 2)
		if err != nil || len(two) != 2 || two[0].Title != "标题 second" || !two[0].Published.Equal(t0) {
			t.Errorf("first two = %+v, %v", two, err)
		}
	})
}

func TestTextSortsByItsBytes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		for _, id := range []string{"b", "B", "a", "Z", "中"} {
			must(t, db.SavePending(ctx, article("http://x/"+id, "c", id, t0)))
		}
		paths, err := db.PendingPaths(ctx)
		want := []string{"pages/c/B.md", "pages/c/Z.md", "pages/c/a.md", "pages/c/b.md", "pages/c/中.md"}
		if err != nil || !slices.Equal(paths, want) {
			t.Errorf("pending paths = %v, %v; want %v", paths, err, want)
		}
	})
}

func TestPageOwnersFoldsASCIILetterCaseOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.SavePending(ctx, article("http://x/1", "c", "Report-A", t0)))
		must(t, db.SavePending(ctx, article("http://x/2", "c", "é", t0)))
		for id, want := range map[string][]string{
			"report-a": {"http://x/1"},
			"REPORT-A": {"http://x/1"},
			"É":        nil, // not an ASCII letter: SQLite's NOCASE keeps it apart
			"é":        {"http://x/2"},
			"report_a": nil,
		} {
			got, err := db.PageOwners(ctx, "c", id)
			if err != nil || !slices.Equal(got, want) {
				t.Errorf("owners of %q = %v, %v; want %v", id, got, err, want)
			}
		}
	})
}

func TestSavePendingRefusesASecondURLUnderOneID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.SavePending(ctx, article("http://x/1", "c", "same", t0)))
		err := db.SavePending(ctx, article("http://x/2", "c", "same", t0))
		if !errors.Is(err, store.ErrDuplicateID) {
			t.Errorf("second URL under one id: %v, want ErrDuplicateID", err)
		}
		// Another channel may use the id.
		must(t, db.SavePending(ctx, article("http://x/3", "d", "same", t0)))
	})
}

func TestACommittedPageStaysCommittedUntilItsBodyChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		a := article("http://x/1", "c", "1", t0)
		must(t, db.SaveMirrored(ctx, a, true, nil))
		must(t, db.Committed(ctx))
		must(t, db.SavePending(ctx, a))
		if k, err := db.Lookup(ctx, a.URL); err != nil || k.State != store.Committed {
			t.Errorf("same body again: %+v, %v", k, err)
		}
		a.Hash = "changed"
		must(t, db.SavePending(ctx, a))
		if k, err := db.Lookup(ctx, a.URL); err != nil || k.State != store.Pending || k.Hash != "changed" || k.Path != a.Path {
			t.Errorf("new body: %+v, %v", k, err)
		}
		if k, err := db.Lookup(ctx, "http://x/unknown"); err != nil || k.State != "" {
			t.Errorf("unknown URL: %+v, %v", k, err)
		}
	})
}

func TestPermanentFailuresAreGivenUpAfterTheAgeAndTransientOnesNever(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		gone := store.Failure{URL: "http://x/gone", Source: "s", Channel: "c", Host: "x", Title: "旧闻",
			Published: t0.Add(-time.Hour), Reason: "HTTP 404", Class: store.Permanent, At: t0}
		must(t, db.SaveFailure(ctx, gone))
		later := gone
		later.At, later.Title, later.Published, later.Reason = t0.Add(48*time.Hour), "", time.Time{}, "HTTP 410"
		must(t, db.SaveFailure(ctx, later))
		must(t, db.SaveFailure(ctx, store.Failure{URL: "http://x/down", Source: "s", Channel: "c", Host: "y",
			Reason: "connection refused", Class: store.Transient, At: t0}))
		// A mirrored page whose update failed is left alone.
		must(t, db.SavePending(ctx, article("http://x/ok", "c", "ok", t0)))
		must(t, db.SaveFailure(ctx, store.Failure{URL: "http://x/ok", Source: "s", Channel: "c", Reason: "timeout", Class: store.Transient, At: t0}))

		k, err := db.Lookup(ctx, gone.URL)
		if err != nil || k.State != store.Failed || k.Attempts != 2 || k.Class != store.Permanent ||
			!k.FirstFailed.Equal(t0) || k.Title != "旧闻" {
			t.Errorf("permanent failure = %+v, %v", k, err)
		}
		if !k.Done(t0.Add(24*time.Hour)) || k.Done(t0.Add(-time.Second)) {
			t.Error("the give-up age is not measured from the first permanent failure")
		}
		if k, _ := db.Lookup(ctx, "http://x/ok"); k.State != store.Pending {
			t.Errorf("a failed update changed the mirrored page: %+v", k)
		}
		if n, err := db.Retrying(ctx, "c", t0.Add(24*time.Hour)); err != nil || n != 1 {
			t.Errorf("retrying after the give-up = %d, %v; want the transient one", n, err)
		}
		if n, err := db.Retrying(ctx, "c", t0.Add(-time.Hour)); err != nil || n != 2 {
			t.Errorf("retrying before the give-up = %d, %v; want 2", n, err)
		}

		req, err := db.Requeue(ctx, "c", []string{gone.URL})
		if err != nil || len(req) != 1 || req[0].URL != gone.URL || req[0].Title != "旧闻" || !req[0].Published.Equal(t0.Add(-time.Hour)) {
			t.Fatalf("requeue = %+v, %v", req, err)
		}
		q, err := db.Queued(ctx, "c")
		if err != nil || len(q) != 1 || q[0].URL != gone.URL {
			t.Errorf("queued = %+v, %v", q, err)
		}
		if k, _ := db.Lookup(ctx, gone.URL); k.Attempts != 0 || !k.FirstFailed.IsZero() || k.Done(t0.Add(1000*time.Hour)) {
			t.Errorf("requeued article kept its give-up clock: %+v", k)
		}
		all, err := db.Requeue(ctx, "", nil)
		if err != nil || len(all) != 2 {
			t.Errorf("requeue all = %+v, %v", all, err)
		}
	})
}

func TestHostsDownBackOffLongerEachRunUntilUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		backoff := func(streak int) time.Duration { return time.Duration(streak) * time.Hour }
		h, err := db.HostDown(ctx, "x.test", t0, "refused", backoff)
		if err != nil || h.Streak != 1 || !h.NotBefore.Equal(t0.Add(time.Hour)) {
			t.Fatalf("first down = %+v, %v", h, err)
		}
		h, err = db.HostDown(ctx, "x.test", t0.Add(2*time.Hour), "timeout", backoff)
		if err != nil || h.Streak != 2 || !h.DownSince.Equal(t0) || !h.NotBefore.Equal(t0.Add(4*time.Hour)) {
			t.Fatalf("second down = %+v, %v", h, err)
		}
		hosts, err := db.Hosts(ctx)
		if got := hosts["x.test"]; err != nil || len(hosts) != 1 || got.LastError != "timeout" || got.Streak != 2 || !got.DownSince.Equal(t0) {
			t.Errorf("hosts = %+v, %v", hosts, err)
		}
		must(t, db.HostUp(ctx, "x.test"))
		if hosts, err := db.Hosts(ctx); err != nil || len(hosts) != 0 {
			t.Errorf("hosts after up = %+v, %v", hosts, err)
		}
	})
}

func TestHitsAddUpPerPageAndHourAndTheHotListCountsLivePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		a, b := article("http://x/a", "c", "a", t0), article("http://x/b", "c", "b", t0)
		must(t, db.SavePending(ctx, a))
		must(t, db.SavePending(ctx, b))
		hour := t0.Truncate(time.Hour)
		must(t, db.AddHits(ctx, []store.HitCount{{a.Path, hour, 3}, {b.Path, hour, 5}, {"index.html", hour, 9}}))
		must(t, db.AddHits(ctx, []store.HitCount{{a.Path, hour, 4}, {a.Path, hour.Add(-48 * time.Hour), 100}}))
		hot, err := db.HotPages(ctx, hour, 10)
		want := []store.Hot{{a.Path, a.Title, 7}, {b.Path, b.Title, 5}}
		if err != nil || !slices.Equal(hot, want) {
			t.Errorf("hot = %+v, %v; want %+v", hot, err, want)
		}
		if n, err := db.Hits(ctx, a.Path, hour.Add(-72*time.Hour)); err != nil || n != 107 {
			t.Errorf("hits of a = %d, %v", n, err)
		}
		if n, files, err := db.HitTotal(ctx, hour); err != nil || n != 21 || files != 3 {
			t.Errorf("hit total = %d on %d files, %v", n, files, err)
		}
		if n, err := db.PruneHits(ctx, hour.Add(-time.Hour)); err != nil || n != 1 {
			t.Errorf("pruned %d, %v; want the old hour's row", n, err)
		}
		live, err := db.LivePaths(ctx)
		slices.Sort(live)
		if err != nil || !slices.Equal(live, []string{a.Path, b.Path}) {
			t.Errorf("live = %v, %v", live, err)
		}
	})
}

func TestExpireTombstonesTheOldestAndJournalsTheirFilesUntilCommitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		for i, id := range []string{"1", "2", "3"} {
			must(t, db.SavePending(ctx, article("http://x/"+id, "c", id, t0.Add(time.Duration(i)*time.Hour))))
		}
		must(t, db.JournalWrites(ctx, []string{"index.html"}))
		pages, err := db.Expire(ctx, "c", 1, func(p string) []string { return []string{p, p + ".png"} })
		if want := []string{"pages/c/2.md", "pages/c/1.md"}; err != nil || !slices.Equal(pages, want) {
			t.Fatalf("expired %v, %v; want %v", pages, err, want)
		}
		j, err := db.Journal(ctx)
		want := []store.Entry{{"index.html", store.OpWrite}, {"pages/c/1.md", store.OpRemove}, {"pages/c/1.md.png", store.OpRemove},
			{"pages/c/2.md", store.OpRemove}, {"pages/c/2.md.png", store.OpRemove}}
		if err != nil || !slices.Equal(j, want) {
			t.Errorf("journal = %+v, %v", j, err)
		}
		if k, _ := db.Lookup(ctx, "http://x/1"); !k.Done(t0) || k.State != store.Removed {
			t.Errorf("expired article = %+v", k)
		}
		if p, ok, err := db.Mirrored(ctx, []string{"http://x/1", "http://x/3"}); err != nil || !ok || p != "pages/c/3.md" {
			t.Errorf("mirrored = %q, %v, %v", p, ok, err)
		}
		if _, ok, err := db.Mirrored(ctx, []string{"http://x/2"}); err != nil || ok {
			t.Errorf("a tombstone is mirrored: %v, %v", ok, err)
		}
		must(t, db.Committed(ctx))
		if j, err := db.Journal(ctx); err != nil || len(j) != 0 {
			t.Errorf("journal after commit = %+v, %v", j, err)
		}
		if p, err := db.PendingPaths(ctx); err != nil || len(p) != 0 {
			t.Errorf("pending after commit = %v, %v", p, err)
		}
	})
}

func TestAFailedPushKeepsTheLastCommitPushed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.SavePush(ctx, "origin", t0, "c0ffee", ""))
		must(t, db.SavePush(ctx, "origin", t0.Add(time.Hour), "decade", "connection reset"))
		must(t, db.SavePush(ctx, "backup", t0, "", "no such host"))
		ps, err := db.Pushes(ctx)
		if err != nil || len(ps) != 2 {
			t.Fatalf("pushes = %+v, %v", ps, err)
		}
		b, o := ps[0], ps[1]
		if o.Remote != "origin" || o.Pushed != "c0ffee" || !o.LastSuccess.Equal(t0) || !o.LastAttempt.Equal(t0.Add(time.Hour)) || o.LastError != "connection reset" {
			t.Errorf("origin = %+v", o)
		}
		if b.Remote != "backup" || !b.LastSuccess.IsZero() || b.Pushed != "" {
			t.Errorf("backup = %+v", b)
		}
	})
}

func TestChannelArticlesSumUpWhatStatusShows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.SaveMirrored(ctx, article("http://x/1", "c", "1", t0), false, nil))
		newest := article("http://x/2", "c", "2", t0)
		newest.Mirrored = t0.Add(time.Hour)
		must(t, db.SaveMirrored(ctx, newest, true, nil))
		must(t, db.SaveFailure(ctx, store.Failure{URL: "http://x/404", Source: "s", Channel: "c", Host: "x", Reason: "HTTP 404", Class: store.Permanent, At: t0.Add(-72 * time.Hour)}))
		must(t, db.SaveFailure(ctx, store.Failure{URL: "http://y/down", Source: "s", Channel: "c", Host: "y", Reason: "refused", Class: store.Transient, At: t0.Add(2 * time.Hour)}))
		if _, err := db.HostDown(ctx, "y", t0.Add(-time.Hour), "refused", func(int) time.Duration { return time.Hour }); err != nil {
			t.Fatal(err)
		}
		stats, err := db.ChannelArticles(ctx, t0.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		st := stats["c"]
		if st.Live != 2 || st.Retrying != 1 || st.HostDown != 1 || !st.DownSince.Equal(t0.Add(-time.Hour)) ||
			st.GaveUp != 1 || !st.GaveUpSince.Equal(t0.Add(-72*time.Hour)) || st.GaveUpError != "HTTP 404" ||
			!st.LastPage.Equal(t0.Add(time.Hour)) || !st.LastFailure.Equal(t0.Add(2*time.Hour)) || st.LastFailureError != "refused" ||
			st.FallbackPages != 1 || !st.NewestByFallback {
			t.Errorf("stats = %+v", st)
		}
	})
}

func TestAdoptRecordsAMissedPageAndRetireGoneTombstonesLostOnes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.SavePending(ctx, article("http://x/kept", "c", "kept", t0)))
		must(t, db.SavePending(ctx, article("http://x/lost", "c", "lost", t0)))
		adopted := article("http://x/new", "c", "new", time.Time{})
		if ok, err := db.Adopt(ctx, adopted); err != nil || !ok {
			t.Fatalf("adopt = %v, %v", ok, err)
		}
		if ok, err := db.Adopt(ctx, adopted); err != nil || ok {
			t.Errorf("adopting a live page again = %v, %v", ok, err)
		}
		all, _ := db.Channel(ctx, "c", 0)
		for _, a := range all {
			if a.URL == adopted.URL && (!a.Published.Equal(t0) || a.State != store.Committed) {
				t.Errorf("adopted = %+v; want the channel's newest time, committed", a)
			}
		}
		gone, err := db.RetireGone(ctx, func(p string) bool { return p != "pages/c/lost.md" })
		if err != nil || !slices.Equal(gone, []string{"pages/c/lost.md"}) {
			t.Errorf("retired %v, %v", gone, err)
		}
		if k, _ := db.Lookup(ctx, "http://x/lost"); k.State != store.Removed {
			t.Errorf("lost page = %+v", k)
		}
	})
}

func TestMarkFallbackAndPageAssetsAreRecordedPerPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		a := article("http://x/1", "c", "1", t0)
		must(t, db.SaveMirrored(ctx, a, false, []string{"assets/b.png", "assets/B.png", "assets/a.png", "assets/a.png"}))
		must(t, db.MarkFallback(ctx, a.URL, true))
		stats, err := db.ChannelArticles(ctx, t0)
		if err != nil || stats["c"].FallbackPages != 1 {
			t.Errorf("fallback pages = %+v, %v", stats["c"], err)
		}
		used, err := db.PageAssets(ctx, []string{a.Path, "pages/c/none.md"})
		if want := []string{"assets/B.png", "assets/a.png", "assets/b.png"}; err != nil || !slices.Equal(used, want) {
			t.Errorf("assets = %v, %v; want %v", used, err, want)
		}
	})
}

func TestEmptyUntilTheFirstArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.AddHits(ctx, []store.HitCount{{"index.html", t0, 1}}))
		if empty, err := db.Empty(ctx); err != nil || !empty {
			t.Errorf("new state: empty = %v, %v", empty, err)
		}
		must(t, db.SaveFailure(ctx, store.Failure{URL: "http://x/1", Source: "s", Channel: "c", Reason: "HTTP 404", Class: store.Permanent, At: t0}))
		if empty, err := db.Empty(ctx); err != nil || empty {
			t.Errorf("after a failed article: empty = %v, %v", empty, err)
		}
	})
}
