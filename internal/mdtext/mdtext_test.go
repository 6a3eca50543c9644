package mdtext_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/mdtext"
)

// hostileTitles start or end markup, links, autolinks, HTML, math and
// blocks in every way CommonMark, GFM and GitHub know.
var hostileTitles = []string{
	`\[x\](https://evil.example/a)`,
	`\[x\](javascript:alert(1))`,
	`[x](https://evil.example/b)`,
	`![p](https://evil.example/t.png)`,
	`\![p\](https://evil.example/t.png)`,
	`ends in a backslash \`,
	`\\`,
	`see https://evil.example/c now`,
	`see http://evil.example/d`,
	`visit www.evil.example today`,
	`visit WWW.evil.example`,
	`write to victim@evil.example`,
	`mailto:victim@evil.example`,
	`xmpp:victim@evil.example`,
	`ftp://evil.example/f`,
	`<https://evil.example/g>`,
	`<img src=https://evil.example/t.png>`,
	`<a href="https://evil.example/h">x</a>`,
	`&lt;script&gt; &#x5b;x&#x5d;(https://evil.example/i) &amp;`,
	`[x][ref]` + "\n\n[ref]: https://evil.example/j",
	`line one` + "\n" + `[x](https://evil.example/k)`,
	"\r\n# heading\r\n- item\n> quote\n    code",
	`**bold** _em_ ~~gone~~ ~x~ ` + "`code`",
	`$x^2$ and $$y$$`,
	`a | b | c`,
	`title ###`,
	`# title`,
	`- list`,
	`+ list`,
	`= setext`,
	`1. ordered`,
	`2) ordered`,
	`:smile: :+1:`,
	`[^1] footnote`,
	`<!-- comment -->`,
	"nul\x00byte and \u2028 separator and \x85 next line",
	"invalid \xff\xfe utf-8",
	`普京出兵后习近平、埃尔多安都坐不住了(图)`,
	`美中关系全面恶化 学者:只差一步关使馆`,
	`3.5% of 100! (really?) "quoted" 'single' {braces}`,
}

var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM))

// parse returns the document and its source.
func parse(md string) (ast.Node, []byte) {
	src := []byte(md)
	return gfm.Parser().Parse(text.NewReader(src)), src
}

// rendered renders md as GitHub would (CommonMark + GFM) and returns its
// text, the element names in it and the href and src values.
func rendered(t *testing.T, md string) (txt string, elems, targets []string) {
	var out bytes.Buffer
	if err := gfm.Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	nodes, err := html.ParseFragment(&out, &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			elems = append(elems, n.Data)
			for _, a := range n.Attr {
				if a.Key == "href" || a.Key == "src" {
					targets = append(targets, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.TrimSpace(b.String()), elems, targets
}

// expected is what rendering s as text should show: controls as spaces,
// invalid UTF-8 as a space, trimmed.
func expected(s string) string {
	s = strings.ToValidUTF8(s, " ")
	s = strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func TestTextRendersAsItselfInAHeadingAndALinkUnderGFM(t *testing.T) {
	for _, title := range hostileTitles {
		for _, c := range []struct {
			line  string
			elems string
		}{
			{"### " + mdtext.Text(title), "h3"},
			{"#### [" + mdtext.Text(title) + "](pages/c/1.md)", "h4 a"},
			{mdtext.Text(title), "p"},
		} {
			got, elems, targets := rendered(t, c.line+"\n")
			if strings.Join(elems, " ") != c.elems {
				t.Errorf("%q: renders as elements %q, want %q:\n%s", title, elems, c.elems, c.line)
			}
			if c.elems == "h4 a" && (len(targets) != 1 || targets[0] != "pages/c/1.md") {
				t.Errorf("%q: links %q, want only ours:\n%s", title, targets, c.line)
			}
			if want := strings.ReplaceAll(expected(title), "\x00", "\ufffd"); got != want {
				t.Errorf("%q renders as %q:\n%s", title, got, c.line)
			}
		}
	}
}

func TestURLStaysOneLinkDestination(t *testing.T) {
	for _, u := range []string{
		"pages/c/1.md?t=1",
		"https://news.example/a b(c)d\\",
		"https://news.example/x\"y 'z'",
		"https://news.example/<img src=x>",
		"https://news.example/%zz%41",
		"indexes/S看世界.md",
		"https://news.example/a)](https://evil.example/",
		"https://news.example/a\n\n[x](https://evil.example/)",
	} {
		doc, _ := parse("[t](" + mdtext.URL(u) + ")\n")
		var links []string
		ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n := n.(type) {
			case *ast.Link:
				if entering {
					links = append(links, string(n.Destination))
				}
			case *ast.Image, *ast.AutoLink, *ast.RawHTML:
				t.Errorf("%q: a %s", u, n.Kind())
			}
			return ast.WalkContinue, nil
		})
		if len(links) != 1 || !strings.HasPrefix(links[0], strings.Fields(u)[0][:10]) {
			t.Errorf("%q: links %q, want one going where the URL says", u, links)
		}
	}
	if got := mdtext.URL("indexes/S看世界.md?t=1"); got != "indexes/S看世界.md?t=1" {
		t.Errorf("a plain path was changed: %q", got)
	}
}

func TestHTMLAttrAndHTMLTextAddNoMarkup(t *testing.T) {
	for _, u := range []string{`https://n.example/7.html?q=<img/src=https://evil.example/t.png>`,
		`x' onerror='alert(1)`, "a\"b`c d\ne&f"} {
		a := mdtext.HTMLAttr(u)
		if strings.ContainsAny(a, "<>\"'` \n") || strings.Contains(strings.ReplaceAll(a, "&amp;", ""), "&") {
			t.Errorf("HTMLAttr(%q) = %q", u, a)
		}
		h := mdtext.HTMLText(u)
		if strings.ContainsAny(h, "<>\"'\n") {
			t.Errorf("HTMLText(%q) = %q", u, h)
		}
	}
}
