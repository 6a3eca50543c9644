package mirror

import (
	"strings"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/qr"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
	"github.com/newsmirror/newsmirror/internal/zhconv"
)

// variant is a converted tree of the mirror, under dir.
type variant struct {
	dir   string
	label string // the link to it from the original and the other variants
	conv  *zhconv.Converter
}

// openVariants loads the converter of every variant folder the sources
// name (config validation keeps one conversion per folder).
func (r *run) openVariants() error {
	convs := map[string]*zhconv.Converter{}
	seen := map[string]bool{}
	for _, src := range r.cfg.Sources {
		for _, v := range src.Variants {
			if seen[v.Dir] {
				continue
			}
			seen[v.Dir] = true
			if convs[v.Convert] == nil {
				c, err := zhconv.New(v.Convert)
				if err != nil {
					return err
				}
				convs[v.Convert] = c
			}
			label, orig := zhconv.Labels(v.Convert)
			if v.Label != "" {
				label = v.Label
			}
			if r.originalLabel == "" {
				r.originalLabel = orig
			}
			r.variants = append(r.variants, variant{dir: v.Dir, label: label, conv: convs[v.Convert]})
		}
	}
	return nil
}

// writeTwins writes the article's other files beside its Markdown page:
// the HTML page, and the converted Markdown (and HTML) page of each of the
// source's variants, whose images point at the assets from one folder
// deeper. It returns the paths that changed.
func (r *run) writeTwins(src *config.Source, a render.Article, body string, local map[string]string) ([]string, error) {
	written, err := r.writeHTMLPage(a)
	if err != nil {
		return nil, err
	}
	for _, v := range r.variants {
		if !usesVariant(src, v.dir) {
			continue
		}
		vb, err := assets.Rewrite(body, local, r.assetURL(site.Loc{Tree: v.dir, Path: a.Path}))
		if err != nil {
			return nil, err
		}
		va := a
		va.Body = vb
		va.Tree = v.dir
		va.Alternates = r.alternates(src, v.dir, a.Path)
		files, err := r.variantPage(va, v.conv)
		if err != nil {
			return nil, err
		}
		for rel, data := range files {
			changed, err := r.tree.Write(v.dir+"/"+rel, data)
			if err != nil {
				return nil, err
			}
			if changed {
				written = append(written, v.dir+"/"+rel)
			}
		}
	}
	return written, nil
}

// variantPage renders the files of a converted page: its QR code (of the
// converted page's own public URL), the Markdown page, and with the HTML
// site its HTML page.
func (r *run) variantPage(a render.Article, conv *zhconv.Converter) (map[string][]byte, error) {
	md, err := r.render.Page(a)
	if err != nil {
		return nil, err
	}
	public := r.cfg.Output.PageURL.Expand(a.Public(), a.ChannelID, a.ID)
	if public == "" {
		public = a.Public()
	}
	png, err := qr.PNG(public)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{a.Path + ".png": png}
	if !r.skipMarkdown(a.Path) {
		files[a.Path] = []byte(conv.Document(string(md)))
	}
	if r.html == nil {
		return files, nil
	}
	page, err := r.html.Page(a)
	if err != nil {
		return nil, err
	}
	files[site.HTMLPath(a.Path)] = r.convertHTML(conv, page)
	return files, nil
}

// convertHTML converts an HTML file and declares its new language.
func (r *run) convertHTML(conv *zhconv.Converter, page []byte) []byte {
	out := conv.Document(string(page))
	old := `<html lang="` + r.cfg.Output.HTML.Lang + `">`
	return []byte(strings.Replace(out, old, `<html lang="`+conv.Lang()+`">`, 1))
}

// alternates are the other copies of the file at rel seen from the tree
// from ("" for the original): the original and the variants that hold one
// (all variants when src is nil, for home pages).
func (r *run) alternates(src *config.Source, from, rel string) []render.Alternate {
	var out []render.Alternate
	if from != "" {
		out = append(out, render.Alternate{Label: r.originalLabel, Loc: site.At(rel)})
	}
	for _, v := range r.variants {
		if v.dir != from && (src == nil || usesVariant(src, v.dir)) {
			out = append(out, render.Alternate{Label: v.label, Loc: site.Loc{Tree: v.dir, Path: rel}})
		}
	}
	return out
}

func usesVariant(src *config.Source, dir string) bool {
	for _, v := range src.Variants {
		if v.Dir == dir {
			return true
		}
	}
	return false
}

