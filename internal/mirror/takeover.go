package mirror

import (
	"context"
	"fmt"
)

// takeOver readies a run that follows another host's (Deps.TakeOver): it
// resets the working copy to the upstream's head, whatever this host
// committed before and did not push, and makes the state agree with that
// head: pages the other host wrote and never pushed are forgotten (their
// articles are mirrored again while a feed lists them), pages it retired
// and never pushed are removed. Every index is rebuilt from the state.
// An upstream out of reach stops the run: writing on an old head would
// fork the history.
func (r *run) takeOver(ctx context.Context) error {
	up, ok := upstream(r.cfg)
	if !ok {
		r.warn("taking over from another host without publish.upstream: this mirror's history may fork from the other's")
		return nil
	}
	moved, err := r.repo.CatchUp(ctx, up, r.cfg.Publish.Branch, r.cfg.Publish.PushTimeout, false)
	if err != nil {
		return fmt.Errorf("take over from another host: %w", err)
	}
	files := map[string]bool{}
	if r.repo.Head(ctx) != "" {
		if files, err = r.repo.HeadFiles(ctx, ""); err != nil {
			return err
		}
	}
	present := func(page string) bool {
		for _, f := range r.pageFiles(page) {
			if files[f] {
				return true
			}
		}
		return false
	}
	u, err := r.db.ForgetUnpublished(ctx, present, r.pageFiles)
	if err != nil {
		return err
	}
	if r.lease != nil {
		if err := r.db.CaughtUp(ctx, *r.lease); err != nil {
			return err
		}
	}
	r.rebuildAll, r.report.CaughtUp = true, true
	r.log.Info("took over from another host", "upstream", up.Name, "head", shortRev(r.repo.Head(ctx)), "reset", moved,
		"pages_forgotten", len(u.Forgotten), "pages_retired", len(u.Retired))
	if len(u.Forgotten) > 0 {
		r.warn(fmt.Sprintf("took over: %d pages the state knew were never pushed by the host before; their articles are mirrored again while a feed lists them", len(u.Forgotten)))
	}
	return nil
}
