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

// FuzzExtract holds extract + clean to the invariant (holdsInvariant).
// Seeds: the hand-written preset, view and fallback pages, and inputs of
// our own; TestRealPagesHoldTheFuzzInvariant runs the same check over the
// pages rebuilt from real ones, with every rule set.
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
	inv := newInvariant(f)
	f.Fuzz(func(t *testing.T, page string, pick uint8) {
		if strings.Contains(page, "newsmirror-promo") {
			t.Skip()
		}
		inv.check(t, page, pick)
	})
}

// TestRealPagesHoldTheFuzzInvariant runs every page rebuilt from a real
// published page through each of the fuzz target's rule sets, as page and
// as feed content, plus a minghui page with a mistyped end tag in its
// sidebar (a regression the fuzzer found, `</h3>` written `</h>`).
func TestRealPagesHoldTheFuzzInvariant(t *testing.T) {
	inv := newInvariant(t)
	for _, f := range realFixtures(t) {
		page := string(f.page)
		if f.preset == "minghui" {
			if broken := strings.Replace(page, "<h3>热门文章</h3>", "<h3>热门文章</h>", 1); broken != page {
				inv.check(t, broken, 0)
			} else {
				t.Errorf("%s/%s: no sidebar heading to break", f.preset, f.name)
			}
		}
		for pick := range uint8(len(inv.rules)) {
			inv.check(t, page, pick)
			inv.check(t, page, pick|0x80)
		}
	}
}

// invariant is what extract + clean must hold for any input: no panic,
// the promo marker placed exactly once, the sanitized body parses with
// nothing Audit objects to (no <script, no on…= attribute, no
// javascript: URL), and the retention guard's share within 0…1.
type invariant struct {
	rules []*extract.Compiled
	base  *url.URL
	clean *clean.Cleaner
}

func newInvariant(t testing.TB) *invariant {
	inv := &invariant{base: mustURL(t, "https://www.example.com/gb/1.html"), clean: clean.New(clean.Options{})}
	for _, name := range []string{"secretchina", "ntdtv", "epochtimes", "soundofhope"} {
		inv.rules = append(inv.rules, mustCompile(t, extract.Rules{Preset: name, LinkMode: extract.LinkKeep,
			Replace: []extract.Replacement{{Regex: `广告\s*`, With: ""}}}))
	}
	return inv
}

// check extracts page with rule set pick%4, as feed content when pick's
// high bit is set.
func (inv *invariant) check(t *testing.T, page string, pick uint8) {
	t.Helper()
	r := inv.rules[int(pick)%len(inv.rules)]
	var art *extract.Article
	var err error
	if pick&0x80 != 0 {
		art, err = extract.ExtractContent([]byte(page), nil, inv.base, r)
	} else {
		art, err = extract.Extract([]byte(page), inv.base, r)
	}
	if err != nil {
		return // a page without a body is a MissError, not a bug
	}
	if n := strings.Count(art.HTML, extract.PromoMarker); n != 1 {
		t.Fatalf("promo marker placed %d times in %q", n, art.HTML)
	}
	out := inv.clean.HTML(art.HTML)
	if art.CheckPublished(out); art.Retained < 0 || art.Retained > 1 {
		t.Fatalf("retained %v", art.Retained)
	}
	if problems := clean.Audit(out); len(problems) > 0 {
		t.Fatalf("extract+clean of %q holds %v:\n%s", page, problems, out)
	}
}
