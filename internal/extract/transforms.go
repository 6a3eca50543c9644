package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// unwrapNoscript replaces every <noscript> that holds an image or other
// media with the HTML it holds (the parser keeps it as text): the mirror
// runs no script, so that is the copy its readers need, and a lazy <img>
// right before it is the script twin of the image inside, and goes. A
// <noscript> of text only ("enable JavaScript to see the comments") is
// dropped: browsers with scripts, what the source's readers use, never
// show it.
func unwrapNoscript(root *html.Node, st *state) {
	for _, ns := range elements(root, "noscript") {
		frag := parseFragment(textOf(ns))
		if !hasMedia(frag) {
			ns.Parent.RemoveChild(ns)
			st.art.Removed++
			continue
		}
		if len(elements(frag, "img")) > 0 {
			if prev := prevElement(ns); prev != nil && prev.DataAtom == atom.Img {
				ns.Parent.RemoveChild(prev)
			}
		}
		for c := frag.FirstChild; c != nil; c = frag.FirstChild {
			frag.RemoveChild(c)
			ns.Parent.InsertBefore(c, ns)
		}
		ns.Parent.RemoveChild(ns)
	}
}

// prevElement and nextElement are n's sibling elements, skipping white
// space; nil when there is none or text comes first.
func prevElement(n *html.Node) *html.Node {
	return sibling(n, func(x *html.Node) *html.Node { return x.PrevSibling })
}
func nextElement(n *html.Node) *html.Node {
	return sibling(n, func(x *html.Node) *html.Node { return x.NextSibling })
}

func sibling(n *html.Node, step func(*html.Node) *html.Node) *html.Node {
	for p := step(n); p != nil; p = step(p) {
		switch {
		case p.Type == html.ElementNode:
			return p
		case p.Type != html.TextNode || strings.TrimSpace(p.Data) != "":
			return nil
		}
	}
	return nil
}

// lazyImages moves the real address of lazy-loaded images into src: the
// first lazy attribute set, else, when src is missing or a placeholder,
// the first srcset (or data-srcset) candidate. A data-srcset becomes the
// srcset; a real srcset stays for the image localiser.
func lazyImages(root *html.Node, st *state) {
	for _, img := range elements(root, "img") {
		src := ""
		for _, key := range st.rules.lazyAttrs {
			if v := strings.TrimSpace(htmlnode.Attr(img, key)); v != "" {
				src = v
				break
			}
		}
		if cur := strings.TrimSpace(htmlnode.Attr(img, "src")); src == "" && (cur == "" || isPlaceholder(cur)) {
			src = firstCandidate(htmlnode.Attr(img, "srcset"))
			if src == "" {
				src = firstCandidate(htmlnode.Attr(img, "data-srcset"))
			}
		}
		if src != "" {
			htmlnode.SetAttr(img, "src", src)
		}
		if ds := htmlnode.Attr(img, "data-srcset"); ds != "" && htmlnode.Attr(img, "srcset") == "" {
			htmlnode.SetAttr(img, "srcset", ds)
		}
		for _, key := range st.rules.lazyAttrs {
			htmlnode.RemoveAttr(img, key)
		}
		htmlnode.RemoveAttr(img, "data-srcset")
	}
}

func isPlaceholder(src string) bool {
	s := strings.ToLower(src)
	return strings.HasPrefix(s, "data:") || strings.Contains(s, "placeholder") || strings.Contains(s, "blank.gif") ||
		strings.Contains(s, "lazy") || strings.Contains(s, "loading.gif")
}

// firstCandidate is the URL of srcset's first candidate.
func firstCandidate(srcset string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(srcset), ",")
	fields := strings.Fields(first)
	if len(fields) == 0 {
		return ""
	}
	return fields[0]
}

// dropTracking removes the source's tracking pixels: images whose URL
// holds a configured tracking substring, and 0×0 or 1×1 images.
func dropTracking(root *html.Node, st *state) {
	for _, img := range elements(root, "img") {
		if isPixel(img) || containsAny(htmlnode.Attr(img, "src"), st.rules.source.Tracking) {
			img.Parent.RemoveChild(img)
			st.art.Removed++
		}
	}
}

func isPixel(img *html.Node) bool {
	tiny := func(v string) bool {
		v = strings.TrimSuffix(strings.TrimSpace(v), "px")
		return v == "0" || v == "1"
	}
	return tiny(htmlnode.Attr(img, "width")) || tiny(htmlnode.Attr(img, "height"))
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// dropAttributes deletes the attributes Rules.DropAttributes names.
func dropAttributes(root *html.Node, st *state) {
	if len(st.rules.dropAttrs) == 0 {
		return
	}
	all := st.rules.dropAttrs["*"]
	walk(root, func(n *html.Node) {
		for _, key := range append(st.rules.dropAttrs[n.Data], all...) {
			htmlnode.RemoveAttr(n, key)
		}
	})
}

// renameHeadings applies Rules.Headings (h2 → h4 and the like).
func renameHeadings(root *html.Node, st *state) {
	if len(st.rules.headings) == 0 {
		return
	}
	walk(root, func(n *html.Node) {
		if to, ok := st.rules.headings[n.Data]; ok {
			n.Data, n.DataAtom = to, atom.Lookup([]byte(to))
		}
	})
}

// figureBreaks puts a <br/> before every <figcaption>, and after every
// <figure> without one, as the reference pages did.
func figureBreaks(root *html.Node, st *state) {
	if !st.rules.figureBreaks {
		return
	}
	for _, fig := range elements(root, "figure") {
		caps := elements(fig, "figcaption")
		if len(caps) == 0 {
			if next := nextElement(fig); next == nil || next.DataAtom != atom.Br {
				fig.Parent.InsertBefore(newBr(), fig.NextSibling)
			}
			continue
		}
		for _, c := range caps {
			if prev := prevElement(c); prev == nil || prev.DataAtom != atom.Br {
				c.Parent.InsertBefore(newBr(), c)
			}
		}
	}
}

func newBr() *html.Node { return &html.Node{Type: html.ElementNode, Data: "br", DataAtom: atom.Br} }
