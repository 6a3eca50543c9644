// Package htmlsite renders the mirror as a static HTML site beside the
// Markdown tree: the same pages, indexes and home page, from the same data
// as package render, with one small stylesheet and relative links only, so
// the site works from file://, GitHub Pages, IPFS or any bucket, and makes
// no request to any host the configuration did not name.
package htmlsite

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"path"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
)

//go:embed templates/*.tmpl
var templates embed.FS

//go:embed style.css
var stylesheet []byte

// StylePath is the stylesheet's repository path.
const StylePath = "style.css"

// Stylesheet returns the site's stylesheet.
func Stylesheet() []byte { return bytes.Clone(stylesheet) }

// Renderer renders HTML files. It is safe for concurrent use.
type Renderer struct {
	tmpl *template.Template
	site config.Site
	out  config.Output
	lang string
	hot  string         // the hot list's path, from its unconverted name
	loc  *time.Location // the zone dates are shown in: output.timezone
}

// New parses the embedded templates; out.HTML says the pages' language
// unless render.Lang does. render.Convert renders in another script.
func New(site config.Site, out config.Output, opts ...render.Option) (*Renderer, error) {
	t, err := template.New("").ParseFS(templates, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse html templates: %w", err)
	}
	r := &Renderer{tmpl: t, site: site, out: out, lang: out.HTML.Lang, hot: render.IndexPath(site.HotName), loc: zone(out.TimeZone)}
	text, lang := render.Options(opts...)
	if lang != "" {
		r.lang = lang
	}
	if text != nil {
		for _, tt := range t.Templates() {
			render.ConvertTemplate(tt.Tree, text)
		}
		r.site = render.ConvertSite(site, text)
	}
	return r, nil
}

// zone loads the time zone name (config has checked it); UTC when it is
// unknown here.
func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// Date is a time as the site shows it: in the mirror's zone, to the
// minute, with its machine-readable form for <time datetime>.
type Date struct {
	Text, Machine string
}

// date returns t as the site shows it; nil for the zero time.
func (r *Renderer) date(t time.Time) *Date {
	if t.IsZero() {
		return nil
	}
	t = t.In(r.loc)
	return &Date{Text: t.Format("2006-01-02 15:04"), Machine: t.Format(time.RFC3339)}
}

// Style is how the HTML files link: site.HTML.
func (r *Renderer) Style() site.Style { return site.HTML }

func (r *Renderer) nav(from site.Loc, stamp string, extra ...render.Link) []render.Link {
	return render.Nav(site.HTML, r.site, r.hot, from, stamp, extra...)
}

// frame is the data of the layout template.
type frame struct {
	Lang, Title, Root string
	Nav               []render.Link
	Alternates        []render.Link // the file's copies in other scripts
	PixelURL          string
	// Feed is the relative link to the Atom feed beside the file (channel
	// indexes and the home page, when feeds are written); "" for none.
	Feed string
	Kind string // "page", "index" or "home"
	Data any
}

// PageData is the data of the page template.
type PageData struct {
	Title                   string
	Body                    template.HTML
	PageURL, QRSrc          string
	ShareText, OriginalText string
	OriginalURL             string
	// Published is the feed's date; nil when the feed gave none, and then
	// Mirrored is when the page was mirrored (nil when unknown).
	Published, Mirrored *Date
}

// Page renders the article a (a.Path is its Markdown path) as HTML.
func (r *Renderer) Page(a render.Article) ([]byte, error) {
	from := a.Loc()
	promo, err := r.promo(from, a.ID)
	if err != nil {
		return nil, err
	}
	// The body is extracted, sanitised HTML: it is the page's content.
	body := template.HTML(strings.Replace(a.Body, extract.PromoMarker, promo, 1))
	data := PageData{
		Title: a.Title, Body: body,
		PageURL:      from.Public(r.out.PageURL, a.ChannelID, a.ID),
		QRSrc:        path.Base(a.Path) + ".png",
		ShareText:    r.site.ShareText,
		OriginalText: r.site.OriginalText,
		OriginalURL:  a.OriginalURL,
	}
	if date, mirrored := render.PageDate(a); mirrored {
		data.Mirrored = r.date(date)
	} else {
		data.Published = r.date(date)
	}
	nav := r.nav(from, a.ID, render.Link{Label: a.ChannelName, URL: render.IndexPath(a.IndexName)})
	alts := render.Alternates(site.HTML, from, a.ID, a.Alternates)
	return r.frame(from, a.Title, nav, "page", data, a.ChannelID, a.ID, alts, "")
}

