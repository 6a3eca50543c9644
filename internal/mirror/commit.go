package mirror

import (
	"context"
	"sort"
)

// commit records every page written by this run or left pending by an
// interrupted one, with the indexes, in one commit; then marks them
// committed in the state database.
func (r *run) commit(ctx context.Context, pending []string) error {
	for _, p := range pending {
		r.touched[p] = true
		r.touched[p+".png"] = true
	}
	r.touchTwins(pending)
	if err := r.touchAssets(ctx, pending); err != nil {
		return err
	}
	paths := make([]string, 0, len(r.touched))
	for p := range r.touched {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	msg := r.cfg.CommitMessage(r.now, len(r.report.Written))
	hash, err := r.repo.Commit(ctx, paths, msg)
	if err != nil {
		return err
	}
	r.report.Commit = hash
	if hash != "" {
		r.report.Message = msg
	}
	return r.db.MarkCommitted(ctx)
}

// hasWork reports whether the run must rebuild and commit: it wrote pages,
// an earlier run left pages uncommitted, or the mirror has no commit yet.
// Refreshed stamps alone never make a commit.
func (r *run) hasWork(ctx context.Context) (bool, []string, error) {
	pending, err := r.db.PendingPaths(ctx)
	if err != nil {
		return false, nil, err
	}
	if len(r.report.Written) > 0 || len(pending) > 0 {
		return true, pending, nil
	}
	head, err := r.repo.HasCommit(ctx)
	return !head, nil, err
}