// writeIndexTwins writes the HTML twin of the list l, and its converted
// copy in each variant folder, which lists only the mirror's pages that
// have a converted copy there (outside links stay). A channel index or
// overflow page left empty is not written; the hot and editors' lists
// always are (every page and the home page link to them).
func (r *run) writeIndexTwins(l render.List, stamp string) error {
	if err := r.writeHTMLList(l, stamp); err != nil {
		return err
	}
	for _, v := range r.variants {
		vl := l
		vl.Tree = v.dir
		vl.Entries = r.inVariant(v, l.Entries)
		if l.Earlier.URL != "" && !r.hasFile(v.dir+"/"+l.Earlier.URL) {
			vl.Earlier = render.Link{}
		}
		if len(vl.Entries) == 0 && l.Kind != render.KindHot && l.Kind != render.KindEditors {
			continue
		}
		files := map[string]func() ([]byte, error){
			l.Path: func() ([]byte, error) { return r.render.List(vl, stamp) },
		}
		if r.html != nil {
			files[site.HTMLPath(l.Path)] = func() ([]byte, error) { return r.html.List(vl, stamp) }
		}
		if err := r.writeConverted(v, files); err != nil {
			return err
		}
	}
	return nil
}

// inVariant keeps the entries a variant folder can link to: its converted
// pages, and every link that is not a page of the mirror.
func (r *run) inVariant(v variant, entries []render.Entry) []render.Entry {
	var kept []render.Entry
	for _, e := range entries {
		if !strings.HasPrefix(e.Path, "pages/") || r.hasFile(v.dir+"/"+e.Path) {
			kept = append(kept, e)
		}
	}
	return kept
}

// writeHomeTwins writes index.html, and each variant folder's home page
// listing the channel indexes that exist there.
func (r *run) writeHomeTwins(sections []render.Section, picks *render.Picks, stamp string) error {
	if err := r.writeHTMLHome(sections, picks, stamp); err != nil {
		return err
	}
	for _, v := range r.variants {
		var kept []render.Section
		for _, s := range sections {
			out := render.Section{Name: s.Name}
			for _, l := range s.Links {
				if r.hasFile(v.dir + "/" + l.URL) {
					out.Links = append(out.Links, l)
				}
			}
			if len(out.Links) > 0 {
				kept = append(kept, out)
			}
		}
		var vp *render.Picks
		if picks != nil {
			p := *picks
			p.Entries = r.inVariant(v, picks.Entries)
			vp = &p
		}
		files := map[string]func() ([]byte, error){
			"README.md": func() ([]byte, error) {
				return r.render.Home(render.Home{Tree: v.dir, Sections: kept, Picks: vp, Alternates: r.alternates(nil, v.dir, "README.md")}, stamp)
			},
		}
		if r.html != nil {
			files[site.HTMLPath("README.md")] = func() ([]byte, error) {
				return r.html.Home(render.Home{Tree: v.dir, Sections: kept, Picks: vp, Alternates: r.alternates(nil, v.dir, "README.md")}, stamp)
			}
			files[htmlsite.StylePath] = func() ([]byte, error) { return htmlsite.Stylesheet(), nil }
		}
		if err := r.writeConverted(v, files); err != nil {
			return err
		}
	}
	return nil
}

// writeConverted renders each file, converts its text and writes it under
// the variant's folder.
func (r *run) writeConverted(v variant, files map[string]func() ([]byte, error)) error {
	for rel, render := range files {
		data, err := render()
		if err != nil {
			return err
		}
		out := []byte(v.conv.Document(string(data)))
		if strings.HasSuffix(rel, ".html") {
			out = r.convertHTML(v.conv, data)
		}
		if _, err := r.write(v.dir+"/"+rel, out); err != nil {
			return err
		}
	}
	return nil
}

// touchTwins adds the HTML and converted twins of pages left pending by an
// interrupted run to this run's commit.
func (r *run) touchTwins(pending []string) {
	for _, p := range pending {
		twins := []string{site.HTMLPath(p)}
		for _, v := range r.variants {
			twins = append(twins, v.dir+"/"+p, v.dir+"/"+p+".png", v.dir+"/"+site.HTMLPath(p))
		}
		for _, t := range twins {
			if r.tree.Exists(t) {
				r.touched[t] = true
			}
		}
	}
}
