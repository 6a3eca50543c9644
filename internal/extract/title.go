package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

var (
	ogTitle    = cascadia.MustCompile(`meta[property="og:title"]`)
	ogSiteName = cascadia.MustCompile(`meta[property="og:site_name"]`)
	titleSel   = cascadia.MustCompile(`title`)
	h1Sel      = cascadia.MustCompile(`body h1`)
)

// titleSeparators sit between a title and the site's name, longest first
// so " - " is tried before "-".
var titleSeparators = []string{" - ", " – ", " — ", " | ", " _ ", " · ", " :: ", " » ", " / ", "｜", "_", "|", "－", "—"}

// pageTitle is the page's own title: og:title, else <title>, else the
// first <h1>; a site name before or after it is cut off when og:site_name
// names it or one of the page's <h1> shows the title without it.
func pageTitle(doc *html.Node) string {
	site := metaContent(doc, ogSiteName)
	var h1s []string
	for _, n := range cascadia.QueryAll(doc, h1Sel) {
		if h := squeeze(textOf(n)); h != "" {
			h1s = append(h1s, h)
		}
	}
	t := ""
	if m := cascadia.Query(doc, ogTitle); m != nil {
		t = strings.TrimSpace(htmlnode.Attr(m, "content"))
	}
	if t == "" {
		if n := cascadia.Query(doc, titleSel); n != nil {
			t = squeeze(textOf(n))
		}
	}
	if t == "" && len(h1s) > 0 {
		return h1s[0]
	}
	for range 3 { // "Title - Section - Site"
		cut := trimSiteName(t, site, h1s)
		if cut == t {
			break
		}
		t = cut
	}
	return t
}

// trimSiteName cuts one site name off t: the part after a separator (or
// before it) that is the site's name, or whose other part is one of the
// page's <h1>. When several cuts qualify (a logo <h1> and the headline's
// both match), cutting a suffix wins over cutting a prefix, since sites
// put their name last far more often, then the longest title left.
func trimSiteName(t, site string, h1s []string) string {
	isH1 := func(s string) bool {
		for _, h := range h1s {
			if same(s, h) {
				return true
			}
		}
		return false
	}
	if isH1(t) {
		return t
	}
	var head, tail string // the longest title left by cutting a suffix, a prefix
	longer := func(best *string, s string) {
		if len(s) > len(*best) {
			*best = s
		}
	}
	for _, sep := range titleSeparators {
		for _, i := range []int{strings.Index(t, sep), strings.LastIndex(t, sep)} {
			if i <= 0 {
				continue
			}
			before, after := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+len(sep):])
			if before == "" || after == "" {
				continue
			}
			// A prefix is cut for an <h1> only when it is the shorter part:
			// a logo <h1> naming the site at the end must not win.
			nb, na := len([]rune(before)), len([]rune(after))
			if isSiteName(after, site) || isH1(before) {
				longer(&head, before)
			}
			if isSiteName(before, site) || isH1(after) && nb < na {
				longer(&tail, after)
			}
		}
	}
	switch {
	case head != "":
		return head
	case tail != "":
		return tail
	}
	return t
}

// isSiteName reports whether part names the site: og:site_name or a part
// of it ("看中国" of "看中国 secretchina.com").
func isSiteName(part, site string) bool {
	if site == "" || part == "" {
		return false
	}
	p, s := fold(part), fold(site)
	return p == s || len([]rune(p)) >= 2 && strings.Contains(s, p)
}

func same(a, b string) bool { return fold(a) == fold(b) }

// fold is s lower-cased with its white space squeezed to single spaces.
func fold(s string) string { return strings.ToLower(squeeze(s)) }

// squeeze trims s and turns each run of ASCII white space into one space;
// the ideographic space (U+3000) of CJK titles is kept.
func squeeze(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) }), " ")
}

func metaContent(doc *html.Node, sel cascadia.Selector) string {
	if m := cascadia.Query(doc, sel); m != nil {
		return squeeze(htmlnode.Attr(m, "content"))
	}
	return ""
}
