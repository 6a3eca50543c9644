package extract

import (
	"bytes"
	"maps"
	"net/url"
	"slices"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/testfix/seedsource"
)

// BenchmarkRetentionGuard is what the text-retention guard adds to one
// article, on the reference page and a 150 KB page through the
// secretchina preset: the source's visible text measured before the
// chain, the body's after it (both in Run), and CheckPublished, which
// parses the sanitized body once more and measures it.
//
//	go test -run '^$' -bench RetentionGuard -benchmem ./internal/extract/
func BenchmarkRetentionGuard(b *testing.B) {
	pages := fakenews.BenchPages(seedsource.Page(b))
	rules, err := Rules{Preset: "secretchina"}.Compile()
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://www.secretchina.com/news/gb/2022/01/13/994979.html")
	c := clean.New(clean.Options{})
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		doc, err := html.Parse(bytes.NewReader(pages[name]))
		if err != nil {
			b.Fatal(err)
		}
		body, _ := selectBody(doc, rules)
		art, err := Extract(pages[name], u, rules)
		if err != nil {
			b.Fatal(err)
		}
		published := c.HTML(art.HTML)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				art.guard.source = visibleLen(body)
				art.guard.check(art, visibleLen(body))
				art.CheckPublished(published)
			}
		})
	}
}
