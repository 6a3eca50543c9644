package publish

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RejectedError says a remote refused the branch because it holds commits
// this mirror has not seen: another writer pushed there. A plain push that
// does not fast-forward gets it, and so does a forced push whose lease the
// remote's head does not match when that head is no commit of this
// mirror's history. The mirror must take in the remote's branch (Pull,
// CatchUp) before it can push there.
type RejectedError struct {
	// Remote is the remote's name; Tip its branch's head, when known.
	Remote, Tip string
	msg         string
}

func (e *RejectedError) Error() string { return e.msg }

// refStatus is what git push --porcelain says of one ref.
type refStatus struct {
	// flag is ' ' (fast-forward), '+' (forced), '-' (deleted), '*' (new),
	// '=' (up to date) or '!' (refused).
	flag    byte
	summary string // "[rejected] (stale info)", "[remote rejected] (hook declined)"
}

// parsePorcelain reads the ref lines of git push --porcelain, by
// destination ref.
func parsePorcelain(out string) map[string]refStatus {
	refs := map[string]refStatus{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.SplitN(line, "\t", 3)
		if len(f) != 3 || len(f[0]) != 1 {
			continue
		}
		_, dst, _ := strings.Cut(f[1], ":")
		refs[dst] = refStatus{flag: f[0][0], summary: f[2]}
	}
	return refs
}

// pushTo pushes head to rm's branch, with extra, in one git push, and
// records the branch as rm's whenever rm took it, even if an extra ref
// was refused; so too StateBranch when extra pushes it. A rewrite remote
// that refuses either because its head is not the one newsmirror expects
// (the push record is stale: a push whose answer was lost, a pull or
// takeover of an older version) is asked for that head, and pushed once
// more with it as the lease when the head is a commit of this mirror's
// history or of the history its re-root in flight replaces; any other
// head is someone else's unseen work, never forced over: the error is
// then a *RejectedError.
//
// A remote not marked rewrite gets head, the full-history chain's tip (or
// the branch's head while there is no chain). When it refuses it because
// its branch is not in head's history and the mirror's branch was
// re-rooted, its branch is asked for and taken as the chain when it is a
// copy of a commit of the mirror's branch (adopt: a fresh clone, a host
// taking over); else the error is a *StaleChainError. It returns the
// commit pushed to rm's branch.
func (r *Repo) pushTo(ctx context.Context, rm Remote, branch, head string, timeout time.Duration, extra []string) (string, error) {
	refs := r.pushedLines(ctx, branch, head, extra)
	leases := make([]string, len(refs))
	for i, p := range refs {
		leases[i] = r.lease(ctx, rm, p.line, p.dst, p.head)
	}
	st, err := r.pushOnce(ctx, rm, head, leases, refs[0].dst, timeout, extra)
	tip, known, again := "", true, false
	for i, p := range refs {
		if !isRejected(st[p.dst]) || !rm.Rewrite {
			continue
		}
		var found bool
		var t string
		found, t, err = r.remoteTip(ctx, rm, p.dst, timeout, err)
		if i == 0 {
			tip, known = t, found
		}
		if found && r.replaces(ctx, p.line, t, p.head) {
			leases[i], again = "--force-with-lease="+p.dst+":"+t, true
		}
	}
	if again {
		st, err = r.pushOnce(ctx, rm, head, leases, refs[0].dst, timeout, extra)
	}
	if isRejected(st[refs[0].dst]) && !rm.Rewrite && r.rewritten(ctx) {
		known, tip, err = r.remoteTip(ctx, rm, refs[0].dst, timeout, err)
		if !known {
			return head, scrubErr(err, rm.URL)
		}
		chain, aerr := r.adoptOnce(ctx, rm, branch, tip, timeout)
		if aerr != nil {
			return head, aerr
		}
		head = chain
		st, err = r.pushOnce(ctx, rm, head, leases, refs[0].dst, timeout, extra)
	}
	for _, p := range refs {
		if s, ok := st[p.dst]; ok && s.flag != '!' {
			if perr := r.pushed(ctx, rm, p.line, p.head); err == nil {
				err = perr
			}
		}
	}
	err = scrubErr(err, rm.URL)
	if isRejected(st[refs[0].dst]) && known && err != nil {
		return head, &RejectedError{Remote: rm.Name, Tip: tip, msg: err.Error()}
	}
	return head, err
}

