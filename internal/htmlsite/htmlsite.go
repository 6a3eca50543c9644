// Package htmlsite renders the mirror as a static HTML site beside the
// Markdown tree: the same pages, indexes and home page, from the same data
// as package render, with one small stylesheet and relative links only, so
// the site works from file://, GitHub Pages, IPFS or any bucket, and makes
// no request to any host the configuration did not name.
package htmlsite

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"path"
	"strings"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/render"
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
}

// New parses the embedded templates; out.HTML says the pages' language.
func New(site config.Site, out config.Output) (*Renderer, error) {
	t, err := template.New("").ParseFS(templates, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse html templates: %w", err)
	}
	return &Renderer{tmpl: t, site: site, out: out, lang: out.HTML.Lang}, nil
}

// Path is the HTML file beside a Markdown file: a "README.md" is the home
// page "index.html" of its folder, any other "x.md" is "x.html".
func Path(md string) string {
	if md == "README.md" || strings.HasSuffix(md, "/README.md") {
		return strings.TrimSuffix(md, "README.md") + "index.html"
	}
	return strings.TrimSuffix(md, ".md") + ".html"
}

// frame is the data of the layout template.
type frame struct {
	Lang, Title, Root string
	Nav               []render.Link
	Alternates        []render.Link // the file's copies in other scripts
	PixelURL          string
	Kind              string // "page", "index" or "home"
	Data              any
}

// PageData is the data of the page template.
type PageData struct {
	Title                   string
	Body                    template.HTML
	PageURL, QRSrc          string
	ShareText, OriginalText string
	OriginalURL             string
}

// Page renders the article a (a.Path is its Markdown path) as HTML.
func (r *Renderer) Page(a render.Article) ([]byte, error) {
	promo, err := r.promo(a.ID)
	if err != nil {
		return nil, err
	}
	// The body is extracted, sanitised HTML: it is the page's content.
	body := template.HTML(strings.Replace(a.Body, extract.PromoMarker, promo, 1))
	data := PageData{
		Title: a.Title, Body: body,
		PageURL:      r.out.PageURL.Expand(a.Public(), a.ChannelID, a.ID),
		QRSrc:        path.Base(a.Path) + ".png",
		ShareText:    r.site.ShareText,
		OriginalText: r.site.OriginalText,
		OriginalURL:  a.OriginalURL,
	}
	nav := r.nav(a.Path, a.ID, render.Link{Label: a.ChannelName, URL: render.IndexPath(a.IndexName)})
	return r.frame(a.Path, a.Title, nav, "page", data, a.ChannelID, a.ID, alternates(a.Path, a.ID, a.Alternates))
}

