package site_test

import (
	"testing"

	"github.com/newsmirror/newsmirror/internal/site"
)

func TestLinkResolvesEveryKindInBothFormatsAndTrees(t *testing.T) {
	page := site.At("pages/p9/1.md")
	copyPage := page.In("zh-Hant")
	nav := site.Query{Stamp: "1", Outside: true}
	list := site.Query{Stamp: "t=01130820"}
	tests := []struct {
		name     string
		from     site.Loc
		raw      string
		q        site.Query
		md, html string
	}{
		{"empty", page, "", nav, "", ""},
		{"fragment stays in the file, unstamped", page, "#top", nav, "#top", "#top"},
		{"fragment from a copy", copyPage, "#top", nav, "#top", "#top"},
		{"mailto is kept", page, "mailto:x@example.test", nav, "mailto:x@example.test", "mailto:x@example.test"},
		{"mailto from a copy", copyPage, "MAILTO:x@example.test", nav, "MAILTO:x@example.test", "MAILTO:x@example.test"},
		{"tel is kept", page, "tel:+8610", nav, "tel:+8610", "tel:+8610"},
		{"https stamped in a nav bar, fragment last", page, "https://e.test/a?b=1#c", nav, "https://e.test/a?b=1&1#c", "https://e.test/a?b=1&1#c"},
		{"https left alone in a list", page, "https://e.test/a", list, "https://e.test/a", "https://e.test/a"},
		{"scheme-relative is outside", page, "//e.test/a", nav, "//e.test/a?1", "//e.test/a?1"},
		{"home from a page", page, "README.md", nav, "../../README.md?1", "../../index.html?1"},
		{"home from a copy stays in its tree", copyPage, "README.md", nav, "../../README.md?1", "../../index.html?1"},
		{"index from a copy", copyPage, "indexes/S看世界.md", nav, "../../indexes/S看世界.md?1", "../../indexes/S看世界.html?1"},
		{"root-relative is from the tree root", page, "/indexes/热点.md", nav, "../../indexes/热点.md?1", "../../indexes/热点.html?1"},
		{"root-relative from a copy", copyPage, "/indexes/热点.md", nav, "../../indexes/热点.md?1", "../../indexes/热点.html?1"},
		{"operator's file from the repository root", page, "about.md", nav, "../../about.md?1", "../../about.md?1"},
		{"operator's file from a copy climbs out of the tree", copyPage, "about.md", nav, "../../../about.md?1", "../../../about.md?1"},
		{"operator's root-relative file from a copy", copyPage, "/x.md", list, "../../../x.md?t=01130820", "../../../x.md?t=01130820"},
		{"beyond the repository", page, "../../../basic/README.md", nav, "../../../../../basic/README.md?1", "../../../../../basic/README.md?1"},
		{"local fragment kept after the stamp", page, "indexes/a.md#top", nav, "../../indexes/a.md?1#top", "../../indexes/a.html?1#top"},
		{"local query extended", page, "indexes/a.md?x=1", nav, "../../indexes/a.md?x=1&1", "../../indexes/a.html?x=1&1"},
		{"spaces and parentheses escaped in Markdown only", page, "indexes/a (b).md", list, "../../indexes/a%20%28b%29.md?t=01130820", "../../indexes/a (b).html?t=01130820"},
		{"no stamp", site.At("README.md"), "indexes/a.md", site.Query{}, "indexes/a.md", "indexes/a.html"},
		{"page from the home page", site.At("README.md"), "pages/p9/1.md", list, "pages/p9/1.md?t=01130820", "pages/p9/1.html?t=01130820"},
		{"asset from a copy", copyPage, "assets/ab/ab.png", site.Query{}, "../../../assets/ab/ab.png", "../../../assets/ab/ab.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := site.Markdown.Link(tt.from, tt.raw, tt.q); got != tt.md {
				t.Errorf("Markdown: Link(%+v, %q) = %q, want %q", tt.from, tt.raw, got, tt.md)
			}
			if got := site.HTML.Link(tt.from, tt.raw, tt.q); got != tt.html {
				t.Errorf("HTML: Link(%+v, %q) = %q, want %q", tt.from, tt.raw, got, tt.html)
			}
		})
	}
}

