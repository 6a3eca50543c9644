package extract_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/golden"
)

// TestPresetsMirrorTheirFixtures runs every fixture page of
// testdata/<preset>/ through its preset and the sanitizer and compares a
// report plus the cleaned body with <case>.golden (go test -update).
func TestPresetsMirrorTheirFixtures(t *testing.T) {
	for _, name := range extract.PresetNames() {
		pages, _ := filepath.Glob(filepath.Join("testdata", name, "*.html"))
		if len(pages) == 0 {
			t.Errorf("preset %s has no fixture in testdata/%s", name, name)
		}
		rules := mustCompile(t, extract.Rules{Preset: name})
		for _, page := range pages {
			t.Run(name+"/"+filepath.Base(page), func(t *testing.T) {
				art := extractFixture(t, page, rules)
				if art.Fallback {
					t.Errorf("preset %s missed its own fixture: %v", name, art.Warnings)
				}
				if art.TextLen < extract.DefaultMinText {
					t.Errorf("text length %d", art.TextLen)
				}
				if lost := art.TextLost(); lost != "" {
					t.Errorf("retention guard fires on the preset's own fixture: %s", lost)
				}
				t.Logf("retained %.3f of %d characters", art.Retained, art.SourceText)
				golden.Compare(t, strings.TrimSuffix(page, ".html")+".golden", report(art))
			})
		}
	}
}

// extractFixture extracts a fixture page, or a feed-content fragment (a
// file whose first line is "<!-- feed content of URL -->").
func extractFixture(t *testing.T, path string, rules *extract.Compiled) *extract.Article {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var art *extract.Article
	if m := feedContent.FindSubmatch(data); m != nil {
		art, err = extract.ExtractContent(data[len(m[0]):], nil, mustURL(t, string(m[1])), rules)
	} else {
		m := canonical.FindSubmatch(data)
		if m == nil {
			t.Fatalf("%s has no canonical link", path)
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
