package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PromoMarker stands, as a text node, where the promo block goes. Renderers
// replace it; it survives sanitizing because it is plain text.
const PromoMarker = "\uE000newsmirror-promo\uE000"

// Article is the extracted body of one page.
type Article struct {
	// HTML is the body, serialised: the lead image block and an <hr/> when
	// the rules name one, then the body element. It holds PromoMarker once.
	HTML string
	// Title is the page's own title (og:title, else <title>), "" if none.
	Title string
	// TextLen counts the body's non-space characters.
	TextLen int
	// Images are the absolute URLs of the body's images, in order, lead
	// image first; data: URLs are not listed.
	Images []string
	// Removed counts the elements deleted as never shown (scripts, form
	// controls, hidden elements), by Rules.Remove and by the tracking-pixel
	// filter.
	Removed int
	// PromoAt says where the promo marker went: "anchor", "lead-image" or "top".
	PromoAt string
	// Rule says what found the body: "body[0] div.article_right", "feed
	// content" or "readability".
	Rule string
	// Fallback is true when the rules missed and readability found the body.
	Fallback bool
	// SourceText counts the non-space characters a browser shows of the
	// selected source element (and the lead block), less the text the
	// rules remove on purpose (remove, replace, a replaced promo anchor).
	SourceText int
	// Retained is the share of SourceText the body keeps, 0…1; under
	// Rules.MinRetained a warning says text was lost. Run measures its
	// own output; CheckPublished measures the sanitized body.
	Retained float64
	// Warnings are the problems worth a rule author's attention.
	Warnings []string

	guard retention
}

// MissError means the body selectors matched nothing (or too little) and
// no fallback could stand in.
type MissError struct {
	Selector string
	// Reason says why the fallback did not help, "" when it was off.
	Reason string
}

func (e *MissError) Error() string {
	msg := fmt.Sprintf("body selector %q matched nothing usable", e.Selector)
	if e.Reason != "" {
		msg += "; " + e.Reason
	}
	return msg
}

// Input is what one extraction reads.
type Input struct {
	// Page is the article's HTML page, UTF-8; nil when only Content is known.
	Page []byte
	// Content is the article body as an HTML fragment (a feed's full
	// content); when set it is the body and Rules.Body is not used.
	Content []byte
	// URL is where the page lives; relative URLs are resolved against it.
	URL *url.URL
}

// Extract parses page (UTF-8 HTML fetched from pageURL) and runs the
// transform chain over the element the body selectors pick.
func Extract(page []byte, pageURL *url.URL, rules *Compiled) (*Article, error) {
	return Run(Input{Page: page, URL: pageURL}, rules)
}

// ExtractContent runs the transform chain over content, an article body
// given as an HTML fragment (a feed's full content). page, when not nil,
// is the article's page, read for the title and the lead image.
func ExtractContent(content, page []byte, pageURL *url.URL, rules *Compiled) (*Article, error) {
	if content == nil {
		content = []byte{}
	}
	return Run(Input{Page: page, Content: content, URL: pageURL}, rules)
}

// Run extracts the article of in with rules.
func Run(in Input, rules *Compiled) (*Article, error) {
	art := &Article{}
	var doc *html.Node
	if in.Page != nil {
		var err error
		if doc, err = html.Parse(bytes.NewReader(in.Page)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", in.URL, err)
		}
		art.Title = pageTitle(doc)
	}
	body, err := findBody(in, doc, rules, art)
	if err != nil {
		return nil, err
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	if lead := leadBlock(doc, body, rules); lead != nil {
		root.AppendChild(lead)
		root.AppendChild(&html.Node{Type: html.ElementNode, Data: "hr", DataAtom: atom.Hr})
	}
	if body.Parent != nil {
		body.Parent.RemoveChild(body)
	}
	root.AppendChild(body)
	art.guard = retention{source: visibleLen(root), min: rules.minRetained}
	st := &state{page: in.URL, rules: rules, art: art, body: body, guard: &art.guard}
	for _, step := range chain {
		step(root, st)
	}
	var b strings.Builder
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			return nil, fmt.Errorf("render body of %s: %w", in.URL, err)
		}
	}
	art.HTML = b.String()
	return art, nil
}

