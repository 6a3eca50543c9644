// Package render turns mirrored articles and the state of the mirror into
// Markdown files with Go templates: article pages, channel indexes and the
// home page, in the reference anatomy by default.
package render

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/site"
)

//go:embed templates/*.tmpl
var defaultTemplates embed.FS

// Renderer renders pages for one configuration. It is safe for concurrent use.
type Renderer struct {
	tmpl *template.Template
	site config.Site
	out  config.Output
	// hot is the hot list's path, from its unconverted name.
	hot string
}

// New parses the embedded templates, then the *.tmpl files of the folder
// out.Templates (when set), which replace the embedded ones of the same
// name and may redefine their parts ("nav", "promo"). Options convert
// the pages into another script.
func New(site config.Site, out config.Output, opts ...Option) (*Renderer, error) {
	r, err := NewFS(site, out, defaultTemplates)
	if err != nil {
		return nil, err
	}
	if out.Templates != "" {
		if err := r.override(os.DirFS(out.Templates)); err != nil {
			return nil, fmt.Errorf("templates folder %s: %w", out.Templates, err)
		}
	}
	text, _ := Options(opts...)
	if text != nil {
		for _, t := range r.tmpl.Templates() {
			ConvertTemplate(t.Tree, text)
		}
		r.site = ConvertSite(site, text)
	}
	return r, nil
}

