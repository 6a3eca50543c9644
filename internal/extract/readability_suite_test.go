package extract_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
)

// TestReadabilitySuiteScore measures the fallback on Mozilla readability's
// public test pages (the copy go-readability ships in its module) against
// go-readability with its own defaults: mean token F1 of the body text
// against expected.html, and titles equal to expected-metadata.json's.
// The pages are third-party and are not copied into the project; the test
// runs only when NEWSMIRROR_READABILITY_SUITE names the test-pages folder,
// or is "module" (the folder inside the go-readability module):
//
//	NEWSMIRROR_READABILITY_SUITE=module go test -run ReadabilitySuite -v ./internal/extract/
func TestReadabilitySuiteScore(t *testing.T) {
	dir := suiteDir(t)
	cases, _ := filepath.Glob(filepath.Join(dir, "*", "source.html"))
	if len(cases) == 0 {
		t.Fatalf("no test pages in %s", dir)
	}
	rules := mustCompile(t, extract.Rules{Body: extract.Selectors{"#newsmirror-no-such-body"}})
	cl := clean.New(clean.Options{})
	var ours, lib, oursTitle, libTitle float64
	for _, src := range cases {
		name := filepath.Base(filepath.Dir(src))
		page, _ := os.ReadFile(src)
		want := tokens(htmlText(readFile(t, filepath.Join(filepath.Dir(src), "expected.html"))))
		wantTitle := expectedTitle(t, filepath.Dir(src))
		u, _ := url.Parse("http://fakehost/test/page.html")
		var got []string
		title := ""
		if art, err := extract.Extract(page, u, rules); err == nil {
			got = tokens(htmlText(cl.HTML(strings.ReplaceAll(art.HTML, extract.PromoMarker, ""))))
			title = art.Title
		}
		p := readability.NewParser()
		var gotLib []string
		libT := ""
		if a, err := p.Parse(bytes.NewReader(page), u); err == nil && a.Node != nil {
			var b bytes.Buffer
			_ = html.Render(&b, a.Node)
			gotLib = tokens(htmlText(b.String()))
			libT = a.Title()
		}
		f, fl := f1(got, want), f1(gotLib, want)
		ours += f
		lib += fl
		if title == wantTitle {
			oursTitle++
		}
		if libT == wantTitle {
			libTitle++
		}
		if f < 0.9 || title != wantTitle {
			t.Logf("%-40s F1 %.3f (library %.3f)  title %q want %q", name, f, fl, title, wantTitle)
		}
	}
	n := float64(len(cases))
	t.Logf("%d pages: fallback mean F1 %.3f, titles %.0f right; go-readability defaults mean F1 %.3f, titles %.0f right",
		len(cases), ours/n, oursTitle, lib/n, libTitle)
	if ours/n < 0.98 {
		t.Errorf("fallback mean F1 %.3f, want at least 0.98", ours/n)
	}
}

func suiteDir(t *testing.T) string {
	// By default the test pages shipped inside the go-readability module
	// (in the module cache after "go mod download"); a folder may be named.
	dir := os.Getenv("NEWSMIRROR_READABILITY_SUITE")
	if dir == "" || dir == "module" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "codeberg.org/readeck/go-readability/v2").Output()
		if err != nil {
			t.Fatalf("find the go-readability module: %v", err)
		}
		dir = filepath.Join(strings.TrimSpace(string(out)), "test-pages")
	}
	return dir
}

func readFile(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func expectedTitle(t *testing.T, dir string) string {
	var meta struct{ Title string }
	_ = json.Unmarshal([]byte(readFile(t, filepath.Join(dir, "expected-metadata.json"))), &meta)
	return meta.Title
}

// htmlText is the text of an HTML document or fragment, outside scripts.
func htmlText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "title") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	return b.String()
}

// tokens splits s into lower-case words; each Han character is a word.
func tokens(s string) []string {
	var out []string
	var w []rune
	flush := func() {
		if len(w) > 0 {
			out = append(out, string(w))
			w = w[:0]
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w = append(w, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// f1 is the token F1 score of got against want, as bags of words.
func f1(got, want []string) float64 {
	if len(got) == 0 && len(want) == 0 {
		return 1
	}
	if len(got) == 0 || len(want) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	common := 0
	for _, g := range got {
		if count[g] > 0 {
			count[g]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(len(got)), float64(common)/float64(len(want))
	return 2 * p * r / (p + r)
}
