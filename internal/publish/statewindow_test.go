package publish_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// stateRefspec pushes the state branch beside the mirror's, as a run does.
const stateRefspec = publish.StateRef + ":" + publish.StateRef

// exportDays commits an export onto the state branch for each day of
// days, as the runs of those days would: each holds one more line.
func exportDays(t *testing.T, r *publish.Repo, days []int) {
	t.Helper()
	ctx := context.Background()
	for _, i := range days {
		var data strings.Builder
		for j := 0; j <= i; j++ {
			fmt.Fprintf(&data, "{\"_table\":\"articles\",\"url\":\"https://example.test/%d\"}\n", j)
		}
		if _, err := r.SaveState(ctx, map[string][]byte{publish.StateFile: []byte(data.String())}, r.Head(ctx), dayAt(i)); err != nil {
			t.Fatal(err)
		}
	}
}

// pushAll pushes both branches to remotes and fails the test on an error.
func pushAll(t *testing.T, r *publish.Repo, remotes []publish.Remote) {
	t.Helper()
	for _, res := range r.Push(context.Background(), remotes, "main", time.Minute, stateRefspec) {
		if res.Err != nil {
			t.Fatalf("push %s: %v", res.Remote, res.Err)
		}
	}
}

// windowedState is a mirror of 30 days with an export a day, pushed to a
// bare rewrite remote.
func windowedState(t *testing.T) (r *publish.Repo, remote string, remotes []publish.Remote) {
	t.Helper()
	root := t.TempDir()
	remote = filepath.Join(root, "r.git")
	bare(t, remote)
	r = history(t, filepath.Join(root, "m"), 30)
	exportDays(t, r, seq(0, 30))
	remotes = []publish.Remote{{Name: "r", URL: "file://" + remote, Rewrite: true}}
	pushAll(t, r, remotes)
	return r, remote, remotes
}

