package extract_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/testfix/presetpages"
)

// fixture is one page a preset must extract: a hand-written one from
// testdata/<preset>/, or one rebuilt at test time from a real published
// page (internal/testfix/presetpages), whose golden holds no third-party
// text (digestReport).
type fixture struct {
	preset, name string
	page         []byte
	real         bool
}

func (f fixture) golden() string {
	return filepath.Join("testdata", f.preset, f.name+".golden")
}

// ownFixtures are the hand-written pages of testdata/<preset>/.
func ownFixtures(t testing.TB) []fixture {
	t.Helper()
	var out []fixture
	for _, preset := range extract.PresetNames() {
		pages, _ := filepath.Glob(filepath.Join("testdata", preset, "*.html"))
		for _, p := range pages {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fixture{preset, strings.TrimSuffix(filepath.Base(p), ".html"), data, false})
		}
	}
	return out
}

// realFixtures are the pages rebuilt from the shared folder's real pages;
// t fails under CI=true when they are missing and skips elsewhere.
func realFixtures(t testing.TB) []fixture {
	t.Helper()
	var out []fixture
	for _, c := range presetpages.Cases(t) {
		out = append(out, fixture{c.Preset, c.Name, c.Page, true})
	}
	return out
}

// digestReport is report with the third-party text replaced by digests:
// the title and every text node as ⟨N chars hash⟩, attribute values that
// are not URLs and not plain ASCII likewise. What is kept or dropped, and
// where, still shows as a golden diff.
func digestReport(a *extract.Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, "rule: %s\ntitle: %s\ntext: %d\npromo: %s\nremoved: %d\nretained: %.3f of %d\n",
		a.Rule, digest(a.Title), a.TextLen, a.PromoAt, a.Removed, a.Retained, a.SourceText)
	for _, img := range a.Images {
		fmt.Fprintf(&b, "image: %s\n", img)
	}
	for _, w := range a.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	b.WriteString("---\n")
	b.WriteString(digestHTML(a.HTML))
	b.WriteString("\n")
	return b.String()
}

// digest stands for a text: its length in characters and the start of
// its SHA-256.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return fmt.Sprintf("⟨%d chars %x⟩", len([]rune(s)), sum[:3])
}

// digestHTML keeps the markup of s and digests its text: each text node
// keeps its surrounding white space (the layout), the promo marker stays.
func digestHTML(s string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.WriteString(digestText(html.UnescapeString(string(z.Raw()))))
		case html.StartTagToken, html.SelfClosingTagToken:
			b.WriteString(digestTag(z.Token()))
		case html.CommentToken:
			b.WriteString("<!--" + digestText(z.Token().Data) + "-->")
		default:
			b.Write(z.Raw())
		}
	}
}

func digestText(text string) string {
	parts := strings.Split(text, extract.PromoMarker)
	for i, p := range parts {
		inner := strings.TrimFunc(p, unicode.IsSpace)
		if inner == "" {
			continue
		}
		at := strings.Index(p, inner)
		parts[i] = p[:at] + digest(inner) + p[at+len(inner):]
	}
	return strings.Join(parts, "⟨promo⟩")
}

func digestTag(tok html.Token) string {
	var b strings.Builder
	b.WriteString("<" + tok.Data)
	for _, a := range tok.Attr {
		val := a.Val
		if !urlAttr[a.Key] && !isASCII(val) {
			val = digest(val)
		}
		fmt.Fprintf(&b, ` %s="%s"`, a.Key, html.EscapeString(val))
	}
	if tok.Type == html.SelfClosingTagToken {
		b.WriteString("/")
	}
	b.WriteString(">")
	return b.String()
}

var urlAttr = map[string]bool{"href": true, "src": true, "srcset": true, "data-src": true, "poster": true, "cite": true}

func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}
