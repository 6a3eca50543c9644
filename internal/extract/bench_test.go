package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
)

// BenchmarkExtractAndClean runs every preset fixture page through its
// preset and the sanitizer; one op is the whole set of pages.
//
//	go test -run '^$' -bench ExtractAndClean -benchmem ./internal/extract/
func BenchmarkExtractAndClean(b *testing.B) {
	type fixture struct {
		page  []byte
		rules *extract.Compiled
	}
	var fixtures []fixture
	bytes := 0
	for _, name := range extract.PresetNames() {
		rules := mustCompile(b, extract.Rules{Preset: name})
		pages, _ := filepath.Glob(filepath.Join("testdata", name, "*.html"))
		for _, p := range pages {
			data, err := os.ReadFile(p)
			if err != nil || strings.HasPrefix(string(data), "<!-- feed content") {
				continue
			}
			fixtures = append(fixtures, fixture{data, rules})
			bytes += len(data)
		}
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
	data, err := os.ReadFile("testdata/ntdtv/a102517471.html")
	if err != nil {
		b.Fatal(err)
	}
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