func TestToCrossesTreesThroughTheRepositoryRoot(t *testing.T) {
	tests := []struct {
		from, to site.Loc
		want     string
	}{
		{site.At("pages/p9/1.md"), site.At("pages/p9/1.md").In("zh-Hant"), "../../zh-Hant/pages/p9/1.md"},
		{site.At("pages/p9/1.md").In("zh-Hant"), site.At("pages/p9/1.md"), "../../../pages/p9/1.md"},
		{site.At("README.md"), site.At("README.md").In("zh-Hant"), "zh-Hant/README.md"},
		{site.At("README.md").In("zh-Hant"), site.At("README.md"), "../README.md"},
		{site.At("README.md").In("zh-Hant"), site.At("indexes/a.md").In("zh-Hant"), "indexes/a.md"},
		{site.At("pages/p9/1.md").In("zh-Hant"), site.At("README.md").In("zh-Hans"), "../../../zh-Hans/README.md"},
	}
	for _, tt := range tests {
		if got := tt.from.To(tt.to); got != tt.want {
			t.Errorf("%+v.To(%+v) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestFileAndPublicNameTheCopyInItsTree(t *testing.T) {
	l := site.At("pages/p9/1.md").In("zh-Hant")
	if got := site.HTML.File(l); got != "zh-Hant/pages/p9/1.html" {
		t.Errorf("HTML file = %q", got)
	}
	if got := site.HTML.File(site.At("README.md").In("zh-Hant")); got != "zh-Hant/index.html" {
		t.Errorf("HTML home = %q", got)
	}
	if got := site.Markdown.File(l); got != "zh-Hant/pages/p9/1.md" {
		t.Errorf("Markdown file = %q", got)
	}
	if got := l.Public("https://github.com/o/r/blob/master/{path}", "p9", "1"); got != "https://github.com/o/r/blob/master/zh-Hant/pages/p9/1.md" {
		t.Errorf("public URL = %q", got)
	}
	if got := l.Public("", "p9", "1"); got != "" {
		t.Errorf("public URL without a template = %q", got)
	}
}

func TestBustKeepsTheFragmentLast(t *testing.T) {
	for raw, want := range map[string]string{
		"README.md":        "README.md?994979",
		"README.md#top":    "README.md?994979#top",
		"a.md?x=1#f":       "a.md?x=1&994979#f",
		"https://e.test/a": "https://e.test/a?994979",
	} {
		if got := site.Bust(raw, "994979"); got != want {
			t.Errorf("Bust(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := site.Bust("a.md", ""); got != "a.md" {
		t.Errorf("empty stamp changed the link: %q", got)
	}
}

func TestHTMLPathsMirrorMarkdownPaths(t *testing.T) {
	for md, want := range map[string]string{"README.md": "index.html", "zh-Hant/README.md": "zh-Hant/index.html", "../README.md": "../index.html", "pages/p9/1.md": "pages/p9/1.html", "indexes/热点推荐.md": "indexes/热点推荐.html"} {
		if got := site.HTMLPath(md); got != want {
			t.Errorf("HTMLPath(%q) = %q, want %q", md, got, want)
		}
	}
}

func TestFeedsSitBesideTheirLists(t *testing.T) {
	for md, want := range map[string]string{"README.md": "index.xml", "zh-Hant/README.md": "zh-Hant/index.xml", "indexes/S看世界.md": "indexes/S看世界.xml"} {
		if got := site.FeedPath(md); got != want {
			t.Errorf("FeedPath(%q) = %q, want %q", md, got, want)
		}
	}
	if got := site.Atom.File(site.At("indexes/S看世界.md").In("zh-Hant")); got != "zh-Hant/indexes/S看世界.xml" {
		t.Errorf("Atom file of a variant index = %q", got)
	}
	if got := site.Atom.LinkTo(site.At("indexes/a b.md"), site.At("indexes/a b.md"), ""); got != "../indexes/a b.xml" {
		t.Errorf("link from an index to its feed = %q", got)
	}
	if got := site.Atom.File(site.At("assets/ab/c.md")); got != "assets/ab/c.md" {
		t.Errorf("a file outside the trees has no feed twin: %q", got)
	}
}
