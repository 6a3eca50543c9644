package mirror

import (
	"context"
	"slices"
	"strings"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/indexes"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/store"
)

// rebuild writes the indexes of the channels in dirty (and of any channel
// whose index is missing), the hot list, the editors' list and the home
// page; files whose text is unchanged are left alone. Its cost grows with
// the channels that changed and the retention limit, never with the size
// of the mirror.
func (r *run) rebuild(ctx context.Context, dirty map[string]bool) error {
	stamp := r.now.Format("01021504")
	sticky, err := r.stickyBlocks()
	if err != nil {
		return err
	}
	var sections []render.Section
	for i := range r.cfg.Sources {
		src := &r.cfg.Sources[i]
		sec := render.Section{Name: src.Name}
		for j := range src.Channels {
			ch := &src.Channels[j]
			name := src.IndexName(ch)
			if dirty[ch.ID] || !r.tree.Exists(render.IndexPath(name)) {
				if err := r.writeIndex(ctx, src, ch, sticky, stamp); err != nil {
					return err
				}
			}
			sec.Links = append(sec.Links, render.Link{Label: ch.Name, URL: render.IndexPath(name)})
		}
		sections = append(sections, sec)
	}
	if err := r.writeHot(ctx, stamp); err != nil {
		return err
	}
	picks, err := r.writeEditors(ctx, stamp)
	if err != nil {
		return err
	}
	recent, err := r.recent(ctx)
	if err != nil {
		return err
	}
	if err := r.writeHome(render.Home{Sections: sections, Picks: picks, Recent: recent}, stamp); err != nil {
		return err
	}
	return r.writeIgnore()
}

// writeIndex writes a channel's index and its "earlier" page (removing
// the earlier page, in every tree and format, when the index no longer
// overflows).
func (r *run) writeIndex(ctx context.Context, src *config.Source, ch *config.Channel, sticky []indexes.Block, stamp string) error {
	arts, err := r.db.Channel(ctx, ch.ID, r.cfg.Publish.Keep)
	if err != nil {
		return err
	}
	items := pageItems(arts)
	opts := &r.cfg.Indexes
	page := indexes.Layout(items, opts.Length, sticky, &opts.Blacklist, &src.Blacklist)
	name := src.IndexName(ch)
	path, earlier := render.IndexPath(name), render.IndexPath(name+"-earlier")
	list := render.List{Kind: render.KindIndex, Path: path, Title: name, Name: ch.Name, Updated: r.now, Entries: entries(page.Main)}
	if len(page.Earlier) > 0 {
		list.Earlier = render.Link{Label: opts.EarlierLabel, URL: earlier}
		more := render.List{Kind: render.KindEarlier, Path: earlier, Title: name, Name: ch.Name, Updated: r.now, Entries: entries(page.Earlier)}
		if err := r.writeList(more, stamp); err != nil {
			return err
		}
	} else if err := r.removeList(earlier); err != nil {
		return err
	}
	return r.writeList(list, stamp)
}

func entries(items []indexes.Item) []render.Entry {
	out := make([]render.Entry, len(items))
	for i, it := range items {
		out[i] = render.Entry{Title: it.Title, Path: it.Path, Time: it.Time}
	}
	return out
}

// pageItems are the list items of mirrored articles, dated when published
// (when mirrored if the source gave no date).
func pageItems(arts []store.Article) []indexes.Item {
	items := make([]indexes.Item, len(arts))
	for i, a := range arts {
		t := a.Published
		if t.IsZero() {
			t = a.Mirrored
		}
		items[i] = indexes.Item{Title: a.Title, Path: a.Path, Time: t}
	}
	return items
}

// recent are the newest pages of every channel for the home page's feed,
// newest first, without the titles the channels' blacklists drop; none
// when no feed is written.
func (r *run) recent(ctx context.Context) ([]render.Entry, error) {
	if !r.cfg.Output.FeedsOn() {
		return nil, nil
	}
	n := r.cfg.Output.Feeds.Length
	var all []indexes.Item
	for i := range r.cfg.Sources {
		src := &r.cfg.Sources[i]
		for j := range src.Channels {
			arts, err := r.db.Channel(ctx, src.Channels[j].ID, n)
			if err != nil {
				return nil, err
			}
			page := indexes.Layout(pageItems(arts), n, nil, &r.cfg.Indexes.Blacklist, &src.Blacklist)
			all = append(all, page.Main...)
		}
	}
	slices.SortStableFunc(all, func(a, b indexes.Item) int { return b.Time.Compare(a.Time) })
	return entries(all[:min(n, len(all))]), nil
}

// writeHot writes the hot list and keeps its entries for hotLog.
func (r *run) writeHot(ctx context.Context, stamp string) error {
	list, err := r.hotList(ctx)
	if err != nil {
		return err
	}
	r.hot = list.Entries
	return r.writeList(list, stamp)
}

// writeEditors writes the editors' list, when one is configured, and
// returns its first entries for the home page.
func (r *run) writeEditors(ctx context.Context, stamp string) (*render.Picks, error) {
	ed := r.cfg.Indexes.Editors
	if ed.File == "" {
		return nil, nil
	}
	items, err := r.links(ctx, ed.File, true)
	if err != nil {
		return nil, err
	}
	list := render.List{Kind: render.KindEditors, Path: render.IndexPath(ed.Name), Title: ed.Name, Updated: r.now, Entries: entries(items)}
	if err := r.writeList(list, stamp); err != nil {
		return nil, err
	}
	picks := &render.Picks{Label: ed.Name, More: render.Link{Label: "更多" + ed.Name, URL: list.Path}}
	picks.Entries = list.Entries[:min(ed.Home, len(list.Entries))]
	return picks, nil
}

// stickyBlocks reads the sticky links files.
func (r *run) stickyBlocks() ([]indexes.Block, error) {
	var out []indexes.Block
	for _, s := range r.cfg.Indexes.Sticky {
		items, err := r.links(context.Background(), s.File, false)
		if err != nil {
			return nil, err
		}
		out = append(out, indexes.Block{Position: s.Position, Items: items})
	}
	return out, nil
}

// links reads a "url,title" file. With mirrored, a URL the mirror holds
// links to its page; otherwise rows are outside links, a path ("/x.md")
// being a file of the mirror. Bad rows become warnings with their line.
func (r *run) links(ctx context.Context, file string, mirrored bool) ([]indexes.Item, error) {
	rows, bad, err := indexes.ReadCSV(file)
	if err != nil {
		return nil, err
	}
	for _, e := range bad {
		r.warn(e.Error())
	}
	items := make([]indexes.Item, 0, len(rows))
	for _, row := range rows {
		target, err := r.linkTarget(ctx, row.URL, mirrored)
		if err != nil {
			return nil, err
		}
		items = append(items, indexes.Item{Title: row.Title, Path: target})
	}
	return items, nil
}

func (r *run) linkTarget(ctx context.Context, raw string, mirrored bool) (string, error) {
	if rel, ok := indexes.Relative(raw); ok {
		return rel, nil
	}
	abs := indexes.Absolute(raw)
	if !mirrored || !strings.Contains(abs, "://") {
		return abs, nil
	}
	page, ok, err := r.db.Mirrored(ctx, indexes.Variants(abs))
	if err != nil || !ok {
		return abs, err
	}
	return page, nil
}
