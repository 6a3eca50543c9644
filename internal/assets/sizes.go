package assets

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// Size is how an image was scaled when it was stored.
type Size struct {
	Width, Height, NewWidth, NewHeight int
}

// FitSizes keeps the width and height attributes of the body's images
// consistent with the images stored scaled down (sizes, by URL as written
// in the body; call it before RewriteNodes): a width wider than the stored
// image becomes its width and the height follows in proportion; a height
// that cannot follow (not a number) is dropped, as is a width or height
// that is neither a number nor a percentage. Percentages stay.
func FitSizes(nodes []*html.Node, sizes map[string]Size) {
	if len(sizes) == 0 {
		return
	}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Img {
			if s, ok := sizes[strings.TrimSpace(htmlnode.Attr(n, "src"))]; ok {
				fit(n, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
}

func fit(n *html.Node, s Size) {
	w, wok := pixels(n, "width")
	h, hok := pixels(n, "height")
	switch {
	case wok && w > s.NewWidth:
		htmlnode.SetAttr(n, "width", strconv.Itoa(s.NewWidth))
		if hok {
			htmlnode.SetAttr(n, "height", strconv.Itoa(max(1, (h*s.NewWidth+w/2)/w)))
		} else if !percent(n, "height") {
			htmlnode.RemoveAttr(n, "height")
		}
	case !wok && hok && h > s.NewHeight && !percent(n, "width"):
		htmlnode.RemoveAttr(n, "width")
		htmlnode.SetAttr(n, "height", strconv.Itoa(s.NewHeight))
	}
	for _, a := range []string{"width", "height"} {
		if _, ok := pixels(n, a); !ok && !percent(n, a) {
			htmlnode.RemoveAttr(n, a)
		}
	}
}

// pixels is the attribute as a whole number of pixels ("600", "600px").
func pixels(n *html.Node, name string) (int, bool) {
	v := strings.TrimSuffix(strings.TrimSpace(htmlnode.Attr(n, name)), "px")
	i, err := strconv.Atoi(v)
	return i, err == nil && i > 0
}

func percent(n *html.Node, name string) bool {
	v := strings.TrimSpace(htmlnode.Attr(n, name))
	_, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	return strings.HasSuffix(v, "%") && err == nil
}
