package seedsource

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
)

// node is an element or text of prettify()'s output, kept as written:
// raw is the start tag (or the whole self-closing tag, or the text), so
// attributes keep their order and quoting.
type node struct {
	name   string // element name; "" for text
	raw    string
	closed bool // self-closing: no children, no end tag
	kids   []*node
}

// parse reads prettify()'s output, in which every element is either
// self-closing or closed by its own end tag, into a tree without the
// HTML5 parser's re-nesting (the re-nesting is what we undo, by rule).
// Text is trimmed of the indentation prettify() added; blank text goes.
func parse(s string) (*node, error) {
	root := &node{}
	stack := []*node{root}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		top := stack[len(stack)-1]
		raw := string(z.Raw())
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) && len(stack) == 1 {
				return root, nil
			}
			return nil, fmt.Errorf("article div: %d elements left open (%v)", len(stack)-1, z.Err())
		case html.TextToken:
			if text := strings.Trim(raw, " \n"); text != "" {
				top.kids = append(top.kids, &node{raw: text})
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			top.kids = append(top.kids, &node{name: string(name), raw: raw, closed: true})
		case html.StartTagToken:
			name, _ := z.TagName()
			n := &node{name: string(name), raw: raw}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case html.EndTagToken:
			name, _ := z.TagName()
			if string(name) != top.name || len(stack) == 1 {
				return nil, fmt.Errorf("article div: </%s> closes <%s>", name, top.name)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// undoMirror reverses what the mirror did to the article div.
func undoMirror(root *node) {
	div := root.kids[0]
	div.walk(func(n *node) {
		if n.name == "span" && n.attr("href") != "" {
			n.name, n.raw = "a", "<a"+strings.TrimPrefix(n.raw, "<span")
		}
		if n.attr("id") == "txt-mid1-t21-2017" {
			n.kids = elementsOnly(n.kids) // the 💌 promo Markdown
		}
		n.kids = unwrapBreaks(n.kids)
	})
	if img := div.find("img"); img != nil {
		img.raw = strings.Replace(img.raw, `src="https://`, `src="//`, 1)
	}
	div.kids = hoistFromParagraphs(div.kids)
}

// unwrapBreaks writes a <br> that BeautifulSoup closed around the
// following content as <br/> followed by that content.
func unwrapBreaks(kids []*node) []*node {
	var out []*node
	for _, k := range kids {
		if k.name == "br" && !k.closed {
			out = append(out, &node{name: "br", raw: "<br/>", closed: true})
			out = append(out, k.kids...)
			continue
		}
		out = append(out, k)
	}
	return out
}

// hoistFromParagraphs moves the block elements BeautifulSoup nested in a
// paragraph out after it, as siblings: a <p> ends where its first <div>
// or <p> child begins.
func hoistFromParagraphs(kids []*node) []*node {
	var out []*node
	for _, k := range kids {
		out = append(out, k)
		if k.name != "p" {
			continue
		}
		for i, c := range k.kids {
			if c.name == "div" || c.name == "p" {
				out = append(out, k.kids[i:]...)
				k.kids = k.kids[:i]
				break
			}
		}
	}
	return out
}

func elementsOnly(kids []*node) []*node {
	var out []*node
	for _, k := range kids {
		if k.name != "" {
			out = append(out, k)
		}
	}
	return out
}

// addAds puts back invented ad code the mirror would have stripped: the
// googletag display call in the first slot of each ad unit, the
// adsbygoogle loader and push around each <ins>, and a YouTube iframe
// after the paragraph that follows the first ad slot.
func addAds(root *node) {
	div := root.kids[0]
	shown := map[string]bool{}
	div.walk(func(n *node) {
		if id := n.attr("id"); strings.HasPrefix(id, "div-gpt-ad-") && !shown[id] {
			shown[id] = true
			n.kids = append(n.kids, rawNode("<script>googletag.cmd.push(function() { googletag.display('"+id+"'); });</script>"))
		}
		var out []*node
		for _, k := range n.kids {
			if k.name == "ins" && k.attr("class") == "adsbygoogle" {
				out = append(out, rawNode(`<script async src="//pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script>`), k,
					rawNode(`<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>`))
				continue
			}
			out = append(out, k)
		}
		n.kids = out
	})
	for i, k := range div.kids {
		if slot := k.find("div"); slot != nil && strings.HasPrefix(slot.attr("id"), "div-gpt-ad-") && i+2 <= len(div.kids) {
			iframe := rawNode(`<iframe width="600" height="338" src="https://www.youtube.com/embed/xyz" frameborder="0" allow="autoplay; encrypted-media" allowfullscreen></iframe>`)
			div.kids = append(div.kids[:i+2], append([]*node{iframe}, div.kids[i+2:]...)...)
			return
		}
	}
}

// rawNode is markup written as is.
func rawNode(markup string) *node { return &node{raw: markup} }

func (n *node) walk(fn func(*node)) {
	fn(n)
	for _, k := range n.kids {
		k.walk(fn)
	}
}

// find is the first element named name below n (n excluded), in document order.
func (n *node) find(name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
		if f := k.find(name); f != nil {
			return f
		}
	}
	return nil
}

func (n *node) attr(key string) string {
	if n.name == "" {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(n.raw))
	z.Next()
	for _, a := range z.Token().Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func (n *node) text() string {
	if n.name == "" {
		return n.raw
	}
	var b strings.Builder
	for _, k := range n.kids {
		b.WriteString(k.text())
	}
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	b.WriteString(n.raw)
	if n.name == "" || n.closed {
		return
	}
	for _, k := range n.kids {
		k.write(b)
	}
	b.WriteString("</" + n.name + ">")
}

// writeLines writes the article div with each child on its own line.
func (n *node) writeLines(b *strings.Builder) {
	div := n.kids[0]
	b.WriteString(div.raw + "\n")
	for _, k := range div.kids {
		k.write(b)
		b.WriteString("\n")
	}
	b.WriteString("</" + div.name + ">\n")
}
