package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// PromoMarker stands, as a text node, where the promo block goes. Renderers
// replace it; it survives sanitizing because it is plain text.
const PromoMarker = "\uE000newsmirror-promo\uE000"

// Article is the extracted body of one page.
type Article struct {
	// HTML is the cleaned body element, serialised, holding PromoMarker once.
	HTML string
	// TextLen counts the body's non-space characters.
	TextLen int
	// Images are the absolute URLs of the body's images, in order.
	Images []string
	// Removed counts the elements deleted by the unsafe list and Rules.Remove.
	Removed int
	// PromoAt says where the promo marker went: "anchor", "lead-image" or "top".
	PromoAt string
}

// MissError means the body selector matched nothing on the page.
type MissError struct{ Selector string }

func (e *MissError) Error() string {
	return fmt.Sprintf("body selector %q matched nothing", e.Selector)
}

// Extract parses page (UTF-8 HTML fetched from pageURL) and runs the
// transform chain over the element the body selector picks.
func Extract(page []byte, pageURL *url.URL, rules *Compiled) (*Article, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", pageURL, err)
	}
	body := cascadia.Query(doc, rules.body)
	if body == nil {
		return nil, &MissError{Selector: rules.source.Body}
	}
	if body.Parent != nil {
		body.Parent.RemoveChild(body)
	}
	st := &state{page: pageURL, rules: rules, art: &Article{}}
	for _, step := range chain {
		step(body, st)
	}
	var b strings.Builder
	if err := html.Render(&b, body); err != nil {
		return nil, fmt.Errorf("render body of %s: %w", pageURL, err)
	}
	st.art.HTML = b.String()
	return st.art, nil
}

// state is what the transforms share while they run over one body.
type state struct {
	page  *url.URL
	rules *Compiled
	art   *Article
}

// transform is one step of the chain; it edits the body in place.
type transform func(body *html.Node, st *state)

// chain is the order in which transforms run; see docs/rules.md.
var chain = []transform{
	removeUnsafe,
	removeSelected,
	absolutizeURLs,
	rewriteLinks,
	placePromo,
	foldWhitespace,
	measure,
}

// unsafeElements never reach a page, whatever the rules say.
var unsafeElements = map[string]bool{
	"script": true, "iframe": true, "style": true, "link": true, "meta": true,
	"object": true, "embed": true, "frame": true, "frameset": true, "base": true,
}

func removeUnsafe(body *html.Node, st *state) {
	st.art.Removed += removeMatching(body, func(n *html.Node) bool {
		return n.Type == html.ElementNode && unsafeElements[n.Data] || n.Type == html.CommentNode
	})
}

func removeSelected(body *html.Node, st *state) {
	for _, sel := range st.rules.remove {
		for _, n := range cascadia.QueryAll(body, sel) {
			if n.Parent != nil && n != body {
				n.Parent.RemoveChild(n)
				st.art.Removed++
			}
		}
	}
}

// removeMatching deletes every descendant of root for which match is true.
func removeMatching(root *html.Node, match func(*html.Node) bool) int {
	removed := 0
	var next *html.Node
	for c := root.FirstChild; c != nil; c = next {
		next = c.NextSibling
		if match(c) {
			root.RemoveChild(c)
			removed++
			continue
		}
		removed += removeMatching(c, match)
	}
	return removed
}

// walk calls fn for root and every element below it, in document order.
func walk(root *html.Node, fn func(*html.Node)) {
	if root.Type == html.ElementNode {
		fn(root)
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func measure(body *html.Node, st *state) {
	var count func(*html.Node)
	count = func(n *html.Node) {
		if n.Type == html.TextNode {
			for _, r := range n.Data {
				if !unicode.IsSpace(r) && r != '\uE000' {
					st.art.TextLen++
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			count(c)
		}
	}
	count(body)
	st.art.TextLen -= len([]rune(strings.TrimSpace(strings.ReplaceAll(PromoMarker, "\uE000", ""))))
	walk(body, func(n *html.Node) {
		if n.Data == "img" {
			if src := attr(n, "src"); src != "" {
				st.art.Images = append(st.art.Images, src)
			}
		}
	})
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
