package mirror

import (
	"context"

	"github.com/newsmirror/newsmirror/internal/render"
)

// rebuild writes every channel index, the hot list and the home page from
// the state database; files whose text is unchanged are left alone.
func (r *run) rebuild(ctx context.Context) error {
	stamp := r.now.Format("01021504")
	var sections []render.Section
	for i := range r.cfg.Sources {
		src := &r.cfg.Sources[i]
		sec := render.Section{Name: src.Name}
		for j := range src.Channels {
			ch := &src.Channels[j]
			name := src.IndexName(ch)
			if err := r.writeIndex(ctx, ch.ID, name, stamp); err != nil {
				return err
			}
			sec.Links = append(sec.Links, render.Link{Label: ch.Name, URL: render.IndexPath(name)})
		}
		sections = append(sections, sec)
	}
	if err := r.writeHot(ctx, stamp); err != nil {
		return err
	}
	home, err := r.render.Home(sections, stamp)
	if err != nil {
		return err
	}
	if _, err := r.write("README.md", home); err != nil {
		return err
	}
	if err := r.writeHomeTwins(sections, stamp); err != nil {
		return err
	}
	_, err = r.write(".gitignore", []byte("/.newsmirror/\n.tmp-*\n"))
	return err
}

func (r *run) writeIndex(ctx context.Context, channel, name, stamp string) error {
	arts, err := r.db.Channel(ctx, channel, 0)
	if err != nil {
		return err
	}
	entries := make([]render.Entry, len(arts))
	for i, a := range arts {
		entries[i] = render.Entry{Title: a.Title, Path: a.Path}
	}
	path := render.IndexPath(name)
	md, err := r.render.Index(path, entries, stamp)
	if err != nil {
		return err
	}
	if _, err = r.write(path, md); err != nil {
		return err
	}
	return r.writeIndexTwins(path, entries, stamp)
}

func (r *run) writeHot(ctx context.Context, stamp string) error {
	hot, err := r.db.HotPages(ctx, r.now.Add(-r.cfg.Site.HotWindow), r.cfg.Site.HotLength)
	if err != nil {
		return err
	}
	entries := make([]render.Entry, len(hot))
	for i, h := range hot {
		entries[i] = render.Entry{Title: h.Title, Path: h.Path}
	}
	path := render.IndexPath(r.cfg.Site.HotName)
	md, err := r.render.Index(path, entries, stamp)
	if err != nil {
		return err
	}
	if _, err = r.write(path, md); err != nil {
		return err
	}
	return r.writeIndexTwins(path, entries, stamp)
}
