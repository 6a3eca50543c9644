package mirror

import (
	"context"
	"sort"
	"strings"

	"github.com/newsmirror/newsmirror/internal/store"
)

// work is what an earlier, interrupted run left for this one, plus what
// this run did.
type work struct {
	pending []string      // pages written, not yet committed
	journal []store.Entry // files changed, not yet committed
	first   bool          // the mirror has no commit yet
}

// any reports whether the run must rebuild and commit. Refreshed stamps
// alone never make a commit.
func (w work) any() bool { return len(w.pending) > 0 || len(w.journal) > 0 || w.first }

// dirty are the channels whose indexes must be rebuilt: those with pages
// not yet committed (new, or left by an interrupted run).
func (w work) dirty() map[string]bool {
	out := map[string]bool{}
	for _, p := range w.pending {
		if ch, _, ok := strings.Cut(strings.TrimPrefix(p, "pages/"), "/"); ok {
			out[ch] = true
		}
	}
	return out
}

// findWork reads what is uncommitted.
func (r *run) findWork(ctx context.Context) (work, error) {
	var w work
	var err error
	if w.pending, err = r.db.PendingPaths(ctx); err != nil {
		return w, err
	}
	if w.journal, err = r.db.Journal(ctx); err != nil {
		return w, err
	}
	head, err := r.repo.HasCommit(ctx)
	w.first = !head
	return w, err
}

// replay finishes the journaled removals of an interrupted run and adds
// every journaled file to this run's commit.
func (r *run) replay(w work) error {
	for _, e := range w.journal {
		r.owner.Interrupted(e.Path)
		if e.Op == store.OpRemove {
			if err := r.tree.Remove(e.Path); err != nil {
				return err
			}
		}
		r.touched[e.Path] = true
	}
	return nil
}

// commit records every page written by this run or left pending by an
// interrupted one, the removals and the indexes, in one commit; then
// records in the state database that they are committed.
func (r *run) commit(ctx context.Context, pending []string) error {
	for _, p := range pending {
		r.touched[p] = true
		r.touched[p+".png"] = true
	}
	r.touchTwins(pending)
	if err := r.touchAssets(ctx, pending); err != nil {
		return err
	}
	if r.dry {
		return r.dryCommit()
	}
	paths := make([]string, 0, len(r.touched))
	for p := range r.touched {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if err := r.tree.Sync(paths); err != nil {
		return err
	}
	msg := r.cfg.CommitMessage(r.now, len(r.report.Written))
	hash, err := r.repo.Commit(ctx, paths, msg, r.now)
	if err != nil {
		return err
	}
	r.report.Commit = hash
	if hash != "" {
		r.report.Message = msg
	}
	if err := r.owner.Committed(); err != nil {
		return err
	}
	return r.db.Committed(ctx)
}
