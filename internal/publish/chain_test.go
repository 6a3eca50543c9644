package publish_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// fullSetup is a mirror of 30 days pushed to a bare rewrite remote (gh)
// and a bare remote not marked rewrite (backup), in that order.
func fullSetup(t *testing.T) (r *publish.Repo, gh, backup string, remotes []publish.Remote) {
	t.Helper()
	root := t.TempDir()
	gh, backup = filepath.Join(root, "gh.git"), filepath.Join(root, "backup.git")
	bare(t, gh)
	bare(t, backup)
	remotes = []publish.Remote{{Name: "gh", URL: "file://" + gh, Rewrite: true}, {Name: "backup", URL: "file://" + backup}}
	r = history(t, filepath.Join(root, "m"), 30)
	pushOK(t, r, remotes)
	return r, gh, backup, remotes
}

// runDays commits days from to to-1 on r, each followed by what a run
// does with the history (re-root, push, clean up), and counts the re-roots.
func runDays(t *testing.T, r *publish.Repo, from, to int, w publish.Window, remotes []publish.Remote) (reroots int) {
	t.Helper()
	ctx := context.Background()
	for i := from; i < to; i++ {
		addDay(t, r, i)
		res, err := r.Reroot(ctx, w, remotes, dayAt(i).Add(time.Hour))
		if err != nil {
			t.Fatalf("day %d: Reroot: %v", i, err)
		}
		if res != nil {
			reroots++
		}
		pushOK(t, r, remotes)
		if _, err := r.FinishReroot(ctx, remotes); err != nil {
			t.Fatalf("day %d: FinishReroot: %v", i, err)
		}
	}
	return reroots
}