// NewFS parses the templates/*.tmpl files of fsys.
func NewFS(site config.Site, out config.Output, fsys fs.FS) (*Renderer, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(fsys, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	return &Renderer{tmpl: t, site: site, out: out, hot: IndexPath(site.HotName)}, nil
}

// override parses fsys's *.tmpl files over the templates; a name the
// embedded set does not have is an error, so a typo never goes unnoticed.
func (r *Renderer) override(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.tmpl")
	if err != nil {
		return err
	}
	for _, n := range names {
		if r.tmpl.Lookup(n) == nil {
			return fmt.Errorf("%s replaces no template (known: %s)", n, r.known())
		}
	}
	if len(names) == 0 {
		return nil
	}
	_, err = r.tmpl.ParseFS(fsys, names...)
	return err
}

func (r *Renderer) known() string {
	var names []string
	for _, t := range r.tmpl.Templates() {
		if strings.HasSuffix(t.Name(), ".tmpl") {
			names = append(names, t.Name())
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (r *Renderer) execute(name string, data any) ([]byte, error) {
	return r.executeSized(name, data, 0)
}

// executeSized executes a template whose output is about size bytes, so
// that the buffer is allocated once.
func (r *Renderer) executeSized(name string, data any, size int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(size)
	if err := r.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// Article is what a page is made of.
type Article struct {
	// Path is the page's path from its tree's root, e.g. "pages/p9/994979.md".
	Path string
	// Tree is the variant folder the page is rendered for ("zh-Hant"), ""
	// for the original. The share link and QR code name the copy in its
	// tree; the counter pixel always names Path, so reads of a copy count
	// for the page.
	Tree      string
	ID, Title string
	ChannelID string
	// IndexName is the channel index's name, e.g. "S看世界".
	IndexName   string
	ChannelName string
	// Body is extracted HTML holding extract.PromoMarker.
	Body        string
	OriginalURL string
	// Published is the article's date as its feed gives it; zero when the
	// feed gives none. Mirrored is when it was mirrored, the date shown
	// when the feed gives none (zero: none). The default HTML page shows
	// the date; the default Markdown page, the reference system's, shows
	// none (templates may: PageData.Date).
	Published, Mirrored time.Time
	// Alternates are the page's copies in other trees; usually none.
	Alternates []Alternate
}

// Loc is where the page lives.
func (a Article) Loc() site.Loc { return site.Loc{Tree: a.Tree, Path: a.Path} }

// Public is the repository path a's share link and QR code name.
func (a Article) Public() string { return a.Loc().Repo() }

// Alternate is a copy of a file in another tree, and the label of the
// link to it ("繁體中文").
type Alternate struct {
	Label string
	Loc   site.Loc
}

// PageData is the data of the page template.
type PageData struct {
	Title, Body              string
	Nav                      []Link
	PageURL, QRURL, PixelURL string
	ShareText, OriginalText  string
	OriginalURL              string
	// Alternates link the page's copies in other scripts; usually none.
	Alternates []Link
	// Date is the article's date as its feed gives it or, when the feed
	// gives none, when it was mirrored (then DateMirrored is true); zero
	// when neither is known.
	Date         time.Time
	DateMirrored bool
}

// PageDate is the date a page shows: the feed's, else the mirrored one
// (mirrored true).
func PageDate(a Article) (t time.Time, mirrored bool) {
	if !a.Published.IsZero() {
		return a.Published, false
	}
	return a.Mirrored, !a.Mirrored.IsZero()
}

// Link is a label and a ready URL.
type Link struct{ Label, URL string }

// Page renders an article page. Nav links carry the article id as their
// cache-busting query, as the reference pages do.
func (r *Renderer) Page(a Article) ([]byte, error) {
	from := a.Loc()
	nav := r.nav(from, a.ID, Link{a.ChannelName, IndexPath(a.IndexName)})
	promo, err := r.promo(from, a.ID)
	if err != nil {
		return nil, err
	}
	body := strings.Replace(a.Body, extract.PromoMarker, promo, 1)
	date, mirrored := PageDate(a)
	return r.executeSized("page.md.tmpl", PageData{
		Date: date, DateMirrored: mirrored,
		Title: a.Title, Body: body, Nav: nav,
		PageURL:      from.Public(r.out.PageURL, a.ChannelID, a.ID),
		QRURL:        from.Public(r.out.QRURL, a.ChannelID, a.ID),
		PixelURL:     r.out.PixelURL.Expand(a.Path, a.ChannelID, a.ID),
		ShareText:    r.site.ShareText,
		OriginalText: r.site.OriginalText,
		OriginalURL:  a.OriginalURL,
		Alternates:   Alternates(site.Markdown, from, a.ID, a.Alternates),
	}, len(body)+4<<10)
}

// Alternates are the links from the file at from to its copies.
func Alternates(s site.Style, from site.Loc, stamp string, alts []Alternate) []Link {
	out := make([]Link, len(alts))
	for i, l := range alts {
		out[i] = Link{l.Label, s.LinkTo(from, l.Loc, stamp)}
	}
	return out
}

func (r *Renderer) promo(from site.Loc, stamp string) (string, error) {
	if len(r.site.Promo) == 0 {
		return "", nil
	}
	b, err := r.execute("promo", PromoLines(site.Markdown, r.site, from, stamp))
	return string(b), err
}

// PromoLines are the links of the promo block of the page at from.
func PromoLines(s site.Style, cfg config.Site, from site.Loc, stamp string) [][]Link {
	lines := make([][]Link, len(cfg.Promo))
	q := site.Query{Stamp: stamp, Outside: true}
	for i, l := range cfg.Promo {
		for _, link := range l.Links {
			lines[i] = append(lines[i], Link{link.Label, s.Link(from, link.URL, q)})
		}
	}
	return lines
}

func (r *Renderer) nav(from site.Loc, stamp string, extra ...Link) []Link {
	return Nav(site.Markdown, r.site, r.hot, from, stamp, extra...)
}

// Style is how the Markdown files link: site.Markdown.
func (r *Renderer) Style() site.Style { return site.Markdown }

// Nav is the navigation bar of the file at from: home, the given links
// (the channel index on a page), the hot list (at hot), then the
// configured links, each carrying stamp.
func Nav(s site.Style, cfg config.Site, hot string, from site.Loc, stamp string, extra ...Link) []Link {
	links := []Link{{cfg.HomeLabel, "README.md"}}
	links = append(links, extra...)
	links = append(links, Link{cfg.HotName, hot})
	for _, l := range cfg.Nav {
		links = append(links, Link{l.Label, l.URL})
	}
	q := site.Query{Stamp: stamp, Outside: true}
	for i := range links {
		links[i].URL = s.Link(from, links[i].URL, q)
	}
	return links
}

// IndexPath is the repository path of the index called name.
func IndexPath(name string) string { return "indexes/" + name + ".md" }

// PagePath is the repository path of an article page.
func PagePath(channel, id string) string { return "pages/" + channel + "/" + id + ".md" }

// PageIDs are the channel and article id of the page at path, the inverse
// of PagePath; ok is false for any other path.
func PageIDs(path string) (channel, id string, ok bool) {
	rest, ok := strings.CutPrefix(path, "pages/")
	if !ok {
		return "", "", false
	}
	channel, file, ok := strings.Cut(rest, "/")
	id, isMD := strings.CutSuffix(file, ".md")
	if !ok || !isMD || channel == "" || id == "" || strings.Contains(id, "/") {
		return "", "", false
	}
	return channel, id, true
}
