package mirror

import (
	"context"
	"sort"
	"sync"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/store"
)

// ImageCount is how image localisation went for one source in one run.
type ImageCount struct {
	Localized, Failed int
	// Skipped counts the images the caps (images.max_per_article,
	// images.max_per_run) left at their original URL unasked.
	Skipped int
	// LastError is the last failure's reason, LastWarning the last cap's.
	LastError, LastWarning string
}

// imageTally counts the run's images per source and holds each source's
// quota of downloads for the run; workers share it.
type imageTally struct {
	mu     sync.Mutex
	counts map[string]ImageCount
	quotas map[string]*assets.Quota
}

// quota is src's images.max_per_run for this run, made on first use.
func (t *imageTally) quota(src *config.Source) *assets.Quota {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.quotas == nil {
		t.quotas = map[string]*assets.Quota{}
	}
	q := t.quotas[src.ID]
	if q == nil {
		q = assets.NewQuota(src.Images.MaxPerRun)
		t.quotas[src.ID] = q
	}
	return q
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
	c.Skipped += res.Skipped
	if n := len(res.Failed); n > 0 {
		c.LastError = res.Failed[n-1].Error()
	}
	if n := len(res.Warnings); n > 0 {
		c.LastWarning = res.Warnings[n-1]
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
		e := store.Event{Subject: store.SubjectImages, Source: id, OK: c.Localized, Failed: c.Failed, Err: c.LastError,
			Warning: c.LastWarning, At: r.now}
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
