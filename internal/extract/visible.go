package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// What a browser does with an element's content decides what the chain
// does with it (docs/rules.md, "What a browser shows"):
//
//   - dropped with their content: what never renders (scripts, styles,
//     templates, frames, <noembed>/<noframes>, <canvas> fallback) and the
//     form controls, whose text is a widget's, not the article's;
//   - unwrapped (content kept, element gone): <form>, whose content every
//     browser renders, and <object>/<applet>, whose content is the
//     fallback every browser shows today, plugins being gone;
//   - everything else is left to the sanitizer, which keeps the content of
//     the elements it does not allow (<label>, <fieldset>, custom elements).
var (
	notRendered = set("script", "style", "template", "link", "meta", "base", "title",
		"iframe", "frame", "frameset", "noembed", "noframes", "canvas",
		"embed", "param")
	controls  = set("input", "button", "select", "option", "optgroup", "textarea", "datalist", "keygen", "isindex")
	unwrapped = set("form", "object", "applet")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// hidden reports whether the page hides n from every reader: the hidden
// attribute, display:none or visibility:hidden|collapse in its style, or a
// <dialog> that is not open. (An <input type=hidden> is a control and goes
// anyway.)
func hidden(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if htmlnode.HasAttr(n, "hidden") || n.Data == "dialog" && !htmlnode.HasAttr(n, "open") {
		return true
	}
	style := htmlnode.Attr(n, "style")
	if style == "" {
		return false
	}
	for decl := range strings.SplitSeq(strings.ToLower(style), ";") {
		prop, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.TrimSpace(prop)
		val = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(val), "!important"))
		if prop == "display" && val == "none" || prop == "visibility" && (val == "hidden" || val == "collapse") {
			return true
		}
	}
	return false
}

// decorative reports whether n is declared aria-hidden and holds no text:
// an ad slot, a spacer or an icon. An aria-hidden element with text is
// still shown by browsers, so it stays.
func decorative(n *html.Node) bool {
	return n.Type == html.ElementNode && htmlnode.Attr(n, "aria-hidden") == "true" && visibleLen(n) == 0
}

// visibleLen counts the non-space characters a browser shows of n: text
// outside the elements that never render, form controls and hidden
// elements. The promo marker does not count.
func visibleLen(n *html.Node) int {
	switch n.Type {
	case html.TextNode:
		return countText(n.Data)
	case html.ElementNode:
		if notRendered[n.Data] || controls[n.Data] || n.Data == "noscript" || hidden(n) {
			return 0
		}
	case html.CommentNode, html.DoctypeNode:
		return 0
	}
	total := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		total += visibleLen(c)
	}
	return total
}

// countText counts the non-space characters of s, the promo marker aside.
func countText(s string) int {
	if strings.Contains(s, PromoMarker) {
		s = strings.ReplaceAll(s, PromoMarker, "")
	}
	total := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			total++
		}
	}
	return total
}

// removeUnsafe deletes comments, what never renders and the form controls;
// each element counts in Removed.
func removeUnsafe(root *html.Node, st *state) {
	st.art.Removed += removeMatching(root, func(n *html.Node) bool {
		return n.Type == html.CommentNode || n.Type == html.ElementNode && (notRendered[n.Data] || controls[n.Data])
	})
}

// dropHidden deletes what the page hides (see hidden and decorative),
// except the body element itself, which a script may reveal. Each counts
// in Removed; the text they held is reported when it is long enough to be
// worth a look (a "read more" block revealed by a click, say).
func dropHidden(root *html.Node, st *state) {
	text := 0
	st.art.Removed += removeMatching(root, func(n *html.Node) bool {
		if n == st.body || !hidden(n) && !decorative(n) {
			return false
		}
		text += textLen(n)
		return true
	})
	if text >= DefaultMinText {
		st.art.Warnings = append(st.art.Warnings, hiddenWarning(text))
	}
}

// unwrapRendered replaces every <form>, <object> and <applet> with its
// content. Their controls and plugin parameters are gone already.
// The body element itself, when one of them, becomes a <div>.
func unwrapRendered(root *html.Node, st *state) {
	var found []*html.Node
	walk(root, func(n *html.Node) {
		if unwrapped[n.Data] {
			found = append(found, n)
		}
	})
	for _, n := range found {
		if n == st.body {
			n.Data, n.DataAtom = "div", atom.Div
			continue
		}
		unwrap(n)
	}
}

// unwrap moves n's children where n is and removes n.
func unwrap(n *html.Node) {
	if n.Parent == nil {
		return
	}
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
	}
	n.Parent.RemoveChild(n)
}
