package extract_test

import (
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/testfix/presetpages"
)

// BenchmarkExtractAndClean runs every preset fixture page (the
// hand-written ones and those rebuilt from the shared folder's real
// pages; feed-content fragments left out) through its preset and the
// sanitizer; one op is the whole set of pages.
//
//	go test -run '^$' -bench ExtractAndClean -benchmem ./internal/extract/
func BenchmarkExtractAndClean(b *testing.B) {
	type fixture struct {
		page  []byte
		rules *extract.Compiled
	}
	var fixtures []fixture
	bytes := 0
	for _, f := range append(ownFixtures(b), realFixtures(b)...) {
		if strings.HasPrefix(string(f.page), "<!-- feed content") {
			continue
		}
		fixtures = append(fixtures, fixture{f.page, mustCompile(b, extract.Rules{Preset: f.preset})})
		bytes += len(f.page)
	}
	u := mustURL(b, "https://www.example.com/gb/1.html")
	c := clean.New(clean.Options{})
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range fixtures {
			art, err := extract.Extract(f.page, u, f.rules)
			if err != nil {
				b.Fatal(err)
			}
			c.HTML(art.HTML)
		}
	}
	b.ReportMetric(float64(len(fixtures)), "pages/op")
}

// BenchmarkFallback is the readability fallback on a page whose selector
// misses (the cost of a broken selector, per page).
func BenchmarkFallback(b *testing.B) {
	data := presetpages.Page(b, "ntdtv", "a102517471")
	rules := mustCompile(b, extract.Rules{Body: extract.Selectors{"div.gone"}})
	u := mustURL(b, "https://www.ntdtv.com/gb/1.html")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		art, err := extract.Extract(data, u, rules)
		if err != nil || !art.Fallback {
			b.Fatal(err)
		}
	}
}
