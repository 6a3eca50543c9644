package publish

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// PushResult is the outcome of pushing to one remote.
type PushResult struct {
	Remote string
	// Commit is the commit pushed (the branch's head).
	Commit string
	// Err is nil on success; its text never holds a credential.
	Err error
}

// Push pushes the branch to every remote at once, each bounded by
// timeout; a remote that fails or hangs never holds up the others. The
// results come back in the order of remotes. extra are more refspecs
// pushed in the same command (the state branch). A remote marked Rewrite
// whose branch newsmirror re-rooted since its last push there is pushed
// with --force-with-lease against that last push (see pushTo): refused,
// like any non-fast-forward, when someone else pushed there since, with a
// *RejectedError. A remote not marked Rewrite gets the full-history chain
// once there is one (see chainRef), extended first to the branch's head;
// it is never forced.
func (r *Repo) Push(ctx context.Context, remotes []Remote, branch string, timeout time.Duration, extra ...string) []PushResult {
	head, herr := r.git(ctx, "rev-parse", "--verify", "-q", "HEAD")
	head = strings.TrimSpace(head)
	var chain string
	var cerr error
	if herr == nil && hasPlain(remotes) {
		chain, cerr = r.extendChain(ctx)
	}
	out := make([]PushResult, len(remotes))
	var wg sync.WaitGroup
	for i, rm := range remotes {
		src := head
		if !rm.Rewrite && chain != "" {
			src = chain
		}
		out[i] = PushResult{Remote: rm.Name, Commit: src}
		switch {
		case herr != nil:
			out[i].Err = errors.New("nothing to push: the mirror has no commit")
			continue
		case !rm.Rewrite && cerr != nil:
			out[i].Err = fmt.Errorf("full history not pushed: %w", cerr)
			continue
		}
		wg.Go(func() { out[i].Commit, out[i].Err = r.pushTo(ctx, rm, branch, src, timeout, extra) })
	}
	wg.Wait()
	return out
}

// Pull fetches the branch from remote and rebases the local commits on
// it, before the daemon writes. A remote without the branch yet (a new,
// empty repository) is not an error.
func (r *Repo) Pull(ctx context.Context, remote Remote, branch string, timeout time.Duration) error {
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found, err := r.fetch(pctx, remote, branch)
	if err != nil || !found {
		return err
	}
	if last := r.resolve(ctx, pushedRefs+remote.Name); last != "" && last == r.resolve(ctx, "FETCH_HEAD") {
		// The remote holds what this mirror last pushed there: nothing to
		// take, and after a re-root whose push failed, rebasing the new
		// history on the old one would undo the re-root.
		return nil
	}
	has, err := r.HasCommit(ctx)
	if err != nil {
		return err
	}
	fetched := r.resolve(ctx, "FETCH_HEAD")
	if !has {
		_, err = r.git(ctx, "reset", "-q", "--hard", fetched)
	} else {
		err = r.rebaseOn(ctx, fetched)
	}
	if err != nil {
		r.git(ctx, "rebase", "--abort")
		return fmt.Errorf("pull from %s: %w", remote.Name, scrubErr(err, remote.URL))
	}
	return r.follow(ctx, remote, fetched, false)
}

// fetch reads the branch of remote into FETCH_HEAD; found is false when
// the remote has no such branch.
func (r *Repo) fetch(ctx context.Context, remote Remote, branch string) (bool, error) {
	out, err := r.git(ctx, "ls-remote", "--heads", expand(remote.URL), branch)
	if err == nil && strings.TrimSpace(out) == "" {
		return false, nil
	}
	if err == nil {
		_, err = r.git(ctx, "fetch", "-q", expand(remote.URL), branch)
	}
	if err != nil {
		return false, fmt.Errorf("fetch from %s: %w", remote.Name, scrubErr(err, remote.URL))
	}
	return true, nil
}

// Clone fills a new mirror at r.Dir from remote when the folder has no
// repository yet: it runs git init, then takes the remote's branch if it
// has one. The folder may already hold files (the state database).
func Clone(ctx context.Context, dir, author string, remote Remote, branch string, timeout time.Duration) (*Repo, error) {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		return OpenRepo(ctx, dir, author)
	}
	r, err := OpenRepo(ctx, dir, author)
	if err != nil {
		return nil, err
	}
	if err := r.Pull(ctx, remote, branch, timeout); err != nil {
		return nil, fmt.Errorf("clone mirror: %w", err)
	}
	return r, nil
}

// Recover removes the lock files a git process killed mid-way leaves
// behind, and the scratch folders of a re-root killed while it wrote its
// commits. It needs the mirror's lock (see Lock), and refuses without it:
// then no other newsmirror's git can be running in the repository.
func (r *Repo) Recover(held *MirrorLock) error {
	if !held.Holds(r.Dir) {
		return fmt.Errorf("recover git locks in %s: %w", r.Dir, ErrNotHeld)
	}
	for _, name := range []string{"index.lock", "HEAD.lock", "config.lock", "packed-refs.lock"} {
		if err := os.Remove(filepath.Join(r.Dir, ".git", name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale git lock: %w", err)
		}
	}
	refs := filepath.Join(r.Dir, ".git", "refs")
	var locks []string
	// The branches, and newsmirror's own refs (a re-root's intent, the push
	// records).
	for _, pattern := range []string{"heads/*.lock", "newsmirror/*/*.lock"} {
		found, _ := filepath.Glob(filepath.Join(refs, filepath.FromSlash(pattern)))
		locks = append(locks, found...)
	}
	for _, l := range locks {
		if err := os.Remove(l); err != nil {
			return fmt.Errorf("remove stale git lock: %w", err)
		}
	}
	scratch, _ := filepath.Glob(filepath.Join(r.Dir, ".git", rerootScratch+"*"))
	for _, d := range scratch {
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("remove a killed re-root's scratch folder: %w", err)
		}
	}
	return nil
}

// scrubErr rewrites err so that neither the URL's user information nor
// the values of the environment variables it names appear.
func scrubErr(err error, rawURL string) error {
	if err == nil {
		return nil
	}
	msg := Scrub(err.Error())
	for _, m := range envRef.FindAllStringSubmatch(rawURL, -1) {
		if v := os.Getenv(m[1]); len(v) >= 4 {
			msg = strings.ReplaceAll(msg, v, "${"+m[1]+"}")
		}
	}
	return errors.New(msg)
}