// count is how many commits rev reaches in dir.
func count(t *testing.T, dir, rev string) int {
	t.Helper()
	n, err := strconv.Atoi(git(t, dir, "rev-list", "--count", rev))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// fullHistoryIs fails the test unless remote's branch is the history of n
// days made without any window: the very same commits (every commit ever
// made, in order, same trees, messages, authors and dates).
func fullHistoryIs(t *testing.T, remote string, n int) {
	t.Helper()
	want := git(t, histories.of(t, n), "rev-parse", "HEAD")
	if got := git(t, remote, "rev-parse", "main"); got != want {
		t.Errorf("%s's branch at %s, want the full history of %d days, %s:\n%s", filepath.Base(remote), got, n, want,
			strings.Join(commitLines(t, remote, "main")[:3], "\n"))
	}
	if m := git(t, remote, "rev-list", "--merges", "--count", "main"); m != "0" {
		t.Errorf("%s: %s merges, want a linear history", filepath.Base(remote), m)
	}
}

func TestPlainRemoteKeepsTheFullHistoryOverReroots(t *testing.T) {
	r, gh, backup, remotes := fullSetup(t)
	old := filepath.Join(t.TempDir(), "reader")
	git(t, filepath.Dir(old), "clone", "-q", backup, old)
	w := publish.Window{Commits: 4}

	if n := runDays(t, r, 30, 38, w, remotes); n < 3 {
		t.Fatalf("%d re-roots over 8 days with a window of 4 commits, want several", n)
	}
	fullHistoryIs(t, backup, 38)
	if n := count(t, gh, "main"); n > 6 {
		t.Errorf("gh holds %d commits, want the root and at most 5", n)
	}
	if s := git(t, gh, "log", "--max-parents=0", "--format=%s", "main"); !strings.HasPrefix(s, "newsmirror: history before ") {
		t.Errorf("gh's root %q, want a re-root's", s)
	}
	tree := git(t, r.Dir, "rev-parse", "HEAD^{tree}")
	for _, remote := range []string{gh, backup} {
		if got := git(t, remote, "rev-parse", "main^{tree}"); got != tree {
			t.Errorf("%s's tip holds tree %s, want the mirror's %s", filepath.Base(remote), got, tree)
		}
		fsck(t, remote)
	}
	fsck(t, r.Dir)
	// The mirror keeps the full history for the backup: the chain reaches it.
	if n := count(t, r.Dir, publish.ChainRef); n != 38 {
		t.Errorf("the chain holds %d commits, want 38", n)
	}
	// A reader's clone of the backup made before any re-root fast-forwards.
	git(t, old, "pull", "-q", "--ff-only")
	if got := git(t, old, "rev-parse", "HEAD"); got != git(t, backup, "rev-parse", "main") {
		t.Errorf("old clone at %s after pulling", got)
	}
}

func TestChainIsMadeOnlyForPlainRemotes(t *testing.T) {
	ctx := context.Background()
	r, _, _, remotes := fullSetup(t)
	runDays(t, r, 30, 32, publish.Window{Commits: 4}, remotes)
	if r.ChainTip(ctx) == "" {
		t.Fatal("no chain after re-roots with a plain remote")
	}
	// The backup leaves the configuration: the chain goes, and gc frees
	// the history only it reached.
	runDays(t, r, 32, 34, publish.Window{Commits: 4}, remotes[:1])
	if tip := r.ChainTip(ctx); tip != "" {
		t.Errorf("chain %s kept without a plain remote", tip)
	}
	if n := count(t, r.Dir, "--all"); n > 6 {
		t.Errorf("%d commits reachable, want the window's", n)
	}
}

// killedChainEnv names the mirror a child process (see TestMain) runs
// with a rewrite and a plain remote, and the step at which it kills
// itself: "step dir gh backup".
const killedChainEnv = "NEWSMIRROR_TEST_KILLED_CHAIN"

// killedChain does what a run does with the history (window of 4
// commits, now day 60) and kills its own process at step; it exits 3
// when it was not killed.
func killedChain(spec string) {
	f := strings.SplitN(spec, " ", 4)
	ctx := context.Background()
	r, err := publish.OpenRepo(ctx, f[1], "mirror <m@localhost>")
	if err != nil {
		os.Exit(2)
	}
	publish.KillAt(r, f[0])
	remotes := []publish.Remote{{Name: "gh", URL: "file://" + f[2], Rewrite: true}, {Name: "backup", URL: "file://" + f[3]}}
	rerootRun(ctx, r, publish.Window{Commits: 4}, remotes, dayAt(60))
	os.Exit(3)
}

func TestRunKilledWhileExtendingTheChainIsFinishedByTheNextRun(t *testing.T) {
	for _, tc := range []struct {
		name, step string
		days       int // days committed after the last run: 3 make a re-root due, 1 does not
	}{
		{"push written", "written", 1},
		{"push copied", "chain-written", 1},
		{"reroot written", "written", 3},
		{"reroot copied", "chain-written", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r, gh, backup, remotes := fullSetup(t)
			// Day 30's run re-roots: 4 commits are left.
			runDays(t, r, 30, 31, publish.Window{Commits: 4}, remotes)
			for i := 31; i < 31+tc.days; i++ {
				addDay(t, r, i)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), killedChainEnv+"="+tc.step+" "+r.Dir+" "+gh+" "+backup)
			out, err := cmd.CombinedOutput()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("child not killed at %s: %v\n%s", tc.step, err, out)
			}
			fsck(t, r.Dir)
			next, err := publish.OpenRepo(ctx, r.Dir, "mirror <m@localhost>")
			if err != nil {
				t.Fatal(err)
			}
			held, err := publish.Lock(r.Dir)
			if err != nil {
				t.Fatal(err)
			}
			err = next.Recover(held)
			held.Release()
			if err != nil {
				t.Fatal(err)
			}
			if err := rerootRun(ctx, next, publish.Window{Commits: 4}, remotes, dayAt(60)); err != nil {
				t.Fatalf("next run: %v", err)
			}
			fullHistoryIs(t, backup, 31+tc.days)
			remoteAtHead(t, next, gh)
			if n := count(t, r.Dir, publish.ChainRef); n != 31+tc.days {
				t.Errorf("chain of %d commits, want %d", n, 31+tc.days)
			}
			left, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "newsmirror-reroot-*"))
			if len(left) != 0 {
				t.Errorf("scratch left: %v", left)
			}
			fsck(t, r.Dir)
			fsck(t, backup)
		})
	}
}

