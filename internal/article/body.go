package article

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/htmlnode"
	"github.com/newsmirror/newsmirror/internal/output"
	"github.com/newsmirror/newsmirror/internal/site"
)

// body is the article's sanitized body on its way to the outputs: parsed
// once, when images are localised or a variant converts its text, and
// serialised once per tree.
type body struct {
	html  string
	nodes []*html.Node // nil while nothing changes the body
	// local maps each localised asset path to itself: the nodes point at
	// assets by repository path until each tree relocates them.
	local map[string]string
}

// localize stores the body's images when the source localises them and
// points the body at the assets. An image that fails keeps its URL and is
// listed in res.Images.Failed; a data: image left inline is dropped by
// cleaning the body once more unless the rules keep such images.
func (p *Pipeline) localize(ctx context.Context, in Input, html string, res *Result) (*body, error) {
	b := &body{html: html}
	if in.Source.Images.Localize && in.Images != nil {
		if err := p.storeImages(ctx, in, b, res); err != nil {
			return nil, err
		}
	}
	if in.Channel.Compiled.DataImages() || !b.mayHoldDataURL() {
		return b, nil
	}
	s, err := b.String()
	if err != nil {
		return nil, err
	}
	b.html, b.nodes = p.plain.HTML(s), nil
	return b, nil
}

// mayHoldDataURL reports whether the body may still hold a data: URL,
// which only the sanitizer's plain policy drops.
func (b *body) mayHoldDataURL() bool {
	if b.nodes == nil {
		return containsDataScheme(b.html)
	}
	found := false
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for _, a := range n.Attr {
			found = found || containsDataScheme(a.Val)
		}
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range b.nodes {
		visit(n)
	}
	return found
}

// storeImages localises the images of b into res.
func (p *Pipeline) storeImages(ctx context.Context, in Input, b *body, res *Result) error {
	nodes, err := assets.Parse(b.html)
	if err != nil {
		return err
	}
	files := &sink{}
	l := assets.New(in.Images, files, in.Source.Images)
	if in.Known != nil {
		l = l.WithKnown(in.Known)
	}
	l = l.WithQuota(in.Quota)
	r, err := l.LocalizeNodes(ctx, nodes)
	if err != nil {
		return err
	}
	res.Images, res.Files = r, append(res.Files, files.files...)
	if len(r.Local) == 0 {
		return nil
	}
	assets.FitSizes(nodes, r.Sizes)
	assets.RewriteNodes(nodes, r.Local, func(asset string) string { return asset })
	b.nodes, b.local = nodes, map[string]string{}
	for _, a := range r.Assets {
		b.local[a] = a
	}
	return nil
}

// String is the body serialised as it stands.
func (b *body) String() (string, error) {
	if b.nodes == nil {
		return b.html, nil
	}
	return serialise(b.nodes)
}

// in is the body as tree t shows it from the page at page: images
// relocated for the page (or through output.asset_url), text converted.
// The nodes are the last tree's to change; earlier trees work on copies.
func (b *body) in(t *output.Tree, page site.Loc, assetURL config.URLTemplate, last bool) (string, error) {
	conv := t.Converter()
	if conv == nil && b.local == nil {
		return b.html, nil
	}
	nodes := b.nodes
	if nodes == nil {
		var err error
		if nodes, err = assets.Parse(b.html); err != nil {
			return "", err
		}
	} else if !last {
		nodes = cloneAll(nodes)
	}
	assets.RewriteNodes(nodes, b.local, func(asset string) string {
		if assetURL != "" {
			return assetURL.Expand(asset, "", "")
		}
		return page.To(site.At(asset))
	})
	if conv != nil {
		conv.Nodes(nodes...)
	}
	return serialise(nodes)
}

func serialise(nodes []*html.Node) (string, error) {
	var s strings.Builder
	for _, n := range nodes {
		if err := html.Render(&s, n); err != nil {
			return "", fmt.Errorf("serialise body: %w", err)
		}
	}
	return s.String(), nil
}

// cloneAll deep-copies a list of trees.
func cloneAll(nodes []*html.Node) []*html.Node {
	out := make([]*html.Node, len(nodes))
	for i, n := range nodes {
		out[i] = htmlnode.Clone(n)
	}
	return out
}

// sink collects the files the localiser stores; the caller writes them.
type sink struct{ files []output.File }

// Write keeps the file, each path once; a file is reported changed until
// the caller writes it.
func (s *sink) Write(rel string, data []byte) (bool, error) {
	for _, f := range s.files {
		if f.Path == rel {
			return false, nil
		}
	}
	s.files = append(s.files, output.File{Path: rel, Data: data})
	return true, nil
}

// containsDataScheme reports whether s holds "data:" in any letter case,
// without lowering the whole (mostly non-ASCII) text.
func containsDataScheme(s string) bool {
	for i := 4; i < len(s); i++ {
		j := strings.IndexByte(s[i:], ':')
		if j < 0 {
			return false
		}
		i += j
		if strings.EqualFold(s[i-4:i], "data") {
			return true
		}
	}
	return false
}
