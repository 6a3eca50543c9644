// Package atomfeed renders the mirror's own Atom feeds (RFC 4287): one
// beside each channel index ("indexes/S看世界.xml") and one beside the home
// page ("index.xml"), listing the newest pages of the mirror with absolute
// URLs on the configured public host. It is one output format among the
// others: the same lists and home page data as the Markdown and HTML
// renderers, in every tree, converted as they are.
package atomfeed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
)

// MediaType is the feeds' media type, for links and servers.
const MediaType = "application/atom+xml"

// Renderer renders Atom feeds. It is safe for concurrent use.
type Renderer struct {
	out     config.Output
	title   string // the site's title, in the tree's script
	lang    string
	primary site.Style // the format readers find: Markdown, or HTML when it replaces it
}

// New renders feeds for out; render.Convert writes their titles in
// another script and render.Lang declares their language (xml:lang).
func New(s config.Site, out config.Output, opts ...render.Option) *Renderer {
	text, lang := render.Options(opts...)
	r := &Renderer{out: out, title: s.Title, lang: out.HTML.Lang, primary: site.Markdown}
	if text != nil {
		r.title = text(r.title)
	}
	if lang != "" {
		r.lang = lang
	}
	if out.HTML.Only {
		r.primary = site.HTML
	}
	return r
}

// Style is how the feeds are named: site.Atom.
func (r *Renderer) Style() site.Style { return site.Atom }

// Page writes no file: feeds list pages, pages have none.
func (r *Renderer) Page(render.Article) ([]byte, error) { return nil, nil }

// ListsOnly says that the feeds write no page file.
func (r *Renderer) ListsOnly() {}

// List renders the feed of a channel index: its newest pages of the
// mirror (outside links and sticky entries left out). Other lists (the
// overflow, hot and editors' lists) have no feed: nil.
func (r *Renderer) List(l render.List, _ string) ([]byte, error) {
	if l.Kind != render.KindIndex {
		return nil, nil
	}
	title := l.Title
	if r.title != "" {
		title += " - " + r.title
	}
	return r.feed(l.Loc(), title, l.Entries)
}

// Home renders the home page's feed: the newest pages of every channel.
func (r *Renderer) Home(h render.Home, _ string) ([]byte, error) {
	return r.feed(h.Loc(), r.title, h.Recent)
}

// feed renders the feed beside the list at from. Its updated time is its
// newest entry's, so that a feed whose entries did not change renders the
// same bytes and is not committed again.
func (r *Renderer) feed(from site.Loc, title string, entries []render.Entry) ([]byte, error) {
	self := r.out.FeedURL().Expand(escape(site.Atom.File(from)), "", "")
	f := feed{
		Lang: r.lang, ID: self, Title: text{Type: "text", Body: title},
		Author: &person{Name: r.title},
		Links: []link{
			{Rel: "self", Type: MediaType, Href: self},
			{Rel: "alternate", Href: r.public(from, "", "")},
		},
		Generator: "newsmirror",
	}
	if f.Author.Name == "" {
		f.Author.Name = "newsmirror"
	}
	for _, e := range entries {
		if len(f.Entries) == r.out.Feeds.Length {
			break
		}
		if en, ok := r.entry(from.Tree, e); ok {
			f.Entries = append(f.Entries, en)
			f.Updated = later(f.Updated, en.Updated)
		}
	}
	if f.Updated == "" {
		f.Updated = stamp(time.Unix(0, 0))
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("render feed %s: %w", site.Atom.File(from), err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// entry is the feed entry of a page of the mirror in tree; false for an
// outside link.
func (r *Renderer) entry(tree string, e render.Entry) (entry, bool) {
	ch, id, ok := render.PageIDs(e.Path)
	if !ok {
		return entry{}, false
	}
	u := r.public(site.Loc{Tree: tree, Path: e.Path}, ch, id)
	t := e.Time
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return entry{
		ID: u, Title: text{Type: "text", Body: e.Title}, Updated: stamp(t),
		Links: []link{{Rel: "alternate", Href: u}},
	}, true
}

// public is the public URL of the file at l as readers find it.
func (r *Renderer) public(l site.Loc, channel, id string) string {
	return r.out.PageURL.Expand(escape(r.primary.File(l)), channel, id)
}

// escape percent-encodes each segment of a repository path, so that
// every URL of a feed is a URI (an index name may hold spaces or "#").
func escape(repoPath string) string {
	segs := strings.Split(repoPath, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// stamp is t as an Atom date (RFC 3339, UTC, whole seconds).
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// later is the later of two Atom dates ("" is earliest); RFC 3339 UTC
// dates of the same shape compare as strings.
func later(a, b string) string {
	if strings.Compare(b, a) > 0 {
		return b
	}
	return a
}

// The Atom elements the feeds use (RFC 4287).
type feed struct {
	XMLName   xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string   `xml:"id"`
	Title     text     `xml:"title"`
	Updated   string   `xml:"updated"`
	Author    *person  `xml:"author"`
	Links     []link   `xml:"link"`
	Generator string   `xml:"generator,omitempty"`
	Entries   []entry  `xml:"entry"`
}

type entry struct {
	ID      string `xml:"id"`
	Title   text   `xml:"title"`
	Updated string `xml:"updated"`
	Links   []link `xml:"link"`
}

type text struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type person struct {
	Name string `xml:"name"`
}

type link struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}
