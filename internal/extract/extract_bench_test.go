package extract_test

import (
	"bytes"
	"maps"
	"net/url"
	"slices"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/testfix/seedsource"
)

// benchPages runs fn for the reference page and a 150 KB page.
func benchPages(b *testing.B, fn func(b *testing.B, page []byte)) {
	pages := fakenews.BenchPages(seedsource.Page(b))
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(pages[name])))
			b.ReportAllocs()
			fn(b, pages[name])
		})
	}
}

func BenchmarkParse(b *testing.B) {
	benchPages(b, func(b *testing.B, page []byte) {
		for b.Loop() {
			if _, err := html.Parse(bytes.NewReader(page)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	cfg, err := config.Load("../../examples/goodnews.yaml")
	if err != nil {
		b.Fatal(err)
	}
	rules := cfg.Sources[0].Channels[8].Compiled
	u, _ := url.Parse("https://www.secretchina.com/news/gb/2022/01/13/994979.html")
	benchPages(b, func(b *testing.B, page []byte) {
		for b.Loop() {
			if _, err := extract.Extract(page, u, rules); err != nil {
				b.Fatal(err)
			}
		}
	})
}
