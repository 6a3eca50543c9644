// Package article is the one per-article pipeline that sync, try and the
// benchmarks share: a feed item and its fetched page (or the feed's own
// content) → decode → extract → clean → localise images → render every
// output. It touches no state database and writes no file: it returns the
// files and the facts a caller persists, so that a preview is byte for
// byte the page a sync writes.
package article

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/decode"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/output"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
)

// Pipeline turns articles into the files of the mirror for one
// configuration. It is safe for concurrent use.
type Pipeline struct {
	cfg *config.Config
	out *output.Set
	// plain drops data: images, dataImages keeps them for the localiser.
	plain, dataImages *clean.Cleaner
}

// New builds the pipeline of cfg: its renderers for every tree and format
// and its sanitizers.
func New(cfg *config.Config) (*Pipeline, error) {
	out, err := output.New(cfg)
	if err != nil {
		return nil, err
	}
	return &Pipeline{
		cfg: cfg, out: out,
		plain:      clean.New(clean.Options{}),
		dataImages: clean.New(clean.Options{DataImages: true}),
	}, nil
}

// Outputs are the pipeline's trees and formats, which also render the
// lists and home pages.
func (p *Pipeline) Outputs() *output.Set { return p.out }

// Input is one article to mirror.
type Input struct {
	Source  *config.Source
	Channel *config.Channel
	Item    feed.Item
	// Page is the fetched article page, undecoded; nil when it was not
	// fetched (NeedsPage) or could not be while the body is in the feed.
	Page *fetch.Response
	// Images fetches the images to localise when the source localises
	// them; nil leaves every image at its URL.
	Images assets.Getter
	// Known finds images stored by earlier pages; nil for none.
	Known assets.Known
	// Quota is what is left of the source's images for the run
	// (images.max_per_run); nil for no such cap.
	Quota *assets.Quota
	// Unchanged reports whether the article is mirrored already with the
	// body whose hash is given, so that nothing needs rendering; nil for
	// never.
	Unchanged func(hash string) bool
	// Mirrored is when the article is mirrored: the date its pages show
	// when the feed gives none; zero shows none.
	Mirrored time.Time
	// Claim takes the derived id for the article before any file of it is
	// rendered and returns the id to use (another when the id is another
	// article's page); nil keeps the derived id.
	Claim func(id string) (string, error)
}

// Result is what mirroring one article produced.
type Result struct {
	// ID is the article's id, Path its page's path from a tree's root.
	ID, Path string
	// Hash identifies the extracted body; an unchanged hash means an
	// unchanged page.
	Hash string
	// Unchanged is true when Input.Unchanged said so: no file was rendered.
	Unchanged bool
	// Extracted is what extraction found (rule, title, warnings, text
	// retention…).
	Extracted *extract.Article
	// Decoding is how the page's bytes were decoded, when Decoded.
	Decoding decode.Decision
	Decoded  bool
	// Files are the files to write: the page first, then its other formats,
	// its copies in the variant trees, the QR codes and the new images.
	Files []output.File
	// Images is how image localisation went (nil when off): which assets
	// the page uses, and the images that keep their URL.
	Images *assets.Result
}

// Fallback reports whether the body was found by the readability fallback.
func (r *Result) Fallback() bool { return r.Extracted != nil && r.Extracted.Fallback }

// NeedsPage reports whether the article's page is to be fetched: always,
// unless the body comes from the feed item and the rules want no lead
// image from the page.
func NeedsPage(ch *config.Channel, item feed.Item) bool {
	return !FromFeed(ch, item) || ch.Compiled.NeedsPage()
}

// FromFeed reports whether the body comes from the feed item's content
// (body_source: feed, and the item has some).
func FromFeed(ch *config.Channel, item feed.Item) bool {
	return ch.Compiled.FeedBody() && strings.TrimSpace(item.Content) != ""
}

