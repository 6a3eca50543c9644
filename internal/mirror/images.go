package mirror

import (
	"context"
	"sort"
	"sync"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/store"
)

// ImageCount is how image localisation went for one source in one run.
type ImageCount struct {
	Localized, Failed int
	// LastError is the last failure's reason.
	LastError string
}

// imageTally counts the run's images per source; workers share it.
type imageTally struct {
	mu     sync.Mutex
	counts map[string]ImageCount
}

func (t *imageTally) add(source string, res *assets.Result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]ImageCount{}
	}
	c := t.counts[source]
	c.Localized += len(res.Local)
	c.Failed += len(res.Failed)
	if n := len(res.Failed); n > 0 {
		c.LastError = res.Failed[n-1].Error()
	}
	t.counts[source] = c
}

// finishImages puts the run's image counts in the report and adds them to
// each source's image health in the state database.
func (r *run) finishImages(ctx context.Context) {
	r.report.Images = r.images.counts
	ids := make([]string, 0, len(r.images.counts))
	for id := range r.images.counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := r.images.counts[id]
		r.metrics.Assets(id, c.Localized, c.Failed)
		e := store.Event{Subject: store.SubjectImages, Source: id, OK: c.Localized, Failed: c.Failed, Err: c.LastError, At: r.now}
		if err := r.db.RecordHealth(ctx, e); err != nil {
			r.log.Error("record image health", "source", id, "err", err)
		}
	}
}

// touchAssets adds the assets of pages left pending by an interrupted run
// to this run's commit.
func (r *run) touchAssets(ctx context.Context, pending []string) error {
	list, err := r.db.PageAssets(ctx, pending)
	for _, a := range list {
		r.touched[a] = true
	}
	return err
}

// sweepAssets removes the asset files no live page uses any more, in the
// same commit as the change that orphaned them.
func (r *run) sweepAssets(ctx context.Context) error {
	orphans, err := r.db.SweepAssets(ctx)
	if err != nil {
		return err
	}
	for _, a := range orphans {
		if !assets.IsAsset(a) {
			continue
		}
		if err := r.tree.Remove(a); err != nil {
			return err
		}
		r.touched[a] = true
	}
	return nil
}
