package publish_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// refsAndObjects is everything a plan must leave alone: every ref, the
// reflogs' length and the object store's counts.
func refsAndObjects(t *testing.T, dir string) string {
	t.Helper()
	return git(t, dir, "for-each-ref", "--format=%(refname) %(objectname)") + "\n" +
		git(t, dir, "count-objects", "-v") + "\n" + git(t, dir, "reflog", "--format=%H")
}

func TestPlanRerootSaysWhatTheReRootWillDoAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	bare(t, filepath.Join(root, "r.git"))
	r := history(t, filepath.Join(root, "m"), 40)
	dir := r.Dir
	remotes := []publish.Remote{{Name: "r", URL: filepath.Join(root, "r.git"), Rewrite: true}}
	pushOK(t, r, remotes)
	w := publish.Window{Age: 10 * 24 * time.Hour}
	now := dayAt(39).Add(time.Hour)
	before := refsAndObjects(t, dir)

	p, err := r.PlanReroot(ctx, w, remotes, now, time.Time{})
	if err != nil || p == nil {
		t.Fatalf("PlanReroot = %+v, %v", p, err)
	}
	if got := refsAndObjects(t, dir); got != before {
		t.Errorf("PlanReroot changed the repository:\n%s\nwas\n%s", got, before)
	}
	if !p.Due || p.Blocked != nil || p.Commits != 40 || p.Cut != 30 || p.Kept != 10 || !p.Since.Equal(dayAt(30)) || !p.Oldest.Equal(dayAt(0)) {
		t.Errorf("plan %+v; want due, 40 commits since day 0, 30 cut, 10 kept since day 30", p)
	}
	head := git(t, dir, "rev-parse", "HEAD")
	if want := git(t, dir, "rev-parse", "HEAD~10"); p.Root != want || p.RootSubject != "day 29" || !p.RootDate.Equal(dayAt(29)) {
		t.Errorf("root's tree from %s %q %v, want day 29's commit %s", p.Root, p.RootSubject, p.RootDate, want)
	}
	if len(p.Remotes) != 1 || p.Remotes[0].Push != publish.PushForced || p.Remotes[0].Lease != head {
		t.Errorf("remotes %+v, want r force-with-lease against %s", p.Remotes, head)
	}

	res, err := r.Reroot(ctx, w, remotes, now)
	if err != nil || res == nil || res.Cut != p.Cut || res.Kept != p.Kept || !res.Since.Equal(p.Since) {
		t.Fatalf("Reroot = %+v, %v; the plan said %+v", res, err, p)
	}
	if got, want := git(t, dir, "rev-parse", "HEAD~10^{tree}"), git(t, dir, "rev-parse", p.Root+"^{tree}"); got != want {
		t.Errorf("the new root holds %s, the plan said %s's tree %s", got, p.Root, want)
	}
	// Recorded, not yet pushed: the plan is to finish that one.
	if p, err := r.PlanReroot(ctx, w, remotes, now, time.Time{}); err != nil || p.Due || p.Pending != res.New || p.Remotes[0].Push != publish.PushForced {
		t.Errorf("plan after the re-root = %+v, %v; want pending %s, forced push", p, err, res.New)
	}
	pushOK(t, r, remotes)
	if _, err := r.FinishReroot(ctx, remotes); err != nil {
		t.Fatal(err)
	}
	p, err = r.PlanReroot(ctx, w, remotes, now, time.Time{})
	if err != nil || p.Due || p.Pending != "" || p.Commits != 11 || !p.Oldest.Equal(dayAt(30)) || !p.Next.Equal(dayAt(41)) || p.Remotes[0].Push != publish.PushPlain {
		t.Errorf("plan once pushed = %+v, %v; want none due, 11 commits since day 30, the next after day 41, plain pushes", p, err)
	}
	fsck(t, dir)
}

func TestPlanRerootCountsTheCommitTheRunWouldMake(t *testing.T) {
	ctx := context.Background()
	r := history(t, t.TempDir(), 22)
	w := publish.Window{Commits: 20} // margin: 2 commits
	p, err := r.PlanReroot(ctx, w, nil, dayAt(30), time.Time{})
	if err != nil || p.Due || p.Left != 1 || p.Commits != 22 {
		t.Fatalf("plan of 22 commits = %+v, %v; want none due, one more commit to go", p, err)
	}
	p, err = r.PlanReroot(ctx, w, nil, dayAt(30), dayAt(30))
	if err != nil || !p.Due || p.Commits != 23 || p.Cut != 3 || p.Kept != 20 || !p.Since.Equal(dayAt(3)) {
		t.Fatalf("plan with the run's commit = %+v, %v; want 23 commits, 3 cut, 20 kept since day 3", p, err)
	}
	if want := git(t, r.Dir, "rev-parse", "HEAD~19"); p.Root != want {
		t.Errorf("root's tree from %s, want day 2's commit %s", p.Root, want)
	}
	if n := git(t, r.Dir, "rev-list", "--count", "HEAD"); n != "22" {
		t.Errorf("the plan committed: %s commits", n)
	}
}

func TestPlanRerootSaysWhyADueReRootWaits(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	bare(t, filepath.Join(root, "r.git"))
	r := history(t, filepath.Join(root, "m"), 30)
	remotes := []publish.Remote{{Name: "r", URL: filepath.Join(root, "r.git"), Rewrite: true},
		{Name: "archive", URL: filepath.Join(root, "a.git")}}
	p, err := r.PlanReroot(ctx, publish.Window{Commits: 10}, remotes, dayAt(40), time.Time{})
	var lease *publish.LeaseUnknownError
	if err != nil || !p.Due || !errors.As(p.Blocked, &lease) || lease.Remotes[0] != "r" {
		t.Fatalf("plan = %+v, %v; want due, waiting for a first push to r", p, err)
	}
	if p.Remotes[0].Push != publish.PushFirst || p.Remotes[1].Push != publish.PushFull {
		t.Errorf("remotes %+v; want r first-push, archive full-history", p.Remotes)
	}
	shallow := filepath.Join(root, "shallow")
	git(t, root, "clone", "-q", "--depth", "3", "file://"+r.Dir, shallow)
	sr, err := publish.OpenRepo(ctx, shallow, "m <m@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	// Three commits of history in a shallow clone: "due" by count, but
	// never re-rooted there.
	if p, err := sr.PlanReroot(ctx, publish.Window{Commits: 1}, nil, dayAt(40), time.Time{}); err != nil || !p.Due || !errors.Is(p.Blocked, publish.ErrShallow) {
		t.Errorf("shallow plan = %+v, %v; want due, blocked by ErrShallow", p, err)
	}
}
