package mirror

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// reroot keeps the branch's history within publish.history once the run
// has committed (or finishes a re-root an interrupted run left), before
// the state is exported and the branch pushed. A failure is a warning:
// the run's commit stands and the next run tries again.
func (r *run) reroot(ctx context.Context) {
	p := r.cfg.Publish
	res, err := r.repo.Reroot(ctx, p.History, p.Remotes, r.now)
	var lease *publish.LeaseUnknownError
	switch {
	case errors.As(err, &lease):
		r.warn(err.Error())
	case err != nil:
		r.warn(fmt.Sprintf("history not re-rooted (publish.history %s; the next run tries again): %v", p.History, err))
	case res != nil && !res.Resumed:
		r.report.Reroot = res
		if r.report.Commit == res.Old {
			r.report.Commit = res.New // the run's commit, copied
		}
		r.log.Info("history re-rooted", "cut", res.Cut, "kept", res.Kept, "since", res.Since)
	}
	r.rerootState(ctx)
}

// rerootState keeps the state branch's history within publish.history
// too, before this run's export is committed onto it. A failure is a
// warning: the export goes on the branch as it is.
func (r *run) rerootState(ctx context.Context) {
	p := r.cfg.Publish
	res, err := r.repo.RerootState(ctx, p.History, p.Remotes, r.now)
	var lease *publish.LeaseUnknownError
	switch {
	case errors.As(err, &lease):
		r.warn(publish.StateBranch + ": " + err.Error())
	case errors.Is(err, publish.ErrShallow):
		// said once, for the mirror's branch
	case err != nil:
		r.warn(fmt.Sprintf("%s's history not re-rooted (publish.history %s; the next run tries again): %v", publish.StateBranch, p.History, err))
	case res != nil && !res.Resumed:
		r.report.StateReroot = res
		r.log.Info("state branch re-rooted", "cut", res.Cut, "kept", res.Kept, "since", res.Since)
	}
}

// planReroot records, in a dry run, what the re-root step would do after
// the commit the run would have made; it writes nothing. A failure is a
// warning, as the re-root's own is.
func (r *run) planReroot(ctx context.Context) {
	p := r.cfg.Publish
	var commitAt time.Time
	if r.report.Message != "" {
		commitAt = r.now
	}
	plan, err := r.repo.PlanReroot(ctx, p.History, p.Remotes, r.now, commitAt)
	if err != nil {
		r.warn(fmt.Sprintf("history: cannot tell whether a re-root is due (publish.history %s): %v", p.History, err))
		return
	}
	r.report.RerootPlan = plan
}

// finishReroot frees the old history once every rewrite remote holds the
// new one (after the push).
func (r *run) finishReroot(ctx context.Context) {
	if _, err := r.repo.FinishReroot(ctx, r.cfg.Publish.Remotes); err != nil {
		r.warn(fmt.Sprintf("re-root not cleaned up (the next run tries again): %v", err))
	}
}
