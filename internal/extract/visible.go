package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
//   - a <label> of a control (a for attribute, or a control inside) goes
//     with the control it names; other labels stay as text;
//   - <fieldset> becomes a <div> and its <legend> a <p>, so the group's
//     caption stays a line of its own once the sanitizer strips them;
//   - everything else is left to the sanitizer, which keeps the content of
//     the elements it does not allow (custom elements, <label>, <bdi>…).
var (
	notRendered = set("script", "style", "template", "link", "meta", "base", "title",
		"iframe", "frame", "frameset", "noembed", "noframes", "canvas",
		"embed", "param")
	controls     = set("input", "button", "select", "option", "optgroup", "textarea", "datalist", "keygen", "isindex")
	unwrapped    = set("form", "object", "applet")
	voidElements = set("area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
		"param", "source", "track", "wbr", "isindex")
	renamed = map[string]atom.Atom{"fieldset": atom.Div, "legend": atom.P}
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
		if notRendered[n.Data] || controls[n.Data] || n.Data == "noscript" || hidden(n) || controlLabel(n) {
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
// CJK text is most of what it reads: a three-byte sequence led by 0xE4…
// 0xEF is never white space, so it is counted without decoding.
func countText(s string) int {
	total, marker := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if !isSpace(c) && c != '\v' {
				total++
			}
			i++
		case c >= 0xE4 && c < 0xF0 && i+2 < len(s):
			marker = marker || c == 0xEE
			total++
			i += 3
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				total++
			}
			i += size
		}
	}
	if marker {
		total -= strings.Count(s, PromoMarker) * markerChars
	}
	return total
}

// markerChars is what the promo marker would count as text.
var markerChars = utf8.RuneCountInString(PromoMarker)

// visibleTextLen is visibleLen of an HTML fragment, read with the
// tokenizer alone: no tree is built, since a sanitized body needs none to
// tell what is shown.
func visibleTextLen(s string) int {
	z := html.NewTokenizer(strings.NewReader(s))
	var skip []string // the open elements whose content is not shown
	total := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return total
		case html.TextToken:
			if len(skip) == 0 {
				total += countText(string(z.Text()))
			}
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			n := &html.Node{Type: html.ElementNode, Data: string(name)}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				n.Attr = append(n.Attr, html.Attribute{Key: string(k), Val: string(v)})
			}
			if !voidElements[n.Data] && (notRendered[n.Data] || controls[n.Data] || n.Data == "noscript" || hidden(n) || controlLabel(n)) {
				skip = append(skip, n.Data)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if k := len(skip); k > 0 && skip[k-1] == string(name) {
				skip = skip[:k-1]
			}
		}
	}
}

// removeUnsafe deletes comments, what never renders and the form controls;
// each element counts in Removed.
func removeUnsafe(root *html.Node, st *state) {
	st.art.Removed += removeMatching(root, func(n *html.Node) bool {
		return n.Type == html.CommentNode || n.Type == html.ElementNode && (notRendered[n.Data] || controls[n.Data] || controlLabel(n))
	})
}

// controlLabel reports whether n is the <label> of a form control.
func controlLabel(n *html.Node) bool {
	if n.Type != html.ElementNode || n.Data != "label" {
		return false
	}
	if htmlnode.HasAttr(n, "for") {
		return true
	}
	found := false
	walk(n, func(e *html.Node) { found = found || controls[e.Data] })
	return found
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
// content (their controls and plugin parameters are gone already), and
// renames <fieldset> and <legend>.
// The body element itself, when one of them, becomes a <div>.
func unwrapRendered(root *html.Node, st *state) {
	var found []*html.Node
	walk(root, func(n *html.Node) {
		if unwrapped[n.Data] {
			found = append(found, n)
		}
	})
	walk(root, func(n *html.Node) {
		if a, ok := renamed[n.Data]; ok {
			n.Data, n.DataAtom = a.String(), a
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
