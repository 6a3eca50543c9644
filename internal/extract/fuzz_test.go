package extract_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
)

// FuzzExtract holds extract + clean to the invariant: no panic, the promo
// marker placed exactly once, the sanitized body parses with nothing
// Audit objects to (no <script, no on…= attribute, no javascript: URL),
// and the retention guard's share stays within 0…1. Seeds: the preset
// fixtures and the view and fallback cases.
//
//	go test -run '^$' -fuzz FuzzExtract -fuzztime 3m ./internal/extract/
func FuzzExtract(f *testing.F) {
	pages, _ := filepath.Glob("testdata/*/*.html")
	for _, p := range pages {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data), uint8(0))
		}
	}
	f.Add(`<div class="post_content"><p onclick=x>t</p><noscript><img src=javascript:x></noscript></div>`, uint8(1))
	f.Add(`<div class="featured_image"><img data-src="//x/y.jpg"><noscript><img src=z onerror=x></noscript></div>`, uint8(2))
	f.Add(`<div class="article_right"><form><p>a<object><param name=m><embed src=x><script>x</script><p hidden>h`, uint8(0))
	f.Add(`<div class="post_content"><noscript><form><object><img src=y onerror=z></object></form></noscript><label for=q>x</label>`, uint8(1))
	var rules []*extract.Compiled
	for _, name := range []string{"secretchina", "ntdtv", "epochtimes", "soundofhope"} {
		rules = append(rules, mustCompile(f, extract.Rules{Preset: name, LinkMode: extract.LinkKeep,
			Replace: []extract.Replacement{{Regex: `广告\s*`, With: ""}}}))
	}
	base, _ := url.Parse("https://www.example.com/gb/1.html")
	c := clean.New(clean.Options{})
	f.Fuzz(func(t *testing.T, page string, pick uint8) {
		if strings.Contains(page, "newsmirror-promo") {
			t.Skip()
		}
		r := rules[int(pick)%len(rules)]
		var art *extract.Article
		var err error
		if pick&0x80 != 0 {
			art, err = extract.ExtractContent([]byte(page), nil, base, r)
		} else {
			art, err = extract.Extract([]byte(page), base, r)
		}
		if err != nil {
			return // a page without a body is a MissError, not a bug
		}
		if n := strings.Count(art.HTML, extract.PromoMarker); n != 1 {
			t.Fatalf("promo marker placed %d times in %q", n, art.HTML)
		}
		out := c.HTML(art.HTML)
		if art.CheckPublished(out); art.Retained < 0 || art.Retained > 1 {
			t.Fatalf("retained %v", art.Retained)
		}
		if problems := clean.Audit(out); len(problems) > 0 {
			t.Fatalf("extract+clean of %q holds %v:\n%s", page, problems, out)
		}
	})
}
