// Package output is the mirror's output matrix as data: trees (the
// original and each variant folder, e.g. zh-Hant) × formats (Markdown,
// HTML). Every page, list and home page is rendered by one loop over those
// values; a format is one type behind the small Format interface, so that
// adding one (a feed, say) adds a type, not functions.
package output

import (
	"github.com/newsmirror/newsmirror/internal/atomfeed"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/qr"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
	"github.com/newsmirror/newsmirror/internal/zhconv"
)

// Format renders the files of one output format. A format that has no
// file for a page or a list (a feed has none for a page, nor for the hot
// list) returns nil data, and nothing is written.
type Format interface {
	// Style is how the format names and links its files.
	Style() site.Style
	Page(a render.Article) ([]byte, error)
	List(l render.List, stamp string) ([]byte, error)
	Home(h render.Home, stamp string) ([]byte, error)
}

// statics is a format with files of its own beside each home page (the
// HTML site's stylesheet).
type statics interface {
	Static() map[string][]byte
}

// listsOnly is a format that writes no page file (the feeds), left out of
// a page's files.
type listsOnly interface {
	ListsOnly()
}

// Check that the renderers are formats.
var (
	_ Format    = (*render.Renderer)(nil)
	_ Format    = (*htmlsite.Renderer)(nil)
	_ Format    = (*atomfeed.Renderer)(nil)
	_ listsOnly = (*atomfeed.Renderer)(nil)
	_ statics   = (*htmlsite.Renderer)(nil)
)

// File is one file of the mirror to write.
type File struct {
	Path string // repository path
	Data []byte
}

// Tree is the original tree or one variant folder, with the formats
// written into it.
type Tree struct {
	// Dir is the variant folder, "" for the original tree.
	Dir string
	// Label names the tree's script on the links to its copies.
	Label   string
	conv    *zhconv.Converter // nil for the original
	formats []Format
}

// Text converts reader text into the tree's script.
func (t *Tree) Text(s string) string {
	if t.conv == nil {
		return s
	}
	return t.conv.Text(s)
}

// Converter converts the tree's text; nil for the original tree.
func (t *Tree) Converter() *zhconv.Converter { return t.conv }

// Set is every tree of the mirror with its formats.
type Set struct {
	trees []*Tree // the original first
	out   config.Output
}

// New builds the trees and formats cfg asks for: the original tree, and one
// tree per variant folder the sources name; Markdown unless the HTML site
// replaces it, HTML when it is on.
func New(cfg *config.Config) (*Set, error) {
	s := &Set{out: cfg.Output}
	orig := &Tree{}
	var err error
	if orig.formats, err = formats(cfg); err != nil {
		return nil, err
	}
	s.trees = append(s.trees, orig)
	convs := map[string]*zhconv.Converter{}
	for _, src := range cfg.Sources {
		for _, v := range src.Variants {
			if s.tree(v.Dir) != nil {
				continue
			}
			t, err := variant(cfg, v, convs)
			if err != nil {
				return nil, err
			}
			if orig.Label == "" {
				_, orig.Label = zhconv.Labels(v.Convert)
			}
			s.trees = append(s.trees, t)
		}
	}
	return s, nil
}

// variant builds the tree of a variant folder, sharing converters by name.
func variant(cfg *config.Config, v zhconv.Variant, convs map[string]*zhconv.Converter) (*Tree, error) {
	if convs[v.Convert] == nil {
		c, err := zhconv.New(v.Convert)
		if err != nil {
			return nil, err
		}
		convs[v.Convert] = c
	}
	conv := convs[v.Convert]
	label, _ := zhconv.Labels(v.Convert)
	if v.Label != "" {
		label = v.Label
	}
	fs, err := formats(cfg, render.Convert(conv.Text), render.Lang(conv.Lang()))
	if err != nil {
		return nil, err
	}
	return &Tree{Dir: v.Dir, Label: label, conv: conv, formats: fs}, nil
}

// formats are the renderers of one tree: Markdown, HTML, then the feeds.
func formats(cfg *config.Config, opts ...render.Option) ([]Format, error) {
	var out []Format
	if !cfg.Output.HTML.Only {
		md, err := render.New(cfg.Site, cfg.Output, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, md)
	}
	if cfg.Output.HTML.Enabled {
		h, err := htmlsite.New(cfg.Site, cfg.Output, opts...)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	if cfg.Output.FeedsOn() {
		out = append(out, atomfeed.New(cfg.Site, cfg.Output, opts...))
	}
	return out, nil
}

func (s *Set) tree(dir string) *Tree {
	for _, t := range s.trees {
		if t.Dir == dir {
			return t
		}
	}
	return nil
}

// Trees are the trees src writes: the original and its variants; every
// tree when src is nil.
func (s *Set) Trees(src *config.Source) []*Tree {
	if src == nil {
		return s.trees
	}
	out := []*Tree{s.trees[0]}
	for _, v := range src.Variants {
		out = append(out, s.tree(v.Dir))
	}
	return out
}

// Primary is the style of the first format written: the file a reader of
// the mirror finds (Markdown, or HTML when it replaces Markdown).
func (s *Set) Primary() site.Style { return s.trees[0].formats[0].Style() }

// Alternates are the copies of the file at path in src's other trees, seen
// from t, labelled in t's script.
func (s *Set) Alternates(src *config.Source, t *Tree, path string) []render.Alternate {
	var out []render.Alternate
	for _, o := range s.Trees(src) {
		if o != t && (o.Dir != "" || t.Dir != "") {
			out = append(out, render.Alternate{Label: t.Text(o.Label), Loc: site.Loc{Tree: o.Dir, Path: path}})
		}
	}
	return out
}

// Files are the repository paths of the files of the page at path in
// every tree and format (QR codes included), whether or not they exist.
func (s *Set) Files(path string) []string { return s.files(path, true) }

// ListFiles are the repository paths of the list at path in every tree and
// format, whether or not they exist.
func (s *Set) ListFiles(path string) []string { return s.files(path, false) }

func (s *Set) files(path string, qr bool) []string {
	var out []string
	for _, t := range s.trees {
		loc := site.Loc{Tree: t.Dir, Path: path}
		for _, f := range t.formats {
			if _, ok := f.(listsOnly); ok && qr {
				continue
			}
			out = append(out, f.Style().File(loc))
		}
		if qr {
			out = append(out, loc.Repo()+".png")
		}
	}
	return out
}

// Page renders the article a in tree t: each format's page, then the QR
// code of the page's public URL (its repository path without page_url).
// a.Body is the tree's body, already converted; the rest of a is
// converted here.
func (s *Set) Page(src *config.Source, t *Tree, a render.Article) ([]File, error) {
	a.Tree, a.Title, a.ChannelName = t.Dir, t.Text(a.Title), t.Text(a.ChannelName)
	a.Alternates = s.Alternates(src, t, a.Path)
	loc := a.Loc()
	var files []File
	for _, f := range t.formats {
		data, err := f.Page(a)
		if err != nil {
			return nil, err
		}
		if data != nil {
			files = append(files, File{f.Style().File(loc), data})
		}
	}
	public := loc.Public(s.out.PageURL, a.ChannelID, a.ID)
	if public == "" {
		public = loc.Repo()
	}
	png, err := qr.PNG(public)
	if err != nil {
		return nil, err
	}
	return append(files, File{loc.Repo() + ".png", png}), nil
}