func TestHostTakingOverContinuesTheChainFromThePlainRemote(t *testing.T) {
	ctx := context.Background()
	a, gh, backup, remotes := fullSetup(t)
	w := publish.Window{Commits: 4}
	runDays(t, a, 30, 32, w, remotes)
	// b starts from a clone of gh, the windowed history: no chain.
	b, err := publish.Clone(ctx, filepath.Join(t.TempDir(), "b"), "mirror <m@localhost>", remotes[0], "main", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if b.ChainTip(ctx) != "" {
		t.Fatal("a fresh clone has a chain")
	}
	if n := runDays(t, b, 32, 35, w, remotes); n == 0 {
		t.Fatal("b never re-rooted")
	}
	fullHistoryIs(t, backup, 35)
	remoteAtHead(t, b, gh)
	// a takes over again: its chain stands for a commit b's re-roots
	// replaced; it goes on from the copy.
	if _, err := a.CatchUp(ctx, remotes[0], "main", time.Minute, false); err != nil {
		t.Fatal(err)
	}
	runDays(t, a, 35, 37, w, remotes)
	fullHistoryIs(t, backup, 37)
	remoteAtHead(t, a, gh)
	fsck(t, a.Dir)
	fsck(t, b.Dir)
	fsck(t, backup)
}

func TestPlainRemoteEndingInAnUnknownCommitIsNotPushed(t *testing.T) {
	ctx := context.Background()
	a, gh, backup, remotes := fullSetup(t)
	w := publish.Window{Commits: 4}
	runDays(t, a, 30, 31, w, remotes)
	theirs := otherPushes(t, backup, "someone else's")
	b, err := publish.Clone(ctx, filepath.Join(t.TempDir(), "b"), "mirror <m@localhost>", remotes[0], "main", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	addDay(t, b, 31)
	res := b.Push(ctx, remotes, "main", time.Minute)
	var stale *publish.StaleChainError
	if res[0].Err != nil || !errors.As(res[1].Err, &stale) || stale.Remote != "backup" || stale.Tip != theirs {
		t.Fatalf("push = %v / %v, want gh pushed, backup refused with a StaleChainError naming %s", res[0].Err, res[1].Err, theirs)
	}
	if got := git(t, backup, "rev-parse", "main"); got != theirs {
		t.Errorf("backup at %s, want the other writer's %s left alone", got, theirs)
	}
	remoteAtHead(t, b, gh)
}

func TestStateBranchKeepsItsFullHistoryWhileAPlainRemoteIsConfigured(t *testing.T) {
	ctx := context.Background()
	r, gh, backup, remotes := fullSetup(t)
	exportDays(t, r, seq(0, 30))
	pushAll(t, r, remotes)
	w := publish.Window{Commits: 4}
	for i := 30; i < 34; i++ {
		addDay(t, r, i)
		if _, err := r.Reroot(ctx, w, remotes, dayAt(i)); err != nil {
			t.Fatal(err)
		}
		exportDays(t, r, []int{i})
		if res, err := r.RerootState(ctx, w, remotes, dayAt(i)); res != nil || err != nil {
			t.Fatalf("RerootState with a plain remote = %+v, %v; want nothing", res, err)
		}
		pushAll(t, r, remotes)
		if _, err := r.FinishReroot(ctx, remotes); err != nil {
			t.Fatal(err)
		}
	}
	fullHistoryIs(t, backup, 34)
	for _, remote := range []string{gh, backup} {
		if n := count(t, remote, publish.StateRef); n != 34 {
			t.Errorf("%s's state branch holds %d exports, want all 34", filepath.Base(remote), n)
		}
	}
	if p, err := r.PlanReroot(ctx, w, remotes, dayAt(40), time.Time{}); err != nil || p.State != nil {
		t.Errorf("PlanReroot's state plan = %+v, %v; want none", p.State, err)
	}
}