func (r *Renderer) promo(stamp string) (string, error) {
	if len(r.site.Promo) == 0 {
		return "", nil
	}
	lines := make([][]render.Link, len(r.site.Promo))
	for i, l := range r.site.Promo {
		for _, link := range l.Links {
			lines[i] = append(lines[i], render.Link{Label: strings.TrimSpace(link.Label), URL: withQuery(link.URL, stamp)})
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
	Earlier render.Link // the overflow page, if any
}

// List renders the HTML twin of the list l (a channel index, its overflow
// page, the hot list or the editors' list; l.Path is its Markdown path).
// Links to the mirror carry the run's stamp; outside links are kept.
func (r *Renderer) List(l render.List, stamp string) ([]byte, error) {
	q := "t=" + stamp
	title := l.Title
	if title == "" {
		title = strings.TrimSuffix(path.Base(l.Path), ".md")
	}
	data := IndexData{Title: title}
	for _, e := range l.Entries {
		e.URL = link(l.Path, e.Path, q)
		data.Entries = append(data.Entries, e)
	}
	if l.Earlier.URL != "" {
		data.Earlier = render.Link{Label: l.Earlier.Label, URL: link(l.Path, l.Earlier.URL, q)}
	}
	return r.frame(l.Path, title, r.nav(l.Path, q), "index", data, "", "", nil)
}

// HomeData is the data of the home template.
type HomeData struct {
	Title, Header string
	Picks         *render.Picks
	Sections      []render.Section
}

// Home renders index.html from the sections (and editors' picks, which may
// be nil) of README.md; alternates link the converted copies' home pages.
func (r *Renderer) Home(sections []render.Section, picks *render.Picks, stamp string, alts ...render.Link) ([]byte, error) {
	q := "t=" + stamp
	const md = "README.md"
	data := HomeData{Title: r.site.Title, Header: r.site.Header}
	for _, s := range sections {
		out := render.Section{Name: s.Name}
		for _, l := range s.Links {
			out.Links = append(out.Links, render.Link{Label: l.Label, URL: link(md, l.URL, q)})
		}
		data.Sections = append(data.Sections, out)
	}
	if picks != nil {
		p := &render.Picks{Label: picks.Label, More: render.Link{Label: picks.More.Label, URL: link(md, picks.More.URL, q)}}
		for _, e := range picks.Entries {
			e.URL = link(md, e.Path, q)
			p.Entries = append(p.Entries, e)
		}
		data.Picks = p
	}
	return r.frame(md, r.site.Title, r.nav(md, q)[1:], "home", data, "", "", alternates(md, q, alts))
}

// link is how the file whose Markdown path is from links to target: the
// stamped relative path of target's HTML twin for a file of the mirror,
// an outside URL untouched.
func link(from, target, q string) string {
	if strings.Contains(target, "://") || strings.HasPrefix(target, "//") {
		return target
	}
	if strings.HasSuffix(target, ".md") {
		target = Path(target)
	}
	return withQuery(relative(from, target), q)
}

func (r *Renderer) frame(md, title string, nav []render.Link, kind string, data any, channel, id string, alts []render.Link) ([]byte, error) {
	f := frame{
		Lang: r.lang, Title: title, Root: strings.Repeat("../", strings.Count(md, "/")),
		Nav: nav, Alternates: alts, Kind: kind, Data: data,
		PixelURL: r.out.PixelURL.Expand(md, channel, id),
	}
	var b bytes.Buffer
	if err := r.tmpl.ExecuteTemplate(&b, "layout", f); err != nil {
		return nil, fmt.Errorf("render html %s: %w", Path(md), err)
	}
	return b.Bytes(), nil
}

// nav is the navigation bar of the file whose Markdown path is from: home,
// the given links, the hot list, then the configured links.
func (r *Renderer) nav(from, stamp string, extra ...render.Link) []render.Link {
	links := []render.Link{{Label: r.site.HomeLabel, URL: "README.md"}}
	links = append(links, extra...)
	links = append(links, render.Link{Label: r.site.HotName, URL: render.IndexPath(r.site.HotName)})
	for i := range links {
		links[i].URL = withQuery(relative(from, Path(links[i].URL)), stamp)
	}
	for _, l := range r.site.Nav {
		links = append(links, render.Link{Label: l.Label, URL: withQuery(relative(from, l.URL), stamp)})
	}
	return links
}

// alternates makes the links to a file's copies (repository paths from the
// root of the file's tree) work from the HTML twin of the file at from.
func alternates(from, stamp string, links []render.Link) []render.Link {
	out := make([]render.Link, len(links))
	for i, l := range links {
		out[i] = render.Link{Label: l.Label, URL: link(from, l.URL, stamp)}
	}
	return out
}

// relative rewrites a link written relative to the repository root so it
// works from the file at from; absolute URLs are left alone.
func relative(from, link string) string {
	if strings.Contains(link, "://") || strings.HasPrefix(link, "/") || strings.HasPrefix(link, "#") {
		return link
	}
	return strings.Repeat("../", strings.Count(from, "/")) + link
}

// withQuery appends the cache-busting stamp to u; "" leaves u alone.
func withQuery(u, stamp string) string {
	if stamp == "" {
		return u
	}
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return withQuery(u[:i], stamp) + u[i:]
	}
	if strings.Contains(u, "?") {
		return u + "&" + stamp
	}
	return u + "?" + stamp
}
