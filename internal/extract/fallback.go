package extract

import (
	"bytes"
	"fmt"
	"net/url"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// readable asks readability for the article of page. Its character
// threshold is lowered, since a Chinese page says in 200 characters what
// an English one says in 500; Run applies Rules.MinText on top.
func readable(page []byte, pageURL *url.URL) (*html.Node, error) {
	if page == nil {
		return nil, fmt.Errorf("no page to fall back on")
	}
	p := readability.NewParser()
	p.KeepClasses = true
	art, err := p.Parse(bytes.NewReader(page), pageURL)
	if err != nil {
		return nil, fmt.Errorf("readability: %w", err)
	}
	if art.Node == nil {
		return nil, fmt.Errorf("readability found no article")
	}
	if art.Node.Parent != nil {
		art.Node.Parent.RemoveChild(art.Node)
	}
	return art.Node, nil
}
