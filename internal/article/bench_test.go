package article_test

import (
	"context"
	"testing"

	"github.com/newsmirror/newsmirror/internal/article"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/testfix/seedsource"
	"github.com/newsmirror/newsmirror/internal/zhconv"
)

// BenchmarkRun runs the reference article (its source rebuilt by seedsource,
// 16.7 KB) through the whole pipeline with examples/goodnews.yaml's
// channel p9: decode, extract, clean, render, QR code; images are not
// localised (they would be fetched). "markdown" writes the Markdown page;
// "html+zh-Hant" also the HTML page and a Traditional copy of both.
func BenchmarkRun(b *testing.B) {
	page := seedsource.Page(b)
	for _, tc := range []struct {
		name  string
		setup func(*config.Config)
	}{
		{"markdown", func(*config.Config) {}},
		{"html+zh-Hant", func(cfg *config.Config) {
			cfg.Output.HTML.Enabled = true
			cfg.Sources[0].Variants = []zhconv.Variant{{Convert: "s2tw", Dir: "zh-Hant"}}
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg, err := config.Load("../../examples/goodnews.yaml")
			if err != nil {
				b.Fatal(err)
			}
			tc.setup(cfg)
			pipe, err := article.New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			src := &cfg.Sources[0]
			in := article.Input{Source: src, Channel: &src.Channels[8],
				Item: feed.Item{URL: seedURL, Title: "标题"},
				Page: &fetch.Response{URL: seedURL, Body: page}}
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pipe.Run(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

const seedURL = seedsource.URL
