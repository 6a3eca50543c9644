package publish

import (
	"context"
	"fmt"
	"time"
)

// CatchUp brings the working copy to remote's branch, as a host taking
// over from another must before it writes, so that what it commits
// follows what the other pushed and history never forks: it fetches the
// branch and, unless HEAD is that commit already, resets the branch, the
// index and the working tree to it (git reset --hard: files the commit
// does not track are left alone). With keepAhead, local commits the
// remote lacks on top of its head (this host's own, not pushed yet) are
// kept. The state branch is set to the remote's too, so that the next
// export is pushed as a fast-forward. moved reports whether HEAD changed;
// a remote without the branch yet (a new repository) changes nothing.
func (r *Repo) CatchUp(ctx context.Context, remote Remote, branch string, timeout time.Duration, keepAhead bool) (moved bool, err error) {
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found, err := r.fetch(fctx, remote, branch)
	if err != nil || !found {
		return false, err
	}
	up := r.resolve(ctx, "FETCH_HEAD")
	head := r.Head(ctx)
	if head == up || (keepAhead && head != "" && r.isAncestor(ctx, up, head)) {
		if err := r.follow(ctx, remote, up, false); err != nil {
			return false, err
		}
		return false, r.catchUpState(fctx, remote)
	}
	if _, err := r.git(ctx, "reset", "-q", "--hard", up); err != nil {
		return false, fmt.Errorf("catch up with %s: %w", remote.Name, err)
	}
	if err := r.follow(ctx, remote, up, true); err != nil {
		return false, err
	}
	return true, r.catchUpState(fctx, remote)
}

// catchUpState sets StateRef to remote's state branch, when it has one,
// and records it as what remote holds (the lease of a later forced push
// of a re-rooted state branch).
func (r *Repo) catchUpState(ctx context.Context, remote Remote) error {
	found, err := r.fetch(ctx, remote, StateBranch)
	if err != nil || !found {
		return err
	}
	up := r.resolve(ctx, "FETCH_HEAD")
	if _, err := r.git(ctx, "update-ref", StateRef, up); err != nil {
		return fmt.Errorf("catch up with %s's state: %w", remote.Name, err)
	}
	return r.pushed(ctx, remote, stateLine(), up)
}
