package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func TestSweepAssetsForgetsAssetsNoLivePageUses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		for _, p := range []struct{ url, id string }{{"http://x/1", "1"}, {"http://x/2", "2"}} {
			err := db.SavePending(ctx, store.Article{URL: p.url, Source: "s", Channel: "c", ID: p.id, Path: "pages/c/" + p.id + ".md", Mirrored: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
		}
		must(t, db.SetPageAssets(ctx, "pages/c/1.md", []string{"assets/aa/shared.png"}))
		must(t, db.SetPageAssets(ctx, "pages/c/2.md", []string{"assets/aa/shared.png", "assets/bb/only2.png"}))
		// A page no longer in the database (its row removed by retention).
		must(t, db.SetPageAssets(ctx, "pages/c/gone.md", []string{"assets/cc/gone.png", "assets/aa/shared.png"}))

		orphans, err := db.SweepAssets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(orphans, []string{"assets/cc/gone.png"}) {
			t.Errorf("orphans = %v, want only the removed page's own asset", orphans)
		}
		// Page 2 re-mirrored without its second image.
		must(t, db.SetPageAssets(ctx, "pages/c/2.md", []string{"assets/aa/shared.png"}))
		orphans, err = db.SweepAssets(ctx)
		if err != nil || !slices.Equal(orphans, []string{"assets/bb/only2.png"}) {
			t.Errorf("orphans = %v, %v; want the image page 2 dropped", orphans, err)
		}
		used, err := db.PageAssets(ctx, []string{"pages/c/1.md", "pages/c/2.md"})
		if err != nil || !slices.Equal(used, []string{"assets/aa/shared.png"}) {
			t.Errorf("page assets = %v, %v", used, err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestAssetURLsAreForgottenWithTheirAsset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		must(t, db.RememberAssetURL(ctx, "http://img/a.png", "assets/aa/a.png"))
		if a, ok, err := db.AssetForURL(ctx, "http://img/a.png"); err != nil || !ok || a != "assets/aa/a.png" {
			t.Fatalf("AssetForURL = %q, %v, %v", a, ok, err)
		}
		// The only page using it is gone: the sweep forgets the URL too.
		must(t, db.SetPageAssets(ctx, "pages/c/gone.md", []string{"assets/aa/a.png"}))
		if _, err := db.SweepAssets(ctx); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := db.AssetForURL(ctx, "http://img/a.png"); err != nil || ok {
			t.Errorf("URL of a swept asset still known: %v, %v", ok, err)
		}
	})
}

func TestSaveMirroredRecordsRowAndAssetsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		a := store.Article{URL: "http://x/1", Source: "s", Channel: "c", ID: "1", Title: "一", Path: "pages/c/1.md", Hash: "h1", Mirrored: time.Now()}
		must(t, db.SaveMirrored(ctx, a, true, []string{"assets/aa/a.png"}))
		k, err := db.Lookup(ctx, a.URL)
		if err != nil || k.State != store.Pending || k.Hash != "h1" {
			t.Errorf("row = %+v, %v", k, err)
		}
		used, err := db.PageAssets(ctx, []string{a.Path})
		if err != nil || !slices.Equal(used, []string{"assets/aa/a.png"}) {
			t.Errorf("page assets = %v, %v", used, err)
		}
		// Another URL under the same id: nothing of it is recorded.
		b := a
		b.URL, b.Hash = "http://x/other", "h2"
		if err := db.SaveMirrored(ctx, b, false, []string{"assets/bb/b.png"}); err == nil {
			t.Fatal("a second URL saved under the same page")
		}
		used, _ = db.PageAssets(ctx, []string{a.Path})
		if !slices.Equal(used, []string{"assets/aa/a.png"}) {
			t.Errorf("the failed save changed the page's assets: %v", used)
		}
	})
}
