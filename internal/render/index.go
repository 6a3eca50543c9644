package render

// Entry is one line of an index: a title and the repository path it links to.
type Entry struct {
	Title string
	Path  string
	URL   string // filled by the renderer
}

// IndexData is the data of the index template.
type IndexData struct {
	Nav          []Link
	Entries      []Entry
	Earlier      string // link to the overflow page, if any
	EarlierLabel string
	PixelURL     string
}

// Index renders the index file at path (e.g. "indexes/S看世界.md"); every
// link carries the run's stamp ("t=01130820").
func (r *Renderer) Index(path string, entries []Entry, stamp string) ([]byte, error) {
	q := "t=" + stamp
	data := IndexData{
		Nav:      r.nav(path, q),
		PixelURL: r.out.PixelURL.Expand(path, "", ""),
	}
	for _, e := range entries {
		e.URL = bust(escapeURL(relative(path, e.Path)), q)
		data.Entries = append(data.Entries, e)
	}
	return r.execute("index.md.tmpl", data)
}

// Section is one source on the home page with its channel indexes.
type Section struct {
	Name  string
	Links []Link // label and repository path of each channel index
}

// HomeData is the data of the home template.
type HomeData struct {
	Title, Header string
	Sections      []Section
	Nav           []Link
	PixelURL      string
}

// Home renders README.md.
func (r *Renderer) Home(sections []Section, stamp string) ([]byte, error) {
	q := "t=" + stamp
	data := HomeData{Title: r.site.Title, Header: r.site.Header, PixelURL: r.out.PixelURL.Expand("README.md", "", "")}
	for _, s := range sections {
		out := Section{Name: s.Name}
		for _, l := range s.Links {
			out.Links = append(out.Links, Link{l.Label, bust(escapeURL(l.URL), q)})
		}
		data.Sections = append(data.Sections, out)
	}
	data.Nav = r.nav("README.md", q)[1:] // everything but the home link itself
	return r.execute("home.md.tmpl", data)
}
