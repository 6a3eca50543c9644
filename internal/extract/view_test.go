package extract_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/golden"
)

// TestPagesComeOutAsABrowserShowsThem runs every page of testdata/view/
// and testdata/fallback/ through the rules named on its first line
// (`<!-- {body: …} -->`, YAML) and the sanitizer, and compares the report,
// the retention figures and the body with <case>.golden (go test -update).
// The view cases are the shapes of what a browser renders or hides (forms,
// objects, hidden ad slots, style, empty leftovers); the fallback cases are
// pages whose selector misses, for readability and the title rules.
func TestPagesComeOutAsABrowserShowsThem(t *testing.T) {
	pages, _ := filepath.Glob("testdata/view/*.html")
	more, _ := filepath.Glob("testdata/fallback/*.html")
	pages = append(pages, more...)
	if len(pages) == 0 {
		t.Fatal("no pages in testdata/view or testdata/fallback")
	}
	for _, page := range pages {
		t.Run(page, func(t *testing.T) {
			art := viewCase(t, page)
			if lost := art.TextLost(); lost != "" {
				t.Errorf("retention guard fires: %s", lost)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "retained: %.3f of %d\n", art.Retained, art.SourceText)
			b.WriteString(report(art))
			golden.Compare(t, strings.TrimSuffix(page, ".html")+".golden", b.String())
		})
	}
}

var rulesLine = regexp.MustCompile(`^<!-- (\{.*\}) -->\n`)

// viewCase extracts the page at path with the rules of its first line,
// then sanitizes the body and measures the guard on it, as sync does.
func viewCase(t *testing.T, path string) *extract.Article {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := rulesLine.FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s: first line is not <!-- {rules} -->", path)
	}
	var rules extract.Rules
	if err := yaml.Unmarshal(m[1], &rules); err != nil {
		t.Fatalf("%s: rules: %v", path, err)
	}
	c := mustCompile(t, rules)
	art, err := extract.Extract(data[len(m[0]):], mustURL(t, "https://news.example.com/2024/05/1.html"), c)
	if err != nil {
		t.Fatal(err)
	}
	art.HTML = clean.New(clean.Options{DataImages: c.DataImages()}).HTML(art.HTML)
	art.CheckPublished(art.HTML)
	return art
}