// findBody picks the body: the feed content, the first selector's match,
// or readability's guess when the selectors miss. When the match holds
// less than Rules.MinText characters readability is asked too, and the
// longer of the two wins.
func findBody(in Input, doc *html.Node, rules *Compiled, art *Article) (*html.Node, error) {
	if in.Content != nil {
		art.Rule = "feed content"
		return parseFragment(string(in.Content)), nil
	}
	body, rule := selectBody(doc, rules)
	n := textLen(body)
	switch {
	case body != nil && n >= rules.minText:
		art.Rule = rule
		return body, nil
	case body != nil:
		art.Warnings = append(art.Warnings, fmt.Sprintf("%s found only %d characters (min_text %d)", rule, n, rules.minText))
	default:
		art.Warnings = append(art.Warnings, fmt.Sprintf("body selector %s matched nothing", strings.Join(rules.source.Body, " | ")))
	}
	miss := &MissError{Selector: strings.Join(rules.source.Body, ", ")}
	var found *html.Node
	err := fmt.Errorf("fallback is off")
	if rules.fallback != FallbackNone {
		found, err = readable(in.Page, in.URL)
	}
	if err == nil && acceptFallback(found, body, n, rules.minText) {
		art.Rule, art.Fallback = "readability", true
		art.Warnings = append(art.Warnings, "fallback used: readability picked the body (selector broken?)")
		return found, nil
	}
	if body != nil { // short, but nothing better: keep it
		art.Rule = rule
		return body, nil
	}
	if err == nil {
		err = fmt.Errorf("readability found no text")
	}
	if rules.fallback != FallbackNone {
		miss.Reason = err.Error()
	}
	return nil, miss
}

// acceptFallback says whether readability's found beats the selectors'
// body (n characters, nil when they matched nothing): a short match must
// be beaten by min_text characters at least, while after a miss any text
// or image is taken (a short article is still the article).
func acceptFallback(found, body *html.Node, n, minText int) bool {
	m := textLen(found)
	if body == nil {
		return m > 0 || hasMedia(found)
	}
	return m > max(n, minText-1)
}

// hasMedia reports whether n holds an image, picture, video or audio.
func hasMedia(n *html.Node) bool {
	found := false
	walk(n, func(e *html.Node) {
		switch e.DataAtom {
		case atom.Img, atom.Picture, atom.Video, atom.Audio:
			found = true
		}
	})
	return found
}

// selectBody returns the first element the body selectors find, in the
// order the selectors are listed, and which selector found it.
func selectBody(doc *html.Node, rules *Compiled) (*html.Node, string) {
	for i, sel := range rules.body {
		if n := cascadia.Query(doc, sel); n != nil {
			return n, fmt.Sprintf("body[%d] %s", i, rules.source.Body[i])
		}
	}
	return nil, ""
}

// parseFragment parses s as the children of a <div> and returns that div.
func parseFragment(s string) *html.Node {
	div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), div)
	if err != nil {
		// The tokenizer only fails on reader errors; a strings.Reader has none.
		return div
	}
	for _, n := range nodes {
		div.AppendChild(n)
	}
	return div
}

// state is what the transforms share while they run over one body.
type state struct {
	page  *url.URL
	rules *Compiled
	art   *Article
	body  *html.Node // the body element; root also holds the lead block
	guard *retention
}

// transform is one step of the chain; it edits root (the lead block, if
// any, and the body) in place.
type transform func(root *html.Node, st *state)

// chain is the order in which transforms run; see docs/rules.md.
var chain = []transform{
	removeUnsafe,
	dropHidden,
	removeSelected,
	unwrapNoscript,
	unwrapRendered,
	lazyImages,
	dropTracking,
	absolutizeURLs,
	dropAttributes,
	renameHeadings,
	figureBreaks,
	rewriteLinks,
	replaceText,
	placePromo,
	foldWhitespace,
	measure,
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
// fn may change the element but not remove it.
func walk(root *html.Node, fn func(*html.Node)) {
	if root.Type == html.ElementNode {
		fn(root)
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

// elements lists root's descendant elements named name, in document order;
// safe to edit the tree while ranging over it.
func elements(root *html.Node, name string) []*html.Node {
	var out []*html.Node
	walk(root, func(n *html.Node) {
		if n != root && n.Data == name {
			out = append(out, n)
		}
	})
	return out
}

// textLen counts the non-space characters of n's text, outside scripts.
func textLen(n *html.Node) int {
	if n == nil {
		return 0
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Noscript) {
		return 0
	}
	total := 0
	if n.Type == html.TextNode {
		for _, r := range n.Data {
			if !unicode.IsSpace(r) && r != '\uE000' {
				total++
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		total += textLen(c)
	}
	return total
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}
