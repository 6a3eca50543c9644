package extract

import (
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// leadBlock builds the lead image block put before the body: a <div>
// holding a copy of the element Rules.LeadImage picks on the page, and of
// the Rules.LeadCaption element when the lead holds no caption of its own.
// It is nil when there is no page or rule, nothing matches, or the lead
// already sits inside the body.
func leadBlock(doc, body *html.Node, rules *Compiled) *html.Node {
	if doc == nil || rules.leadImage == nil {
		return nil
	}
	lead := cascadia.Query(doc, rules.leadImage)
	if lead == nil || isInside(lead, body) || isInside(body, lead) {
		return nil
	}
	block := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	block.AppendChild(htmlnode.Clone(lead))
	if rules.leadCaption != nil {
		if c := cascadia.Query(doc, rules.leadCaption); c != nil && !isInside(c, lead) && !isInside(c, body) {
			block.AppendChild(htmlnode.Clone(c))
		}
	}
	return block
}

// isInside reports whether n is outer or one of its descendants.
func isInside(n, outer *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == outer {
			return true
		}
	}
	return false
}
