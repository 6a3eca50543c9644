package clean

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

// forbidden are the elements no page may hold.
var forbidden = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "form": true, "input": true, "button": true, "select": true,
	"textarea": true, "base": true, "meta": true, "link": true, "svg": true, "math": true,
	"template": true, "isindex": true, "keygen": true, "param": true,
}

// Audit lists what in an HTML document or fragment could run or load
// something: a forbidden element (script, iframe, form, svg…), an on*
// attribute, a script URL, a data: URL other than a raster data:image on
// <img src>, or CSS that runs or loads. The tests and fuzzers hold every
// Cleaner output to an empty Audit; `newsmirror try` prints it.
func Audit(doc string) []string {
	var out []string
	if strings.Contains(strings.ToLower(doc), "<script") {
		out = append(out, "<script in the text")
	}
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return append(out, "does not parse: "+err.Error())
	}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if forbidden[n.Data] {
				out = append(out, "<"+n.Data+">")
			}
			for _, a := range n.Attr {
				if p := unsafeAttr(n.Data, a); p != "" {
					out = append(out, fmt.Sprintf("<%s %s=%q>: %s", n.Data, a.Key, a.Val, p))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	return out
}

func unsafeAttr(elem string, a html.Attribute) string {
	key := strings.ToLower(a.Key)
	squeezed := strings.Map(func(r rune) rune {
		if r <= ' ' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.ToLower(a.Val))
	switch {
	case strings.HasPrefix(key, "on"):
		return "event handler"
	case strings.Contains(squeezed, "javascript:"), strings.Contains(squeezed, "vbscript:"), strings.Contains(squeezed, "livescript:"):
		return "script URL"
	case strings.HasPrefix(squeezed, "data:") && !(elem == "img" && key == "src" && strings.HasPrefix(squeezed, "data:image/") && !strings.HasPrefix(squeezed, "data:image/svg")):
		return "data URL"
	case key == "style" && (strings.Contains(squeezed, "expression") || strings.Contains(squeezed, "url(") ||
		strings.Contains(squeezed, "binding") || strings.Contains(squeezed, "behavior") || strings.Contains(squeezed, `\`)):
		return "active CSS"
	case key == "srcdoc" || key == "formaction" || key == "xlink:href" || key == "background" || key == "action":
		return "dangerous attribute"
	}
	return ""
}
