package mirror

import (
	"strings"

	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
)

// openHTML prepares the HTML renderer when output.html is enabled.
func (r *run) openHTML() error {
	if !r.cfg.Output.HTML.Enabled {
		return nil
	}
	var err error
	r.html, err = htmlsite.New(r.cfg.Site, r.cfg.Output)
	return err
}

// writeHTMLPage writes the article's HTML page beside its Markdown page and
// returns the path when the file changed.
func (r *run) writeHTMLPage(a render.Article) ([]string, error) {
	if r.html == nil {
		return nil, nil
	}
	page, err := r.html.Page(a)
	if err != nil {
		return nil, err
	}
	rel := site.HTMLPath(a.Path)
	changed, err := r.tree.Write(rel, page)
	if err != nil || !changed {
		return nil, err
	}
	return []string{rel}, nil
}

// writeHTMLList writes the HTML twin of the list l.
func (r *run) writeHTMLList(l render.List, stamp string) error {
	if r.html == nil {
		return nil
	}
	page, err := r.html.List(l, stamp)
	if err != nil {
		return err
	}
	_, err = r.write(site.HTMLPath(l.Path), page)
	return err
}

// writeHTMLHome writes index.html and the stylesheet.
func (r *run) writeHTMLHome(sections []render.Section, picks *render.Picks, stamp string) error {
	if r.html == nil {
		return nil
	}
	page, err := r.html.Home(render.Home{Sections: sections, Picks: picks, Alternates: r.alternates(nil, "", "README.md")}, stamp)
	if err != nil {
		return err
	}
	if _, err := r.write(site.HTMLPath("README.md"), page); err != nil {
		return err
	}
	_, err = r.write(htmlsite.StylePath, htmlsite.Stylesheet())
	return err
}

// skipMarkdown reports whether rel is a Markdown file the run must not
// write because the HTML site replaces the Markdown tree.
func (r *run) skipMarkdown(rel string) bool {
	return r.cfg.Output.HTML.Only && strings.HasSuffix(rel, ".md")
}

// pageFirst moves the HTML page to the front of an article's written
// paths when there is no Markdown page: Report.Written lists pages.
func (r *run) pageFirst(written []string) []string {
	if !r.cfg.Output.HTML.Only {
		return written
	}
	for i, p := range written {
		if strings.HasSuffix(p, ".html") {
			written[0], written[i] = written[i], written[0]
			break
		}
	}
	return written
}

// hasFile reports whether the mirror holds the file at rel, a Markdown
// path standing for its HTML twin when the HTML site replaces Markdown.
func (r *run) hasFile(rel string) bool {
	if r.skipMarkdown(rel) {
		return r.tree.Exists(site.HTMLPath(rel))
	}
	return r.tree.Exists(rel)
}
