package mirror

import (
	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/render"
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
	rel := htmlsite.Path(a.Path)
	changed, err := r.tree.Write(rel, page)
	if err != nil || !changed {
		return nil, err
	}
	return []string{rel}, nil
}

// writeHTMLIndex writes the HTML twin of the index at md.
func (r *run) writeHTMLIndex(md string, entries []render.Entry, stamp string) error {
	if r.html == nil {
		return nil
	}
	page, err := r.html.Index(md, entries, stamp)
	if err != nil {
		return err
	}
	_, err = r.write(htmlsite.Path(md), page)
	return err
}

// writeHTMLHome writes index.html and the stylesheet.
func (r *run) writeHTMLHome(sections []render.Section, stamp string) error {
	if r.html == nil {
		return nil
	}
	page, err := r.html.Home(sections, stamp)
	if err != nil {
		return err
	}
	if _, err := r.write(htmlsite.Path("README.md"), page); err != nil {
		return err
	}
	_, err = r.write(htmlsite.StylePath, htmlsite.Stylesheet())
	return err
}
