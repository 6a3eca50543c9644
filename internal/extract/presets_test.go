package extract_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/golden"
)

// TestPresetsMirrorTheirFixtures runs every fixture page of each preset
// through it and the sanitizer and compares a report plus the cleaned
// body with testdata/<preset>/<case>.golden (go test -update): the
// hand-written pages of testdata/<preset>/ and, under "real", the pages
// rebuilt from real published ones (internal/testfix/presetpages), whose
// goldens carry digests instead of the third-party text.
func TestPresetsMirrorTheirFixtures(t *testing.T) {
	own := ownFixtures(t)
	for _, f := range own {
		t.Run(f.preset+"/"+f.name, func(t *testing.T) { checkPresetFixture(t, f) })
	}
	t.Run("real", func(t *testing.T) {
		real := realFixtures(t)
		has := map[string]bool{}
		for _, f := range append(own, real...) {
			has[f.preset] = true
		}
		for _, name := range extract.PresetNames() {
			if !has[name] {
				t.Errorf("preset %s has no fixture", name)
			}
		}
		for _, f := range real {
			t.Run(f.preset+"/"+f.name, func(t *testing.T) { checkPresetFixture(t, f) })
		}
	})
}

// checkPresetFixture extracts f with its preset and compares the result
// with f's golden.
func checkPresetFixture(t *testing.T, f fixture) {
	rules := mustCompile(t, extract.Rules{Preset: f.preset})
	art := extractFixture(t, f.page, rules)
	if art.Fallback {
		t.Errorf("preset %s missed its own fixture: %v", f.preset, art.Warnings)
	}
	if art.TextLen < extract.DefaultMinText {
		t.Errorf("text length %d", art.TextLen)
	}
	if lost := art.TextLost(); lost != "" {
		t.Errorf("retention guard fires on the preset's own fixture: %s", lost)
	}
	t.Logf("retained %.3f of %d characters", art.Retained, art.SourceText)
	if f.real {
		golden.Compare(t, f.golden(), digestReport(art))
	} else {
		golden.Compare(t, f.golden(), report(art))
	}
}

// extractFixture extracts a fixture page, or a feed-content fragment (a
// page whose first line is "<!-- feed content of URL -->").
func extractFixture(t *testing.T, data []byte, rules *extract.Compiled) *extract.Article {
	t.Helper()
	var art *extract.Article
	var err error
	if m := feedContent.FindSubmatch(data); m != nil {
		art, err = extract.ExtractContent(data[len(m[0]):], nil, mustURL(t, string(m[1])), rules)
	} else {
		m := canonical.FindSubmatch(data)
		if m == nil {
			t.Fatalf("the page has no canonical link")
		}
		art, err = extract.Extract(data, mustURL(t, string(m[1])), rules)
	}
	if err != nil {
		t.Fatal(err)
	}
	art.HTML = clean.New(clean.Options{DataImages: rules.DataImages()}).HTML(art.HTML)
	art.CheckPublished(art.HTML)
	return art
}

var (
	canonical   = regexp.MustCompile(`<link rel="canonical" href="([^"]+)">`)
	feedContent = regexp.MustCompile(`^<!-- feed content of (\S+) -->\n`)
)

// report is the golden form of an article: what try prints, then the body.
func report(a *extract.Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rule: %s\ntitle: %s\ntext: %d\npromo: %s\nremoved: %d\n", a.Rule, a.Title, a.TextLen, a.PromoAt, a.Removed)
	for _, img := range a.Images {
		fmt.Fprintf(&b, "image: %s\n", img)
	}
	for _, w := range a.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	b.WriteString("---\n")
	b.WriteString(a.HTML)
	b.WriteString("\n")
	return b.String()
}

func mustCompile(t testing.TB, r extract.Rules) *extract.Compiled {
	t.Helper()
	c, err := r.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
