package render

import "net/url"

// Entry is one line of a list: a title and the repository path of the page
// it links to, or an outside URL.
type Entry struct {
	Title string
	Path  string // a repository path, or an absolute URL kept as it is
	URL   string // filled by the renderer
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
	Kind    string
	Path    string // the file's repository path, e.g. "indexes/S看世界.md"
	Title   string // the list's name, e.g. "S看世界"
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

// List renders a list file; every link to the mirror carries the run's
// stamp ("t=01130820"), outside links are kept as they are.
func (r *Renderer) List(l List, stamp string) ([]byte, error) {
	q := "t=" + stamp
	data := IndexData{
		Title:    l.Title,
		Nav:      r.nav(l.Path, q),
		PixelURL: r.out.PixelURL.Expand(l.Path, "", ""),
		Stamp:    stamp,
	}
	for _, e := range l.Entries {
		e.URL = link(l.Path, e.Path, q)
		data.Entries = append(data.Entries, e)
	}
	if l.Earlier.URL != "" {
		data.Earlier = escapeURL(relative(l.Path, l.Earlier.URL))
		data.EarlierLabel = l.Earlier.Label
	}
	return r.execute(l.Kind+".md.tmpl", data)
}

// Index renders a channel index with no overflow.
func (r *Renderer) Index(path string, entries []Entry, stamp string) ([]byte, error) {
	return r.List(List{Kind: KindIndex, Path: path, Entries: entries}, stamp)
}

// link is how the file at from links to target: a stamped relative path
// for a file of the mirror, an outside URL untouched.
func link(from, target, q string) string {
	if u, err := url.Parse(target); err == nil && (u.Scheme != "" || u.Host != "") {
		return escapeURL(target)
	}
	return bust(escapeURL(relative(from, target)), q)
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

// Home renders README.md without editors' picks.
func (r *Renderer) Home(sections []Section, stamp string) ([]byte, error) {
	return r.HomeWith(sections, nil, stamp)
}

// HomeWith renders README.md; picks may be nil. Alternates link the home
// pages of the converted copies (paths from the root of this tree).
func (r *Renderer) HomeWith(sections []Section, picks *Picks, stamp string, alternates ...Link) ([]byte, error) {
	q := "t=" + stamp
	const path = "README.md"
	data := HomeData{Title: r.site.Title, Header: r.site.Header, PixelURL: r.out.PixelURL.Expand(path, "", ""), Stamp: stamp}
	for _, s := range sections {
		out := Section{Name: s.Name}
		for _, l := range s.Links {
			out.Links = append(out.Links, Link{l.Label, link(path, l.URL, q)})
		}
		data.Sections = append(data.Sections, out)
	}
	if picks != nil {
		p := &Picks{Label: picks.Label, More: Link{picks.More.Label, link(path, picks.More.URL, q)}}
		for _, e := range picks.Entries {
			e.URL = link(path, e.Path, q)
			p.Entries = append(p.Entries, e)
		}
		data.Picks = p
	}
	data.Nav = r.nav(path, q)[1:] // everything but the home link itself
	data.Alternates = alternatesOf(path, q, alternates)
	return r.execute("home.md.tmpl", data)
}
