package assets_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/assets"
)

// FuzzRewriteLeavesNoLocalisedURL checks the invariant of Rewrite: once an
// image URL is localised, no <img src>, no srcset of the output names it.
func FuzzRewriteLeavesNoLocalisedURL(f *testing.F) {
	for _, seed := range []string{
		`<p><img src="http://img.test/a.png" srcset="http://img.test/a.png 1x, http://img.test/b.jpg 2x"/></p>`,
		`<picture><source srcset="http://img.test/a.png"/><img src="http://img.test/a.png"></picture>`,
		`<img src=http://img.test/a.png><img src=" http://img.test/a.png "><div><img srcset=",,http://img.test/a.png  3x,">`,
		`<table><tr><td><img src="http://img.test/a.png"></td></tr></table>`,
	} {
		f.Add(seed)
	}
	const url = "http://img.test/a.png"
	local := map[string]string{url: "assets/aa/aa.png"}
	f.Fuzz(func(t *testing.T, body string) {
		out, err := assets.Rewrite(body, local, func(a string) string { return "../../" + a })
		if err != nil {
			return
		}
		nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
		if err != nil {
			t.Fatalf("output does not parse: %v", err)
		}
		for _, n := range nodes {
			checkNoURL(t, n, url, out)
		}
	})
}

func checkNoURL(t *testing.T, n *html.Node, url, out string) {
	if n.Type == html.ElementNode && (n.Data == "img" || n.Data == "source") {
		for _, a := range n.Attr {
			if (a.Key == "src" && n.Data == "img" && strings.TrimSpace(a.Val) == url) || (a.Key == "srcset" && namesURL(a.Val, url)) {
				t.Errorf("<%s %s=%q> still names the localised URL in:\n%s", n.Data, a.Key, a.Val, out)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		checkNoURL(t, c, url, out)
	}
}

// namesURL reports whether a srcset has a candidate whose URL is url.
func namesURL(srcset, url string) bool {
	for _, c := range strings.Split(srcset, ",") {
		if f := strings.Fields(c); len(f) > 0 && f[0] == url {
			return true
		}
	}
	return false
}
