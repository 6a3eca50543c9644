package render_test

import (
	"maps"
	"net/url"
	"slices"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/testfix/seedsource"
)

// BenchmarkPage renders the Markdown page of the reference article and of
// a 150 KB page, from their extracted and cleaned bodies.
func BenchmarkPage(b *testing.B) {
	pages := fakenews.BenchPages(seedsource.Page(b))
	cfg, err := config.Load("../../examples/goodnews.yaml")
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New(cfg.Site, cfg.Output)
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse("https://www.secretchina.com/news/gb/2022/01/13/994979.html")
	ch := cfg.Sources[0].Channels[8]
	c := clean.New(clean.Options{})
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		art, err := extract.Extract(pages[name], u, ch.Compiled)
		if err != nil {
			b.Fatal(err)
		}
		a := render.Article{
			Path: render.PagePath(ch.ID, "994979"), ID: "994979", Title: art.Title, ChannelID: ch.ID,
			IndexName: cfg.Sources[0].IndexName(&ch), ChannelName: ch.Name,
			Body: c.HTML(art.HTML), OriginalURL: u.String(),
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(a.Body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Page(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
