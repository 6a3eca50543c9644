package output

import (
	"strings"

	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
)

// Has reports whether the mirror holds a file, by repository path.
type Has func(repoPath string) bool

// List renders the list l in every tree and format. A variant's copy lists
// only the mirror's pages that have a copy there (outside links stay); a
// channel index or overflow page left empty is not written in a variant,
// the hot and editors' lists always are (every page links to them).
func (s *Set) List(l render.List, stamp string, has Has) ([]File, error) {
	var files []File
	for _, t := range s.trees {
		tl, ok := s.listIn(t, l, has)
		if !ok {
			continue
		}
		for _, f := range t.formats {
			data, err := f.List(tl, stamp)
			if err != nil {
				return nil, err
			}
			if data != nil {
				files = append(files, File{f.Style().File(tl.Loc()), data})
			}
		}
	}
	return files, nil
}

// listIn is l as tree t shows it, converted, and whether t shows it.
func (s *Set) listIn(t *Tree, l render.List, has Has) (render.List, bool) {
	l.Tree, l.Title, l.Name = t.Dir, t.Text(l.Title), t.Text(l.Name)
	l.Earlier.Label = t.Text(l.Earlier.Label)
	if t.Dir == "" {
		l.Entries = s.entriesIn(t, l.Entries, nil)
		return l, true
	}
	l.Entries = s.entriesIn(t, l.Entries, has)
	if l.Earlier.URL != "" && !s.has(has, site.Loc{Tree: t.Dir, Path: l.Earlier.URL}) {
		l.Earlier = render.Link{}
	}
	keep := len(l.Entries) > 0 || l.Kind == render.KindHot || l.Kind == render.KindEditors
	return l, keep
}

// entriesIn are the entries tree t can link to, converted: its copies of
// the mirror's pages, and every link that is not a page of the mirror.
// A nil has keeps every entry.
func (s *Set) entriesIn(t *Tree, entries []render.Entry, has Has) []render.Entry {
	var kept []render.Entry
	for _, e := range entries {
		if has != nil && strings.HasPrefix(e.Path, "pages/") && !s.has(has, site.Loc{Tree: t.Dir, Path: e.Path}) {
			continue
		}
		e.Title = t.Text(e.Title)
		kept = append(kept, e)
	}
	return kept
}

// has reports whether the mirror holds the file at l in the primary
// format.
func (s *Set) has(has Has, l site.Loc) bool { return has(s.Primary().File(l)) }

// Home renders the home page in every tree and format, with the format's
// own files beside it (the stylesheet). A variant's home page lists the
// channel indexes and editors' picks it holds.
func (s *Set) Home(h render.Home, stamp string, has Has) ([]File, error) {
	var files []File
	for _, t := range s.trees {
		th := s.homeIn(t, h, has)
		for _, f := range t.formats {
			data, err := f.Home(th, stamp)
			if err != nil {
				return nil, err
			}
			if data != nil {
				files = append(files, File{f.Style().File(th.Loc()), data})
			}
			files = append(files, staticFiles(t, f)...)
		}
	}
	return files, nil
}

// homeIn is h as tree t shows it, converted.
func (s *Set) homeIn(t *Tree, h render.Home, has Has) render.Home {
	h.Tree = t.Dir
	h.Alternates = s.Alternates(nil, t, "README.md")
	filter := has
	if t.Dir == "" {
		filter = nil
	}
	h.Recent = s.entriesIn(t, h.Recent, filter)
	var sections []render.Section
	for _, sec := range h.Sections {
		out := render.Section{Name: t.Text(sec.Name)}
		for _, l := range sec.Links {
			if filter == nil || s.has(filter, site.Loc{Tree: t.Dir, Path: l.URL}) {
				out.Links = append(out.Links, render.Link{Label: t.Text(l.Label), URL: l.URL})
			}
		}
		if len(out.Links) > 0 || t.Dir == "" {
			sections = append(sections, out)
		}
	}
	h.Sections = sections
	if h.Picks != nil {
		p := *h.Picks
		p.Label, p.More.Label = t.Text(p.Label), t.Text(p.More.Label)
		p.Entries = s.entriesIn(t, p.Entries, filter)
		h.Picks = &p
	}
	return h
}

// staticFiles are format f's own files in tree t.
func staticFiles(t *Tree, f Format) []File {
	st, ok := f.(statics)
	if !ok {
		return nil
	}
	var out []File
	for name, data := range st.Static() {
		out = append(out, File{site.Loc{Tree: t.Dir, Path: name}.Repo(), data})
	}
	return out
}
