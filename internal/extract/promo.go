package extract

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// placePromo puts PromoMarker at the promo anchor, as Rules.PromoMode says;
// failing that, after the lead image block (or the body block that holds
// the first image); failing that, at the top of the body.
func placePromo(root *html.Node, st *state) {
	marker := &html.Node{Type: html.TextNode, Data: PromoMarker}
	if st.rules.promoAnchor != nil {
		if anchor := cascadia.Query(root, st.rules.promoAnchor); anchor != nil {
			if st.rules.promoMode == PromoReplace {
				st.guard.removeChosen(root, anchor)
			}
			placeAt(anchor, marker, st.rules.promoMode)
			st.art.PromoAt = "anchor"
			return
		}
	}
	if st.body.PrevSibling != nil { // the lead block and its <hr/>
		root.InsertBefore(marker, st.body)
		st.art.PromoAt = "lead-image"
		return
	}
	if block := leadImageBlock(st.body); block != nil {
		block.Parent.InsertBefore(marker, block.NextSibling)
		st.art.PromoAt = "lead-image"
		return
	}
	st.body.InsertBefore(marker, st.body.FirstChild)
	st.art.PromoAt = "top"
}

// placeAt inserts marker at anchor: inside it, before or after it, or
// instead of it.
func placeAt(anchor, marker *html.Node, mode string) {
	switch mode {
	case PromoBefore:
		anchor.Parent.InsertBefore(marker, anchor)
	case PromoAfter:
		anchor.Parent.InsertBefore(marker, anchor.NextSibling)
	case PromoReplace:
		anchor.Parent.InsertBefore(marker, anchor)
		anchor.Parent.RemoveChild(anchor)
	default:
		anchor.InsertBefore(marker, anchor.FirstChild)
	}
}

// leadImageBlock is the child of body that holds the body's first image.
func leadImageBlock(body *html.Node) *html.Node {
	var img *html.Node
	walk(body, func(n *html.Node) {
		if img == nil && n.DataAtom == atom.Img {
			img = n
		}
	})
	if img == nil || img == body {
		return nil
	}
	for img.Parent != body {
		img = img.Parent
	}
	return img
}

// foldWhitespace turns every run of white space that holds a line break
// into one line break. The body then has no blank line, which would end
// the HTML block in Markdown and let the rest be read as Markdown.
func foldWhitespace(root *html.Node, _ *state) {
	var fold func(*html.Node)
	fold = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Pre || n.DataAtom == atom.Textarea) {
			return
		}
		if n.Type == html.TextNode {
			mergeFollowingText(n)
			n.Data = foldText(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			fold(c)
		}
	}
	fold(root)
}

func foldText(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		run := s[i:j]
		if strings.ContainsAny(run, "\r\n") {
			b.WriteByte('\n')
		} else {
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// mergeFollowingText joins the text nodes right after n into n; removed
// elements leave such runs behind.
func mergeFollowingText(n *html.Node) {
	for next := n.NextSibling; next != nil && next.Type == html.TextNode; next = n.NextSibling {
		n.Data += next.Data
		n.Parent.RemoveChild(next)
	}
}
