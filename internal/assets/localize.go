package assets

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// Localizer downloads and stores the images of article bodies. It is safe
// for concurrent use when its Getter, Writer and Known are.
type Localizer struct {
	get   Getter
	tree  Writer
	opts  Options
	known Known
}

// Known remembers which asset an image URL was stored as, so that a page
// mirrored again reuses its images instead of downloading them.
type Known interface {
	// Asset returns the stored asset of url, only if its file is there.
	Asset(ctx context.Context, url string) (string, bool)
	// Remember records that url was stored as asset.
	Remember(ctx context.Context, url, asset string)
}

// WithKnown makes l look images up in k before downloading them.
func (l *Localizer) WithKnown(k Known) *Localizer {
	l.known = k
	return l
}

// New returns a localiser that fetches with get and stores into tree.
func New(get Getter, tree Writer, opts Options) *Localizer {
	return &Localizer{get: get, tree: tree, opts: opts}
}

// Result is what localising one body did.
type Result struct {
	// Local maps each localised image URL (as written in the body) to its
	// asset's repository path.
	Local map[string]string
	// Assets are the distinct asset paths the body uses, in body order.
	Assets []string
	// Written are the asset files that were new or changed in the tree.
	Written []string
	// Failed are the images that keep their original URL, and why.
	Failed []error
}

// LocalizeNodes stores every image of a parsed body (as Parse returns it)
// and leaves the nodes as they are; RewriteNodes points them at the
// assets.
func (l *Localizer) LocalizeNodes(ctx context.Context, nodes []*html.Node) (*Result, error) {
	res := &Result{Local: map[string]string{}}
	seen := map[string]bool{}
	for _, src := range imageURLs(nodes) {
		if seen[src] {
			continue
		}
		seen[src] = true
		if err := l.store(ctx, src, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// store localises one image into res; only a failed write is an error.
func (l *Localizer) store(ctx context.Context, src string, res *Result) error {
	if rel, ok := l.lookup(ctx, src); ok {
		res.add(src, rel)
		return nil
	}
	data, err := l.load(ctx, src)
	var rel string
	if err == nil {
		rel, err = Path(data)
		var ni *NotImageError
		if errors.As(err, &ni) {
			ni.URL = src
		}
	}
	if err != nil {
		res.Failed = append(res.Failed, err)
		return nil
	}
	changed, err := l.tree.Write(rel, data)
	if err != nil {
		return fmt.Errorf("store image %s: %w", short(src), err)
	}
	if changed {
		res.Written = append(res.Written, rel)
	}
	res.add(src, rel)
	if l.known != nil && !strings.HasPrefix(src, "data:") {
		l.known.Remember(ctx, src, rel)
	}
	return nil
}

// lookup finds an image stored by an earlier page (never a data: URI,
// whose bytes are at hand anyway).
func (l *Localizer) lookup(ctx context.Context, src string) (string, bool) {
	if l.known == nil || strings.HasPrefix(src, "data:") {
		return "", false
	}
	return l.known.Asset(ctx, src)
}

func (res *Result) add(src, rel string) {
	if !slices.Contains(res.Assets, rel) {
		res.Assets = append(res.Assets, rel)
	}
	res.Local[src] = rel
}

// load returns the bytes of an http(s) or data: image, within the cap.
func (l *Localizer) load(ctx context.Context, src string) ([]byte, error) {
	var data []byte
	if strings.HasPrefix(src, "data:") {
		var err error
		if data, err = decodeDataURI(src); err != nil {
			return nil, err
		}
	} else {
		resp, err := l.get.Get(ctx, src)
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", short(src), err)
		}
		data = resp.Body
	}
	if int64(len(data)) > l.opts.MaxBytes {
		return nil, fmt.Errorf("image %s: %w", short(src), &fetch.TooLargeError{Size: int64(len(data)), Limit: l.opts.MaxBytes})
	}
	return data, nil
}

// decodeDataURI returns the payload of a data: URI (RFC 2397).
func decodeDataURI(src string) ([]byte, error) {
	meta, payload, ok := strings.Cut(strings.TrimPrefix(src, "data:"), ",")
	if !ok {
		return nil, fmt.Errorf("image %s: data URI without a comma", short(src))
	}
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, payload)
		data, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
		}
		if err != nil {
			return nil, fmt.Errorf("image %s: bad base64: %w", short(src), err)
		}
		return data, nil
	}
	s, err := url.PathUnescape(payload)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", short(src), err)
	}
	return []byte(s), nil
}

// RewriteNodes points every localised image of a parsed body at
// urlFor(asset path), in place, and drops srcset candidates that were not
// localised (a <source> left with none is removed).
func RewriteNodes(nodes []*html.Node, local map[string]string, urlFor func(asset string) string) {
	if len(local) == 0 {
		return
	}
	for _, n := range nodes {
		rewriteTree(n, local, urlFor)
	}
}

func rewriteTree(n *html.Node, local map[string]string, urlFor func(string) string) {
	var next *html.Node
	for c := n.FirstChild; c != nil; c = next {
		next = c.NextSibling
		rewriteTree(c, local, urlFor)
	}
	if n.Type != html.ElementNode || (n.DataAtom != atom.Img && n.DataAtom != atom.Source) {
		return
	}
	if n.DataAtom == atom.Img {
		if rel, ok := local[strings.TrimSpace(htmlnode.Attr(n, "src"))]; ok {
			htmlnode.SetAttr(n, "src", urlFor(rel))
		}
	}
	if !htmlnode.HasAttr(n, "srcset") {
		return
	}
	kept := rewriteSrcset(htmlnode.Attr(n, "srcset"), local, urlFor)
	switch {
	case kept != "":
		htmlnode.SetAttr(n, "srcset", kept)
	case n.DataAtom == atom.Source && n.Parent != nil:
		n.Parent.RemoveChild(n)
	default:
		htmlnode.RemoveAttr(n, "srcset")
		htmlnode.RemoveAttr(n, "sizes")
	}
}

// rewriteSrcset keeps the candidates of a srcset that were localised,
// pointing at their assets.
func rewriteSrcset(srcset string, local map[string]string, urlFor func(string) string) string {
	var kept []string
	for _, c := range splitSrcset(srcset) {
		if rel, ok := local[c.url]; ok {
			kept = append(kept, strings.TrimSpace(urlFor(rel)+" "+c.descriptor))
		}
	}
	return strings.Join(kept, ", ")
}

type candidate struct{ url, descriptor string }

// splitSrcset parses "a.jpg 1x, b.jpg 2x" into its candidates.
func splitSrcset(s string) []candidate {
	var out []candidate
	for _, part := range strings.Split(s, ",") {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		out = append(out, candidate{url: f[0], descriptor: strings.Join(f[1:], " ")})
	}
	return out
}

// imageURLs lists the image URLs of the body, <img src> and srcset
// candidates, in document order; only http(s) and data: URLs.
func imageURLs(nodes []*html.Node) []string {
	var out []string
	add := func(u string) {
		u = strings.TrimSpace(u)
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "data:") {
			out = append(out, u)
		}
	}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Img || n.DataAtom == atom.Source) {
			if n.DataAtom == atom.Img {
				add(htmlnode.Attr(n, "src"))
			}
			for _, c := range splitSrcset(htmlnode.Attr(n, "srcset")) {
				add(c.url)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
	return out
}

// Parse reads body (HTML as extract returns it) as a fragment of a
// <body>.
func Parse(body string) ([]*html.Node, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return nil, fmt.Errorf("parse body for images: %w", err)
	}
	return nodes, nil
}
