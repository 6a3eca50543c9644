package render

import (
	"time"

	"github.com/newsmirror/newsmirror/internal/site"
)

// Entry is one line of a list: a title and the repository path of the page
// it links to, or an outside URL.
type Entry struct {
	Title string
	Path  string // a repository path, or an absolute URL kept as it is
	URL   string // filled by the renderer
	// Time is when a page of the mirror was published (mirrored when the
	// source gave no date); zero for outside links. Feeds date entries
	// with it.
	Time time.Time
}

// Kinds of list, each rendered by the template "<kind>.md.tmpl".
const (
	KindIndex   = "index"   // a channel index
	KindEarlier = "earlier" // the overflow of a channel index
	KindHot     = "hot"     // the hot list
	KindEditors = "editors" // the editors' list
)

// List is a list file to render.
type List struct {
	Kind string
	// Tree is the variant folder the list is rendered for, "" for the
	// original.
	Tree  string
	Path  string // the file's path from its tree's root, e.g. "indexes/S看世界.md"
	Title string // the list's file name, e.g. "S看世界"
	// Name is what readers call the list, e.g. the channel's name "看世界";
	// "" to use Title. The Markdown list, the reference system's, shows
	// Title; the HTML site shows Name.
	Name string
	// Updated is when the list was written; zero for none shown. Only the
	// HTML site shows it.
	Updated time.Time
	Entries []Entry
	// Earlier links an index to its overflow page (Label, repository path);
	// empty when the index has none.
	Earlier Link
}

// IndexData is the data of the list templates.
type IndexData struct {
	Title        string
	Nav          []Link
	Entries      []Entry
	Earlier      string // link to the overflow page, if any
	EarlierLabel string
	PixelURL     string
	Stamp        string
}

// Loc is where the list lives.
func (l List) Loc() site.Loc { return site.Loc{Tree: l.Tree, Path: l.Path} }

// List renders a list file; every link to the mirror carries the run's
// stamp ("t=01130820"), outside links are kept as they are.
func (r *Renderer) List(l List, stamp string) ([]byte, error) {
	q := "t=" + stamp
	from := l.Loc()
	data := IndexData{
		Title:    l.Title,
		Nav:      r.nav(from, q),
		PixelURL: r.out.PixelURL.Expand(l.Path, "", ""),
		Stamp:    stamp,
		Entries:  Entries(site.Markdown, from, q, l.Entries),
	}
	if l.Earlier.URL != "" {
		data.Earlier = site.Markdown.Link(from, l.Earlier.URL, site.Query{})
		data.EarlierLabel = l.Earlier.Label
	}
	return r.execute(l.Kind+".md.tmpl", data)
}

// Entries are the entries of a list in the file at from, each with its
// URL: pages of the mirror stamped with q, outside links kept.
func Entries(s site.Style, from site.Loc, q string, entries []Entry) []Entry {
	var out []Entry
	for _, e := range entries {
		e.URL = s.Link(from, e.Path, site.Query{Stamp: q})
		out = append(out, e)
	}
	return out
}

// Section is one source on the home page with its channel indexes.
type Section struct {
	Name  string
	Links []Link // label and repository path of each channel index
}

// Picks are the editors' first choices shown on the home page.
type Picks struct {
	Label   string
	Entries []Entry
	More    Link // label and repository path of the whole list
}

// HomeData is the data of the home template.
type HomeData struct {
	Title, Header string
	Picks         *Picks
	Sections      []Section
	Nav           []Link
	PixelURL      string
	Stamp         string
	// Alternates link the home pages in other scripts; usually none.
	Alternates []Link
}

// Home is what a home page is made of.
type Home struct {
	// Tree is the variant folder the home page is rendered for, "" for the
	// original.
	Tree     string
	Sections []Section
	// Picks are the editors' first choices; nil for none.
	Picks *Picks
	// Alternates are the home pages of the other trees.
	Alternates []Alternate
	// Recent are the newest pages of every channel, newest first, for the
	// home page's feed; empty when no feed is written.
	Recent []Entry
}

// Loc is where the home page lives.
func (h Home) Loc() site.Loc { return site.Loc{Tree: h.Tree, Path: "README.md"} }

// LinkedSections are the home page's sections with their links ready for the
// style.
func (h Home) LinkedSections(s site.Style, q string) []Section {
	from := h.Loc()
	var out []Section
	for _, sec := range h.Sections {
		o := Section{Name: sec.Name}
		for _, l := range sec.Links {
			o.Links = append(o.Links, Link{l.Label, s.Link(from, l.URL, site.Query{Stamp: q})})
		}
		out = append(out, o)
	}
	return out
}

// LinkedPicks are the editors' picks with their links ready for the
// style; nil without picks.
func (h Home) LinkedPicks(s site.Style, q string) *Picks {
	if h.Picks == nil {
		return nil
	}
	from := h.Loc()
	return &Picks{
		Label:   h.Picks.Label,
		Entries: Entries(s, from, q, h.Picks.Entries),
		More:    Link{h.Picks.More.Label, s.Link(from, h.Picks.More.URL, site.Query{Stamp: q})},
	}
}

// Home renders README.md.
func (r *Renderer) Home(h Home, stamp string) ([]byte, error) {
	q := "t=" + stamp
	from := h.Loc()
	return r.execute("home.md.tmpl", HomeData{
		Title: r.site.Title, Header: r.site.Header, Stamp: stamp,
		PixelURL:   r.out.PixelURL.Expand(from.Path, "", ""),
		Sections:   h.LinkedSections(site.Markdown, q),
		Picks:      h.LinkedPicks(site.Markdown, q),
		Nav:        r.nav(from, q)[1:], // everything but the home link itself
		Alternates: Alternates(site.Markdown, from, q, h.Alternates),
	})
}
