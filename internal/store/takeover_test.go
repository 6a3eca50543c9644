package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func TestTakeoverForgetsPagesTheUpstreamLacksAndRemovesRetiredOnesItHolds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		save := func(n int) {
			a := store.Article{URL: fmt.Sprintf("http://x/%d", n), Source: "s", Channel: "c", ID: fmt.Sprint(n),
				Path: fmt.Sprintf("pages/c/%d.md", n), Published: t0.Add(time.Duration(n) * time.Hour)}
			must(t, db.SaveMirrored(ctx, a, false, []string{fmt.Sprintf("assets/%d.jpg", n)}))
		}
		for n := 1; n <= 4; n++ {
			save(n)
		}
		must(t, db.Committed(ctx))
		// Retention retires 1 and 2; 5 and 6 are written and never pushed.
		files := func(p string) []string { return []string{p, p + ".png"} }
		if _, err := db.Expire(ctx, "c", 2, files); err != nil {
			t.Fatal(err)
		}
		must(t, db.Committed(ctx))
		save(5)
		save(6)
		// The upstream holds 1 (retired here, not there), 3 and 4; not 2, 5, 6.
		upstream := map[string]bool{"pages/c/1.md": true, "pages/c/3.md": true, "pages/c/4.md": true}
		u, err := db.ForgetUnpublished(ctx, func(p string) bool { return upstream[p] }, files)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(u.Forgotten, []string{"pages/c/5.md", "pages/c/6.md"}) || !slices.Equal(u.Retired, []string{"pages/c/1.md"}) {
			t.Errorf("forgot %v, retired %v; want 5 and 6 forgotten, 1 retired", u.Forgotten, u.Retired)
		}
		if known, _ := db.Lookup(ctx, "http://x/5"); known.State != "" {
			t.Errorf("a forgotten article is still known: %+v", known)
		}
		if live, _ := db.LivePaths(ctx); len(live) != 2 {
			t.Errorf("live pages = %v; want 3 and 4", live)
		}
		j, _ := db.Journal(ctx)
		want := []store.Entry{{"pages/c/1.md", store.OpRemove}, {"pages/c/1.md.png", store.OpRemove}}
		if !slices.Equal(j, want) {
			t.Errorf("journal = %v; want %v", j, want)
		}
		if used, _ := db.PageAssets(ctx, []string{"pages/c/5.md"}); len(used) != 0 {
			t.Errorf("a forgotten page still uses assets %v", used)
		}
	})
}
