package extract

import (
	"fmt"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// DefaultMinRetained is the share of the source's visible text under which
// a body is reported as having lost text (Rules.MinRetained).
const DefaultMinRetained = 0.9

// retention is what the text-retention guard counts while the chain runs.
type retention struct {
	// source is the visible text of the lead block and the body before
	// the chain, in non-space characters.
	source int
	// chosen is the part of it the rules remove on purpose: the remove
	// selectors, the replacements, a promo anchor the promo replaces.
	chosen int
	// warning is 1 + the index of the guard's warning in
	// Article.Warnings, 0 when there is none (so a zero Article has none).
	warning int
	min     float64
}

// removeChosen counts, as chosen, the visible text of n, an element the
// rules remove from root; n must still be attached.
func (r *retention) removeChosen(root, n *html.Node) {
	if isInside(n, root) {
		r.chosen += visibleLen(n)
	}
}

// check sets a's retention from kept, the published body's visible text,
// and warns when it is below the rules' minimum.
func (r *retention) check(a *Article, kept int) {
	a.SourceText = max(r.source-r.chosen, 0)
	a.Retained = 1
	if a.SourceText > 0 {
		a.Retained = min(float64(kept)/float64(a.SourceText), 1)
	}
	msg := ""
	if a.Retained < r.min {
		msg = fmt.Sprintf("text lost: the body keeps %.0f%% of the visible text of the source (%d of %d characters; min_retained %.0f%%)",
			100*a.Retained, kept, a.SourceText, 100*r.min)
	}
	switch i := r.warning - 1; {
	case i >= 0 && msg == "":
		a.Warnings = append(a.Warnings[:i], a.Warnings[i+1:]...)
		r.warning = 0
	case i >= 0:
		a.Warnings[i] = msg
	case msg != "":
		a.Warnings = append(a.Warnings, msg)
		r.warning = len(a.Warnings)
	}
}

// TextLost is the guard's warning when the body keeps less of the
// source's visible text than Rules.MinRetained, else "".
func (a *Article) TextLost() string {
	if a.guard.warning == 0 {
		return ""
	}
	return a.Warnings[a.guard.warning-1]
}

// CheckPublished measures the guard again on body, the HTML that will be
// published (the sanitized Article.HTML), so text the sanitizer drops
// counts too. Retained, SourceText and the guard's warning are updated.
func (a *Article) CheckPublished(body string) {
	a.guard.check(a, visibleTextLen(body))
}

func hiddenWarning(chars int) string {
	return fmt.Sprintf("dropped %d characters of text the page hides (display:none, visibility:hidden, hidden); if it is the article, select the element a script reveals", chars)
}

// removeSelected deletes the elements Rules.Remove selects; their text is
// the operator's choice, not a loss.
func removeSelected(root *html.Node, st *state) {
	for _, sel := range st.rules.remove {
		for _, n := range cascadia.QueryAll(root, sel) {
			if n.Parent != nil && n != st.body {
				st.guard.removeChosen(root, n)
				n.Parent.RemoveChild(n)
				st.art.Removed++
			}
		}
	}
}

// replaceText applies Rules.Replace to every text node; the characters a
// replacement takes away are the operator's choice.
func replaceText(root *html.Node, st *state) {
	if len(st.rules.replace) == 0 {
		return
	}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			before := countText(n.Data)
			for _, r := range st.rules.replace {
				n.Data = r.apply(n.Data)
			}
			st.guard.chosen += max(before-countText(n.Data), 0)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
}

// measure fills the article's figures: text length, images, retention.
func measure(root *html.Node, st *state) {
	st.art.TextLen = textLen(root) - len([]rune(strings.Trim(PromoMarker, "\uE000")))
	walk(root, func(n *html.Node) {
		if n.Data == "img" {
			if src := htmlnode.Attr(n, "src"); src != "" && !strings.HasPrefix(strings.ToLower(src), "data:") {
				st.art.Images = append(st.art.Images, src)
			}
		}
	})
	st.guard.check(st.art, visibleLen(root))
}