func (r *Renderer) promo(from site.Loc, stamp string) (string, error) {
	if len(r.site.Promo) == 0 {
		return "", nil
	}
	lines := render.PromoLines(site.HTML, r.site, from, stamp)
	for _, line := range lines {
		for i := range line {
			line[i].Label = strings.TrimSpace(line[i].Label)
		}
	}
	var b strings.Builder
	if err := r.tmpl.ExecuteTemplate(&b, "promo", lines); err != nil {
		return "", fmt.Errorf("render html promo: %w", err)
	}
	return b.String(), nil
}

// IndexData is the data of the list template.
type IndexData struct {
	Title   string
	Entries []render.Entry
	Earlier *render.Link // the overflow page; nil when none
	Updated *Date        // when the list was written; nil when unknown
}

// List renders the HTML twin of the list l (a channel index, its overflow
// page, the hot list or the editors' list; l.Path is its Markdown path).
// Links to the mirror carry the run's stamp; outside links are kept.
func (r *Renderer) List(l render.List, stamp string) ([]byte, error) {
	q := "t=" + stamp
	from := l.Loc()
	title := cmp.Or(l.Name, l.Title, strings.TrimSuffix(path.Base(l.Path), ".md"))
	data := IndexData{Title: title, Entries: render.Entries(site.HTML, from, q, l.Entries), Updated: r.date(l.Updated)}
	if l.Earlier.URL != "" {
		data.Earlier = &render.Link{Label: l.Earlier.Label, URL: site.HTML.Link(from, l.Earlier.URL, site.Query{Stamp: q})}
	}
	return r.frame(from, title, r.nav(from, q), "index", data, "", "", nil, r.feed(from, l.Kind == render.KindIndex))
}

// HomeData is the data of the home template.
type HomeData struct {
	Title, Header string
	Picks         *render.Picks
	Sections      []render.Section
}

// Home renders index.html from the data of README.md.
func (r *Renderer) Home(h render.Home, stamp string) ([]byte, error) {
	q := "t=" + stamp
	from := h.Loc()
	data := HomeData{
		Title: r.site.Title, Header: r.site.Header,
		Sections: h.LinkedSections(site.HTML, q),
		Picks:    h.LinkedPicks(site.HTML, q),
	}
	nav := r.nav(from, q)[1:]
	return r.frame(from, r.site.Title, nav, "home", data, "", "", render.Alternates(site.HTML, from, q, h.Alternates), r.feed(from, true))
}

// feed is the link from the list at from to its Atom feed, when it has
// one.
func (r *Renderer) feed(from site.Loc, has bool) string {
	if !has || !r.out.FeedsOn() {
		return ""
	}
	return site.Atom.LinkTo(from, from, "")
}

func (r *Renderer) frame(from site.Loc, title string, nav []render.Link, kind string, data any, channel, id string, alts []render.Link, feed string) ([]byte, error) {
	f := frame{
		Lang: r.lang, Title: title, Root: from.To(site.Loc{Tree: from.Tree}),
		Nav: nav, Alternates: alts, Kind: kind, Data: data, Feed: feed,
		PixelURL: r.out.PixelURL.Expand(from.Path, channel, id),
	}
	var b bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&b, "layout", f); err != nil {
		return nil, fmt.Errorf("render html %s: %w", site.HTML.File(from), err)
	}
	return b.Bytes(), nil
}

// Static are the site's own files beside each home page: the stylesheet.
func (r *Renderer) Static() map[string][]byte {
	return map[string][]byte{StylePath: Stylesheet()}
}
