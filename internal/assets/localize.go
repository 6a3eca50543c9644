package assets

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

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
	quota *Quota
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

// WithQuota makes l count its downloads against q, the source's images
// for the run (Options.MaxPerRun); nil for no such cap.
func (l *Localizer) WithQuota(q *Quota) *Localizer {
	l.quota = q
	return l
}

// New returns a localiser that fetches with get and stores into tree.
// Zero caps in opts take their defaults.
func New(get Getter, tree Writer, opts Options) *Localizer {
	return &Localizer{get: get, tree: tree, opts: opts.Fill()}
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
	// Skipped counts the images left at their original URL, unasked, by
	// the caps (images per article, images per run); Warnings say so, and
	// why an image was stored unconverted when it should have been.
	Skipped  int
	Warnings []string
	// Sizes are the images stored scaled down, by URL as written in the
	// body: FitSizes keeps the body's width and height attributes true.
	Sizes map[string]Size
}

// LocalizeNodes stores the images of a parsed body (as Parse returns it),
// at most Options.MaxPerArticle of them in body order, and leaves the
// nodes as they are; RewriteNodes points them at the assets. The images
// are downloaded at once, within the fetch client's per-host limits; a
// host whose images fail transiently (hanging, cut, 5xx) is asked no more
// for this body. When ctx ends first, the error is its cause and nothing
// is stored.
func (l *Localizer) LocalizeNodes(ctx context.Context, nodes []*html.Node) (*Result, error) {
	res := &Result{Local: map[string]string{}}
	srcs := l.capped(distinct(imageURLs(nodes)), res)
	got := l.gather(ctx, srcs, res)
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	for i, src := range srcs {
		if err := l.store(ctx, src, got[i], res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// capped keeps the first MaxPerArticle image URLs; the rest are a warning.
func (l *Localizer) capped(srcs []string, res *Result) []string {
	if over := len(srcs) - l.opts.MaxPerArticle; over > 0 {
		res.Skipped += over
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of the body's %d images are over images.max_per_article (%d) and keep their original URL",
			over, len(srcs), l.opts.MaxPerArticle))
		srcs = srcs[:l.opts.MaxPerArticle]
	}
	return srcs
}

// gathered is how one image of a body was found: already stored (rel), its
// bytes (data), or why not (err).
type gathered struct {
	rel  string
	data []byte
	err  error
	// fetch is an image to download; skip one over the run's cap.
	fetch, skip bool
}

// gather finds every image of srcs: data: images and those stored by
// earlier pages in body order, then the downloads, all at once.
func (l *Localizer) gather(ctx context.Context, srcs []string, res *Result) []gathered {
	got := make([]gathered, len(srcs))
	var fetches []int
	for i, src := range srcs {
		switch rel, ok := l.lookup(ctx, src); {
		case ok:
			got[i].rel = rel
		case strings.HasPrefix(src, "data:"):
			data, err := decodeDataURI(src)
			got[i].data, got[i].err = l.capBytes(src, data, err)
		case l.quota.take():
			got[i].fetch = true
			fetches = append(fetches, i)
		default:
			got[i].skip = true
		}
	}
	if n := countSkipped(got); n > 0 {
		res.Skipped += n
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d images keep their original URL: the source's images.max_per_run (%d) is used up for this run",
			n, l.quota.cap))
	}
	l.downloadAll(ctx, srcs, fetches, got)
	return got
}

// downloadAll downloads the images srcs[i] for i in fetches into got: each
// host's images in body order on as many goroutines as the client lets
// run at once to one host (so that each image's retries come before the
// host's next image, and a failing host is seen after its first images),
// every host at once.
func (l *Localizer) downloadAll(ctx context.Context, srcs []string, fetches []int, got []gathered) {
	w := newHostWatch(ctx)
	defer w.stop()
	byHost := map[string][]int{}
	var hosts []string
	for _, i := range fetches {
		h := hostOf(srcs[i])
		if byHost[h] == nil {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], i)
	}
	var wg sync.WaitGroup
	for _, h := range hosts {
		queue := make(chan int, len(byHost[h]))
		for _, i := range byHost[h] {
			queue <- i
		}
		close(queue)
		for range min(l.perHost(), len(byHost[h])) {
			wg.Go(func() {
				for i := range queue {
					got[i].data, got[i].err = l.download(w, srcs[i])
				}
			})
		}
	}
	wg.Wait()
}

// perHost is how many requests the Getter lets run at once to one host.
func (l *Localizer) perHost() int {
	if o, ok := l.get.(interface{ Options() fetch.Options }); ok && o.Options().PerHost > 0 {
		return o.Options().PerHost
	}
	return fetch.DefaultOptions().PerHost
}

func countSkipped(got []gathered) int {
	n := 0
	for _, g := range got {
		if g.skip {
			n++
		}
	}
	return n
}

// download fetches one image within the cap, through its host's watch:
// not at all once the host is found failing.
func (l *Localizer) download(w *hostWatch, src string) ([]byte, error) {
	ctx, host := w.enter(src)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("image %s: %w", short(src), context.Cause(ctx))
	}
	resp, err := l.get.Get(ctx, src)
	if err != nil {
		if ctx.Err() != nil && w.parent.Err() == nil {
			err = context.Cause(ctx)
		}
		w.note(host, err)
		return nil, fmt.Errorf("image %s: %w", short(src), err)
	}
	w.note(host, nil)
	return l.capBytes(src, resp.Body, nil)
}

// capBytes returns data unless err or data is over Options.MaxBytes.
func (l *Localizer) capBytes(src string, data []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > l.opts.MaxBytes {
		return nil, fmt.Errorf("image %s: %w", short(src), &fetch.TooLargeError{Size: int64(len(data)), Limit: l.opts.MaxBytes})
	}
	return data, nil
}

// store puts one gathered image into res (and its bytes into the tree);
// only a failed write is an error.
func (l *Localizer) store(ctx context.Context, src string, g gathered, res *Result) error {
	if g.skip {
		return nil
	}
	if g.rel != "" {
		res.add(src, g.rel)
		return nil
	}
	rel, err := "", g.err
	if err == nil {
		g.data = l.shrink(src, g.data, res)
		rel, err = Path(g.data)
		var ni *NotImageError
		if errors.As(err, &ni) {
			ni.URL = src
		}
	}
	if err != nil {
		res.Failed = append(res.Failed, err)
		return nil
	}
	changed, err := l.tree.Write(rel, g.data)
	if err != nil {
		return fmt.Errorf("store image %s: %w", short(src), err)
	}
	if changed {
		res.Written = append(res.Written, rel)
	}
	res.add(src, rel)
	if l.known != nil && g.fetch {
		l.known.Remember(ctx, src, rel)
	}
	return nil
}

// shrink converts one image unless the options keep originals; a
// conversion refused is a warning, a scaled image's size is kept in res.
func (l *Localizer) shrink(src string, data []byte, res *Result) []byte {
	if l.opts.KeepOriginals {
		return data
	}
	s := l.opts.Shrink().Apply(data)
	if s.Warning != "" {
		res.Warnings = append(res.Warnings, fmt.Sprintf("image %s %s", short(src), s.Warning))
	}
	if s.Scaled() {
		if res.Sizes == nil {
			res.Sizes = map[string]Size{}
		}
		res.Sizes[src] = Size{s.Width, s.Height, s.NewWidth, s.NewHeight}
	}
	return s.Data
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

// distinct keeps the first of each URL.
func distinct(srcs []string) []string {
	seen := map[string]bool{}
	out := srcs[:0]
	for _, s := range srcs {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
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
