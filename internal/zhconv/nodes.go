package zhconv

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Nodes converts, in place, the text of the HTML trees rooted at nodes and
// leaves their markup as it is: element names, attributes (links, image
// sources, alt text) and the contents of <script> and <style>.
func (c *Converter) Nodes(nodes ...*html.Node) {
	for _, n := range nodes {
		c.node(n)
	}
}

func (c *Converter) node(n *html.Node) {
	switch {
	case n.Type == html.TextNode:
		n.Data = c.Text(n.Data)
		return
	case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
		return
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.node(ch)
	}
}
