package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// BenchmarkSaveMirrored measures recording one freshly mirrored article
// (its row, fallback flag and two assets, in one transaction) on each
// backend: the write every new page costs.
func BenchmarkSaveMirrored(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			db := be.Open(b)
			b.ResetTimer()
			for i := range b.N {
				a := store.Article{URL: fmt.Sprintf("https://news.example/%d.html", i), Source: "s", Channel: fmt.Sprintf("ch%d", i%9),
					ID: fmt.Sprint(i), Title: "中共官员在新闻发布会上回应记者提问", Published: t0, Mirrored: t0,
					Hash: fmt.Sprintf("%064x", i), Path: fmt.Sprintf("pages/ch%d/%d.md", i%9, i)}
				assets := []string{fmt.Sprintf("assets/%02x/%062x01.jpg", i%256, i), fmt.Sprintf("assets/%02x/%062x02.jpg", i%256, i)}
				if err := db.SaveMirrored(ctx, a, false, assets); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHotPages measures the hot list's query on a mirror of 4,500
// live pages (a year's, publish.keep 500 in 9 channels) with a day of
// hourly hit counts on each: what every sync's hot list costs.
func BenchmarkHotPages(b *testing.B) {
	const pages, hours = 4_500, 24
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			db := be.Open(b)
			var hits []store.HitCount
			for i := range pages {
				a := store.Article{URL: fmt.Sprintf("https://news.example/%d.html", i), Source: "s", Channel: fmt.Sprintf("ch%d", i%9),
					ID: fmt.Sprint(i), Title: fmt.Sprintf("标题 %d", i), Published: t0, Mirrored: t0, Path: fmt.Sprintf("pages/ch%d/%d.md", i%9, i)}
				if err := db.SavePending(ctx, a); err != nil {
					b.Fatal(err)
				}
				for h := range hours {
					hits = append(hits, store.HitCount{Path: a.Path, Hour: t0.Add(-time.Duration(h) * time.Hour), Count: int64(1 + (i*7+h)%13)})
				}
			}
			if err := db.AddHits(ctx, hits); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				hot, err := db.HotPages(ctx, t0.Add(-hours*time.Hour), 20)
				if err != nil || len(hot) != 20 {
					b.Fatalf("hot list = %d pages, %v", len(hot), err)
				}
			}
		})
	}
}

// BenchmarkLookup measures the look-up every feed item costs (is this URL
// known, and in what state) on a store of 4,500 articles.
func BenchmarkLookup(b *testing.B) {
	const pages = 4_500
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			ctx := context.Background()
			db := be.Open(b)
			for i := range pages {
				a := store.Article{URL: fmt.Sprintf("https://news.example/%d.html", i), Source: "s", Channel: fmt.Sprintf("ch%d", i%9),
					ID: fmt.Sprint(i), Title: fmt.Sprintf("标题 %d", i), Published: t0, Mirrored: t0, Path: fmt.Sprintf("pages/ch%d/%d.md", i%9, i)}
				if err := db.SavePending(ctx, a); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := range b.N {
				k, err := db.Lookup(ctx, fmt.Sprintf("https://news.example/%d.html", i%pages))
				if err != nil || k.State != "pending" {
					b.Fatalf("look-up = %+v, %v", k, err)
				}
			}
		})
	}
}