// pushedLine is a branch a push sends whose history a re-root may cut:
// its line, where it goes, and the commit sent.
type pushedLine struct {
	line
	dst, head string
}

// pushedLines are the lines one push sends: the mirror's branch first,
// then StateBranch when extra pushes it.
func (r *Repo) pushedLines(ctx context.Context, branch, head string, extra []string) []pushedLine {
	dst := "refs/heads/" + branch
	ln, _ := r.mainLine(ctx)
	refs := []pushedLine{{line: ln, dst: dst, head: head}}
	for _, spec := range extra {
		if src, to, _ := strings.Cut(strings.TrimPrefix(spec, "+"), ":"); src == StateRef && to == StateRef {
			refs = append(refs, pushedLine{line: stateLine(), dst: StateRef, head: r.resolve(ctx, StateRef)})
		}
	}
	return refs
}

// isRejected reports whether git refused a ref because the remote's head
// is not what the push expected: not a fast-forward, or a stale lease (a
// refusal by the remote itself, "[remote rejected]", is another matter).
func isRejected(s refStatus) bool {
	return s.flag == '!' && strings.HasPrefix(s.summary, "[rejected]")
}

// pushOnce runs one git push --porcelain of src (a commit) to rm's dst
// and extra, with the leases that are set; the error names every ref
// refused and why.
func (r *Repo) pushOnce(ctx context.Context, rm Remote, src string, leases []string, dst string, timeout time.Duration, extra []string) (map[string]refStatus, error) {
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := []string{"push", "--porcelain"}
	for _, l := range leases {
		if l != "" {
			args = append(args, l)
		}
	}
	args = append(append(args, expand(rm.URL), src+":"+dst), extra...)
	out, err := r.gitOut(pctx, nil, nil, args...)
	if pctx.Err() != nil && ctx.Err() == nil {
		err = fmt.Errorf("timed out after %s", timeout)
	}
	st := parsePorcelain(out)
	var refused []string
	for dst, s := range st {
		if s.flag == '!' {
			refused = append(refused, dst+" "+s.summary)
		}
	}
	if err != nil && len(refused) > 0 {
		err = fmt.Errorf("refused %s: %w", strings.Join(refused, ", "), err)
	}
	return st, err
}

// remoteTip asks rm for the head of its ref dst (git ls-remote); found is
// false when that failed, and err is then pushErr with the reason added.
func (r *Repo) remoteTip(ctx context.Context, rm Remote, dst string, timeout time.Duration, pushErr error) (found bool, tip string, err error) {
	lctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, lerr := r.git(lctx, "ls-remote", expand(rm.URL), dst)
	if lerr != nil {
		return false, "", fmt.Errorf("%w; asking for the remote's head then failed: %w", pushErr, lerr)
	}
	if f := strings.Fields(out); len(f) > 0 {
		tip = f[0]
	}
	return true, tip, pushErr
}

// replaces reports whether pushing head over tip, a remote's head of ln,
// loses nothing newsmirror has not seen: tip is missing (no branch), in
// head's history, or in the history before the re-root of ln in flight
// whose new chain head builds on (ln.oldRef → ln.newRef: the same trees,
// commit by commit, on a root holding the last cut commit's tree).
func (r *Repo) replaces(ctx context.Context, ln line, tip, head string) bool {
	if tip == "" || r.isAncestor(ctx, tip, head) {
		return true
	}
	old, nw := r.resolve(ctx, ln.oldRef), r.resolve(ctx, ln.newRef)
	return old != "" && nw != "" && r.isAncestor(ctx, nw, head) && r.isAncestor(ctx, tip, old)
}