func seq(from, to int) []int {
	var s []int
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

func TestRerootStateCutsTheStateBranchToTheWindowAndKeepsTheExport(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := windowedState(t)
	saved, _, err := r.LoadState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, now := publish.Window{Age: 10 * 24 * time.Hour}, dayAt(29).Add(time.Hour)
	if p, err := r.PlanReroot(ctx, w, remotes, now, time.Time{}); err != nil || p.State == nil || !p.State.Due || p.State.Cut != 20 || p.State.Kept != 10 {
		t.Errorf("PlanReroot's state plan = %+v, %v; want due, 20 cut, 10 kept", p.State, err)
	}
	res, err := r.RerootState(ctx, w, remotes, now)
	if err != nil || res == nil || res.Kept != 10 || res.Cut != 20 || !res.Since.Equal(dayAt(20)) {
		t.Fatalf("RerootState = %+v, %v; want 10 kept, 20 cut, since day 20", res, err)
	}
	if n := git(t, r.Dir, "rev-list", "--count", publish.StateRef); n != "11" {
		t.Errorf("state branch has %s commits, want the root and 10", n)
	}
	after, _, err := r.LoadState(ctx)
	if err != nil || string(after.Files[publish.StateFile]) != string(saved.Files[publish.StateFile]) || after.Main != saved.Main || !after.When.Equal(saved.When) {
		t.Errorf("the export read back changed: %q %v, was %q %v (%v)", after.Main, after.When, saved.Main, saved.When, err)
	}
	if n := git(t, r.Dir, "rev-list", "--count", "HEAD"); n != "30" {
		t.Errorf("the mirror's branch has %s commits, want its 30: only the state branch is cut", n)
	}
	pushAll(t, r, remotes)
	if done, err := r.FinishReroot(ctx, remotes); !done || err != nil {
		t.Fatalf("FinishReroot = %v, %v", done, err)
	}
	if got, want := git(t, remote, "rev-parse", publish.StateRef), git(t, r.Dir, "rev-parse", publish.StateRef); got != want {
		t.Errorf("remote's state branch %s, want the re-rooted %s", got, want)
	}
	// The old exports are gone from the mirror: 11 state commits and the
	// mirror's 30 are all it holds.
	if n := git(t, r.Dir, "rev-list", "--all", "--count"); n != "41" {
		t.Errorf("%s commits left in the repository, want 41", n)
	}
	for _, ref := range []string{"refs/newsmirror/reroot-state/old", "refs/newsmirror/reroot-state/new"} {
		if git(t, r.Dir, "for-each-ref", ref) != "" {
			t.Errorf("%s left behind", ref)
		}
	}
	fsck(t, r.Dir)
	fsck(t, remote)

	// One more export and a run later: a fast-forward, no re-root yet.
	exportDays(t, r, []int{30})
	if res, err := r.RerootState(ctx, w, remotes, dayAt(30).Add(time.Hour)); res != nil || err != nil {
		t.Errorf("RerootState within the margin = %+v, %v", res, err)
	}
	pushAll(t, r, remotes)
}

func TestRerootStateWaitsForAFirstPushOfTheStateBranch(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	bare(t, filepath.Join(root, "r.git"))
	r := history(t, filepath.Join(root, "m"), 30)
	remotes := []publish.Remote{{Name: "r", URL: filepath.Join(root, "r.git"), Rewrite: true}}
	pushOK(t, r, remotes) // the mirror's branch only, as before the state branch was pushed
	exportDays(t, r, seq(0, 30))
	_, err := r.RerootState(ctx, publish.Window{Commits: 10}, remotes, dayAt(40))
	var lease *publish.LeaseUnknownError
	if !errors.As(err, &lease) || lease.Remotes[0] != "r" {
		t.Fatalf("RerootState before the state branch was pushed: %v, want a LeaseUnknownError", err)
	}
	pushAll(t, r, remotes)
	if res, err := r.RerootState(ctx, publish.Window{Commits: 10}, remotes, dayAt(40)); res == nil || err != nil {
		t.Fatalf("RerootState after a push = %+v, %v", res, err)
	}
}

func TestRerootStateStoppedAtAnyStepIsFinishedByTheNextRun(t *testing.T) {
	for _, step := range []string{"written", "built", "recorded", "moved", "push", "forgot", "pruned"} {
		t.Run(step, func(t *testing.T) {
			ctx := context.Background()
			r, remote, remotes := windowedState(t)
			tip := git(t, r.Dir, "rev-parse", publish.StateRef+"^{tree}")
			w, now := publish.Window{Commits: 10}, dayAt(40)
			stopped := errors.New("stopped")
			if step == "push" {
				exportDays(t, r, []int{30})
				tip = git(t, r.Dir, "rev-parse", publish.StateRef+"^{tree}")
				if _, err := r.RerootState(ctx, w, remotes, now); err != nil {
					t.Fatal(err)
				}
				broken := []publish.Remote{{Name: "r", URL: "file://" + remote + ".away", Rewrite: true}}
				if res := r.Push(ctx, broken, "main", time.Minute, stateRefspec); res[0].Err == nil {
					t.Fatal("push to a missing remote succeeded")
				}
			} else {
				publish.CrashAt(r, step, stopped)
				if err := stateRun(ctx, r, w, remotes, now); !errors.Is(err, stopped) {
					t.Fatalf("run stopped at %s: %v", step, err)
				}
				publish.CrashAt(r, "", nil)
			}
			fsck(t, r.Dir)
			if err := stateRun(ctx, r, w, remotes, now); err != nil {
				t.Fatalf("next run: %v", err)
			}
			if got := git(t, r.Dir, "rev-parse", publish.StateRef+"^{tree}"); got != tip {
				t.Errorf("state tree %s, want %s", got, tip)
			}
			if n := git(t, r.Dir, "rev-list", "--count", publish.StateRef); n != "11" {
				t.Errorf("state branch has %s commits, want 11", n)
			}
			if got, want := git(t, remote, "rev-parse", publish.StateRef), git(t, r.Dir, "rev-parse", publish.StateRef); got != want {
				t.Errorf("remote's state %s, local %s", got, want)
			}
			if left := git(t, r.Dir, "for-each-ref", "refs/newsmirror/reroot-state/"); left != "" {
				t.Errorf("intent left behind: %s", left)
			}
			if n := git(t, r.Dir, "rev-list", "--all", "--count"); n != "41" {
				t.Errorf("%s commits in the repository, want 41 (the old exports freed)", n)
			}
			fsck(t, r.Dir)
			fsck(t, remote)
		})
	}
}

// stateRun does what a run does with the state branch's history: re-root,
// push both branches, clean up.
func stateRun(ctx context.Context, r *publish.Repo, w publish.Window, remotes []publish.Remote, now time.Time) error {
	if _, err := r.RerootState(ctx, w, remotes, now); err != nil {
		return err
	}
	for _, res := range r.Push(ctx, remotes, "main", time.Minute, stateRefspec) {
		if res.Err != nil {
			return res.Err
		}
	}
	_, err := r.FinishReroot(ctx, remotes)
	return err
}
