package publish

import (
	"context"
	"strings"
	"time"
)

// RerootPlan is what Reroot would do, worked out without writing
// anything: "sync --dry-run" shows it.
type RerootPlan struct {
	// Window is publish.history.
	Window Window
	// Commits is how many commits the branch's first-parent history would
	// hold before the re-root (the run's own included), an earlier
	// re-root's root too; Oldest is the oldest one the window counts (the
	// root aside).
	Commits int
	Oldest  time.Time
	// Due is set when the history is past the window and its margin: the
	// run would re-root, unless Blocked says why it waits.
	Due bool
	// Cut is how many commits the new root would replace (an earlier root
	// included), Kept how many would be re-created on it, Since the oldest
	// kept one's date.
	Cut, Kept int
	Since     time.Time
	// Root is the commit whose tree the new root would hold (the last one
	// cut, so the oldest kept commit still shows its own change), RootDate
	// its date and RootSubject its subject.
	Root, RootSubject string
	RootDate          time.Time
	// Next is, when no re-root is due and the window is an age, the time
	// after which one is; Left is, when the window is a number of
	// commits, how many more commits make one due.
	Next time.Time
	Left int
	// Blocked says why a due re-root would wait: ErrShallow, or a
	// *LeaseUnknownError naming the rewrite remotes never pushed to.
	Blocked error
	// Pending is the tip of a re-root an interrupted run recorded: the run
	// finishes that one (or, once it is in place, pushes it) instead of
	// planning another; "" when none.
	Pending string
	// Remotes say how the branch would be pushed to each remote after the
	// re-root, in configuration order.
	Remotes []RemotePlan
	// State is the same for StateBranch (RerootState), the run's export
	// counted; nil when the repository has no state branch.
	State *StatePlan
}

// StatePlan is what RerootState would do.
type StatePlan struct {
	// Commits is how many exports the branch would hold; when Due, Cut of
	// them would become one root and Kept stay.
	Commits   int
	Due       bool
	Cut, Kept int
}

// RemotePlan is how a run would push the branch to one remote once the
// planned (or pending) re-root is made.
type RemotePlan struct {
	Name string
	// Rewrite is the remote's rewrite flag; Lease the commit newsmirror
	// last pushed there, "" when it never did.
	Rewrite bool
	Lease   string
	Push    PushMode
}

// PushMode is how the branch would go to a remote.
type PushMode string

const (
	// PushPlain is a plain push: nothing is re-rooted, or the remote
	// holds the re-rooted branch already.
	PushPlain PushMode = "plain"
	// PushForced is git push --force-with-lease against the commit
	// newsmirror last pushed there.
	PushForced PushMode = "force-with-lease"
	// PushFirst is a plain push to a rewrite remote newsmirror never
	// pushed to: the re-root waits for it to succeed (LeaseUnknownError).
	PushFirst PushMode = "first-push"
	// PushFull is a plain push of the full-history chain to a remote not
	// marked rewrite: it keeps every commit, the re-rooted branch's
	// copied onto it (see Repo.Push).
	PushFull PushMode = "full-history"
)

// pushMode is how the branch goes to rm once tip (a re-rooted tip, or ""
// for a planned re-root) is the branch's; rerooting is false when no
// re-root is due or pending.
func (r *Repo) pushMode(ctx context.Context, rm RemotePlan, rerooting bool, tip string) PushMode {
	switch {
	case !rerooting:
		return PushPlain
	case !rm.Rewrite:
		return PushFull
	case rm.Lease == "":
		return PushFirst
	case tip != "" && r.isAncestor(ctx, tip, rm.Lease):
		return PushPlain
	}
	return PushForced
}

// PlanReroot says what Reroot(ctx, w, remotes, now) would do, writing
// nothing; with commitAt set, as if the run first made one more commit
// dated commitAt (a dry run, which commits nothing, would have). It
// returns nil when w is the zero Window and no re-root is recorded.
func (r *Repo) PlanReroot(ctx context.Context, w Window, remotes []Remote, now, commitAt time.Time) (*RerootPlan, error) {
	p := &RerootPlan{Window: w}
	for _, rm := range remotes {
		p.Remotes = append(p.Remotes, RemotePlan{Name: rm.Name, Rewrite: rm.Rewrite, Lease: r.resolve(ctx, pushedRefs+rm.Name)})
	}
	defer func() {
		for i := range p.Remotes {
			p.Remotes[i].Push = r.pushMode(ctx, p.Remotes[i], p.Due || p.Pending != "", p.Pending)
		}
	}()
	if pending := r.pending(ctx); pending != "" {
		p.Pending = pending
		return p, nil
	}
	if w.IsZero() {
		return nil, nil
	}
	chain, err := r.chain(ctx, "HEAD")
	if err != nil && r.Head(ctx) != "" {
		return nil, err
	}
	if !commitAt.IsZero() {
		chain = append([]link{{when: commitAt}}, chain...)
	}
	p.describe(chain, now)
	if !hasPlain(remotes) { // else the state branch keeps its full history (RerootState)
		p.State = r.planState(ctx, w, now, commitAt)
	}
	c := cut(chain, w, now)
	if c == nil {
		return p, nil
	}
	p.Due, p.Cut, p.Kept, p.Since = true, c.cut, len(c.kept), c.kept[len(c.kept)-1].when
	p.Root, p.RootDate, p.RootSubject = c.parent.hash, c.parent.when, c.parent.subject
	if out, _ := r.git(ctx, "rev-parse", "--is-shallow-repository"); strings.TrimSpace(out) == "true" {
		p.Blocked = ErrShallow
	} else if missing := r.unleased(ctx, mainIntent(), remotes); len(missing) > 0 {
		p.Blocked = &LeaseUnknownError{Remotes: missing}
	}
	return p, nil
}

// planState is what RerootState would do, with one more export dated
// commitAt when it is set; nil without a state branch.
func (r *Repo) planState(ctx context.Context, w Window, now, commitAt time.Time) *StatePlan {
	chain, err := r.chain(ctx, StateRef)
	if err != nil {
		return nil
	}
	if !commitAt.IsZero() {
		chain = append([]link{{when: commitAt}}, chain...)
	}
	sp := &StatePlan{Commits: len(chain)}
	if c := cut(chain, w, now); c != nil {
		sp.Due, sp.Cut, sp.Kept = true, c.cut, len(c.kept)
	}
	return sp
}

// describe fills the history's length and, when no re-root is due, when
// one will be.
func (p *RerootPlan) describe(chain []link, now time.Time) {
	p.Commits = len(chain)
	real := chain
	if len(real) > 0 && isRoot(real[len(real)-1]) {
		real = real[:len(real)-1]
	}
	if len(real) == 0 {
		return
	}
	p.Oldest = real[len(real)-1].when
	ageMargin, countMargin := p.Window.margin()
	if p.Window.Commits > 0 {
		p.Left = max(p.Window.Commits+countMargin+1-len(real), 0)
		return
	}
	p.Next = p.Oldest.Add(p.Window.Age + ageMargin)
}

// pending is the new tip of a recorded re-root the next Reroot would
// finish or stand by, "" when there is none (or it is stale: Reroot
// drops it).
func (r *Repo) pending(ctx context.Context) string {
	old, nw := r.resolve(ctx, rerootOldRef), r.resolve(ctx, rerootNewRef)
	if nw == "" {
		return ""
	}
	cur := r.Head(ctx)
	if (old != "" && cur == old) || r.isAncestor(ctx, nw, cur) {
		return nw
	}
	return ""
}
