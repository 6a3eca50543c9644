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

// writeHTMLList writes the HTML twin of the list l.
func (r *run) writeHTMLList(l render.List, stamp string) error {
	if r.html == nil {
		return nil
	}
	page, err := r.html.List(l, stamp)
	if err != nil {
		return err
	}
	_, err = r.write(htmlsite.Path(l.Path), page)
	return err
}

// writeHTMLHome writes index.html and the stylesheet.
func (r *run) writeHTMLHome(sections []render.Section, picks *render.Picks, stamp string) error {
	if r.html == nil {
		return nil
	}
	page, err := r.html.Home(sections, picks, stamp)
	if err != nil {
		return err
	}
	if _, err := r.write(htmlsite.Path("README.md"), page); err != nil {
		return err
	}
	_, err = r.write(htmlsite.StylePath, htmlsite.Stylesheet())
	return err
}