// Run mirrors one article. A body the rules miss is an *extract.MissError;
// when extraction fails, the result still says how the page was decoded.
func (p *Pipeline) Run(ctx context.Context, in Input) (*Result, error) {
	u, err := url.Parse(in.Item.URL)
	if err != nil {
		return nil, fmt.Errorf("bad article URL: %w", err)
	}
	id, err := feed.ArticleID(u, in.Source.Items.ID)
	if err != nil {
		return nil, err
	}
	res := &Result{ID: id, Path: render.PagePath(in.Channel.ID, id)}
	art, err := p.extract(in, u, res)
	if err != nil {
		return res, fmt.Errorf("extract %s: %w", in.Item.URL, err)
	}
	res.Hash, res.Extracted = hash(art.HTML), art
	if in.Unchanged != nil && in.Unchanged(res.Hash) {
		res.Unchanged = true
		return res, nil
	}
	if in.Claim != nil {
		if id, err = in.Claim(id); err != nil {
			return nil, err
		}
		res.ID, res.Path = id, render.PagePath(in.Channel.ID, id)
	}
	body, err := p.localize(ctx, in, art.HTML, res)
	if err != nil {
		return nil, err
	}
	if err := p.render(in, body, res); err != nil {
		return nil, err
	}
	return res, nil
}

func hash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// extract decodes the page (the decision goes into res) and cuts the body
// out with the channel's rules, sanitized: from the item's content when
// the rules say body_source: feed and the item has some, else from the
// page. data: images stay for the localiser (localize drops those left).
// The text-retention guard measures the sanitized body.
func (p *Pipeline) extract(in Input, u *url.URL, res *Result) (*extract.Article, error) {
	var page []byte
	final := u
	if in.Page != nil {
		var err error
		page, final, res.Decoding, err = in.Page.Page(in.Source.Fetch.Charset)
		res.Decoded = err == nil
		if err != nil && !FromFeed(in.Channel, in.Item) {
			return nil, err
		}
		if err != nil { // the body is in the feed: go on without the lead image
			page, final = nil, u
		}
	}
	rules := in.Channel.Compiled
	var art *extract.Article
	var err error
	switch {
	case FromFeed(in.Channel, in.Item):
		art, err = extract.ExtractContent([]byte(in.Item.Content), page, final, rules)
	case page == nil:
		return nil, errors.New("no page to extract the article from")
	default:
		art, err = extract.Extract(page, final, rules)
	}
	if err != nil {
		return nil, err
	}
	art.HTML = p.dataImages.HTML(art.HTML)
	art.CheckPublished(art.HTML)
	return art, nil
}

// render renders the article in every tree and format of its source, the
// page first; the localised images follow.
func (p *Pipeline) render(in Input, b *body, res *Result) error {
	images := res.Files
	res.Files = nil
	a := render.Article{
		Path: res.Path, ID: res.ID, Title: title(in.Item, res.Extracted), ChannelID: in.Channel.ID,
		IndexName: in.Source.IndexName(in.Channel), ChannelName: in.Channel.Name,
		OriginalURL: in.Item.URL, Published: in.Item.Published, Mirrored: in.Mirrored,
	}
	trees := p.out.Trees(in.Source)
	for i, t := range trees {
		var err error
		loc := site.Loc{Tree: t.Dir, Path: res.Path}
		if a.Body, err = b.in(t, loc, p.cfg.Output.AssetURL, i == len(trees)-1); err != nil {
			return err
		}
		files, err := p.out.Page(in.Source, t, a)
		if err != nil {
			return err
		}
		res.Files = append(res.Files, files...)
	}
	res.Files = append(res.Files, images...)
	return nil
}

// title is the item's title; an item that has none (a preview of a page no
// feed lists) takes the page's own.
func title(it feed.Item, art *extract.Article) string {
	switch {
	case it.Title != "":
		return it.Title
	case art.Title != "":
		return art.Title
	}
	return "(no title)"
}
