package mirror

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/render"
)

// hotLog records when the hot list was last looked at and the pages it
// showed then, one "path<TAB>title" line each after the time (RFC 3339).
// It is newsmirror's own, git-ignored: a host without it (a new one, or
// one upgraded) looks at the hot list at its next run.
const hotLog = publish.OwnDir + "/hot"

// hotShown is what hotLog holds.
type hotShown struct {
	at      time.Time
	entries []string
	known   bool // hotLog was read
}

// hotList is the hot list as the state database gives it now.
func (r *run) hotList(ctx context.Context) (render.List, error) {
	hot, err := r.db.HotPages(ctx, r.now.Add(-r.cfg.Site.HotWindow), r.cfg.Site.HotLength)
	if err != nil {
		return render.List{}, err
	}
	list := render.List{Kind: render.KindHot, Path: render.IndexPath(r.cfg.Site.HotName), Title: r.cfg.Site.HotName, Updated: r.now}
	for _, p := range hot {
		list.Entries = append(list.Entries, render.Entry{Title: p.Title, Path: p.Path})
	}
	return list, nil
}

// hotDue reports whether a run with nothing new is to rebuild the hot
// list and the home page: the hot list was last looked at
// site.hot_refresh ago or more (or never, on this host) and the hits now
// put other pages on it, or the same in another order. A look that finds
// the same pages is recorded, so the next is site.hot_refresh later.
func (r *run) hotDue(ctx context.Context) (bool, error) {
	every := r.cfg.Site.HotRefresh
	if every <= 0 {
		return false, nil
	}
	shown := r.readHotShown()
	if shown.known && r.now.Sub(shown.at) < every {
		return false, nil
	}
	list, err := r.hotList(ctx)
	if err != nil {
		return false, err
	}
	if shown.known && slices.Equal(shown.entries, hotLines(list.Entries)) {
		r.saveHotShown(list.Entries)
		return false, nil
	}
	r.log.Info("hot list changed; refreshing it and the home page", "last_look", shown.at)
	return true, nil
}

func hotLines(entries []render.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Path + "\t" + e.Title
	}
	return out
}

// readHotShown reads hotLog; a missing or unreadable one is unknown.
func (r *run) readHotShown() hotShown {
	data, err := os.ReadFile(filepath.Join(r.cfg.Output.Dir, filepath.FromSlash(hotLog)))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.log.Warn("hot list record unreadable; looking at the hot list now", "err", err)
		}
		return hotShown{}
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	at, err := time.Parse(time.RFC3339, lines[0])
	if err != nil {
		return hotShown{}
	}
	return hotShown{at: at, entries: lines[1:], known: true}
}

// saveHotShown records that the hot list was looked at now and showed
// entries (a dry run records nothing). A failure only costs an early look
// next run, so it is logged.
func (r *run) saveHotShown(entries []render.Entry) {
	if r.dry {
		return
	}
	text := strings.Join(append([]string{r.now.Format(time.RFC3339)}, hotLines(entries)...), "\n") + "\n"
	if err := writeOwnFile(r.cfg.Output.Dir, hotLog, []byte(text)); err != nil {
		r.log.Warn("record the hot list", "err", err)
	}
}

// writeOwnFile writes a file of newsmirror's own folder (git-ignored)
// through a temporary file and a rename.
func writeOwnFile(dir, rel string, data []byte) error {
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}
