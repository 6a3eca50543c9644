package clean_test

import (
	"maps"
	"net/url"
	"slices"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/testfix/seedsource"
)

// BenchmarkSanitize cleans the body extracted from the reference page and
// from a 150 KB page, as a sync does.
func BenchmarkSanitize(b *testing.B) {
	pages := fakenews.BenchPages(seedsource.Page(b))
	cfg, err := config.Load("../../examples/goodnews.yaml")
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://www.secretchina.com/news/gb/2022/01/13/994979.html")
	c := clean.New(clean.Options{})
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		art, err := extract.Extract(pages[name], u, cfg.Sources[0].Channels[8].Compiled)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(art.HTML)))
			b.ReportAllocs()
			for b.Loop() {
				c.HTML(art.HTML)
			}
		})
	}
}
