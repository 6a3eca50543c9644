package publish_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// leaseSetup is a mirror of 30 days pushed to one bare rewrite remote.
func leaseSetup(t *testing.T) (r *publish.Repo, remote string, remotes []publish.Remote) {
	t.Helper()
	root := t.TempDir()
	remote = filepath.Join(root, "r.git")
	bare(t, remote)
	remotes = []publish.Remote{{Name: "r", URL: "file://" + remote, Rewrite: true}}
	r = history(t, filepath.Join(root, "m"), 30)
	pushOK(t, r, remotes)
	return r, remote, remotes
}

// otherPushes commits on the remote's branch from a clone of its own, as
// another writer would, and returns the new tip.
func otherPushes(t *testing.T, remote, subject string) string {
	t.Helper()
	other := filepath.Join(t.TempDir(), "other")
	git(t, filepath.Dir(other), "clone", "-q", remote, other)
	git(t, other, "-c", "user.name=o", "-c", "user.email=o@x", "commit", "-q", "--allow-empty", "-m", subject)
	git(t, other, "push", "-q", "origin", "main")
	return git(t, other, "rev-parse", "HEAD")
}

// remoteAtHead fails the test unless remote's branch is r's HEAD.
func remoteAtHead(t *testing.T, r *publish.Repo, remote string) {
	t.Helper()
	if got, want := git(t, remote, "rev-parse", "main"), git(t, r.Dir, "rev-parse", "HEAD"); got != want {
		t.Errorf("remote at %s, want the mirror's %s", got, want)
	}
}

func TestForcedPushAfterPullingAnotherWritersCommitSucceeds(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := leaseSetup(t)
	otherPushes(t, remote, "someone else's")
	if err := r.Pull(ctx, remotes[0], "main", time.Minute); err != nil {
		t.Fatal(err)
	}
	for i := 30; i < 55; i++ {
		addDay(t, r, i)
	}
	if res, err := r.Reroot(ctx, publish.Window{Commits: 5}, remotes, dayAt(60)); err != nil || res == nil {
		t.Fatalf("Reroot = %+v, %v", res, err)
	}
	for run := range 2 {
		pushOK(t, r, remotes)
		remoteAtHead(t, r, remote)
		if run == 0 {
			addDay(t, r, 55)
		}
	}
	if !strings.Contains(git(t, r.Dir, "log", "--format=%s", "HEAD"), "day 54") {
		t.Error("the kept commits are missing")
	}
}

func TestForcedPushAfterAPushWhoseReplyWasLostSucceeds(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := leaseSetup(t)
	// The remote takes day 30, but newsmirror never hears of it (its push
	// timed out after the remote accepted).
	addDay(t, r, 30)
	git(t, r.Dir, "push", "-q", "file://"+remote, "HEAD:refs/heads/main")
	if _, err := r.Reroot(ctx, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}
	pushOK(t, r, remotes)
	remoteAtHead(t, r, remote)
	if done, err := r.FinishReroot(ctx, remotes); !done || err != nil {
		t.Errorf("FinishReroot = %v, %v; want the re-root finished", done, err)
	}
}

func TestPushRecordsTheBranchWhenOnlyTheStateRefIsRefused(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := leaseSetup(t)
	// The remote refuses any update of the state branch.
	hook := filepath.Join(remote, "hooks", "update")
	script := "#!/bin/sh\ncase \"$1\" in refs/heads/" + publish.StateBranch + ") echo no state here >&2; exit 1;; esac\nexit 0\n"
	if err := os.WriteFile(hook, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	addDay(t, r, 30)
	state := "refs/heads/main:refs/heads/" + publish.StateBranch
	res := r.Push(ctx, remotes, "main", time.Minute, state)
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), publish.StateBranch) {
		t.Fatalf("push with a refused state ref: %v, want an error naming it", res[0].Err)
	}
	remoteAtHead(t, r, remote)
	if got, want := git(t, r.Dir, "rev-parse", publish.PushedRefs+"r"), git(t, r.Dir, "rev-parse", "HEAD"); got != want {
		t.Errorf("push record %s, want the branch the remote accepted, %s", got, want)
	}
	if _, err := r.Reroot(ctx, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}
	res = r.Push(ctx, remotes, "main", time.Minute)
	if res[0].Err != nil {
		t.Fatalf("forced push after a push whose state ref was refused: %v", res[0].Err)
	}
	remoteAtHead(t, r, remote)
}

func TestForcedPushOverUnseenWorkIsARejection(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := leaseSetup(t)
	theirs := otherPushes(t, remote, "someone else's")
	if _, err := r.Reroot(ctx, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}
	res := r.Push(ctx, remotes, "main", time.Minute)
	var rej *publish.RejectedError
	if !errors.As(res[0].Err, &rej) || rej.Remote != "r" || rej.Tip != theirs {
		t.Fatalf("forced push over another writer's commit: %#v, want a RejectedError naming r and %s", res[0].Err, theirs)
	}
	if got := git(t, remote, "rev-parse", "main"); got != theirs {
		t.Errorf("remote at %s, want the other writer's %s", got, theirs)
	}
}

func TestPushRefusedForAReasonOtherThanAnotherWriterIsNoRejection(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := leaseSetup(t)
	hook := filepath.Join(remote, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho read-only >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	addDay(t, r, 30)
	res := r.Push(ctx, remotes, "main", time.Minute)
	var rej *publish.RejectedError
	if res[0].Err == nil || errors.As(res[0].Err, &rej) {
		t.Fatalf("push refused by a hook: %v, want an error that is no RejectedError", res[0].Err)
	}
}

func TestForcedPushAfterTakingOverFromAnotherHostSucceeds(t *testing.T) {
	ctx := context.Background()
	// b takes over, goes on and pushes; then a takes over again.
	remotes, a, b := hostAndStandby(t, 30)
	pushOK(t, b, remotes)
	for i := 30; i < 35; i++ {
		addDay(t, b, i)
	}
	pushOK(t, b, remotes)
	if moved, err := a.CatchUp(ctx, remotes[0], "main", time.Minute, false); err != nil || !moved {
		t.Fatalf("CatchUp = %v, %v", moved, err)
	}
	addDay(t, a, 35)
	if res, err := a.Reroot(ctx, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil || res == nil {
		t.Fatalf("Reroot = %+v, %v", res, err)
	}
	pushOK(t, a, remotes)
	remoteAtHead(t, a, strings.TrimPrefix(remotes[0].URL, "file://"))
}

func TestRerootCleanUpKeepsTheOperatorsStashes(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := leaseSetup(t)
	stash := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(r.Dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, r.Dir, "add", name)
		git(t, r.Dir, "-c", "user.name=o", "-c", "user.email=o@x", "stash", "push", "-q", "-m", "operator's "+name)
	}
	stash("notes.md", "first draft\n")
	stash("todo.md", "second draft\n")
	if err := rerootRun(ctx, r, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}
	if refs := git(t, r.Dir, "for-each-ref", "refs/newsmirror/reroot/"); refs != "" {
		t.Fatalf("re-root not finished:\n%s", refs)
	}
	remoteAtHead(t, r, remote)
	if got := git(t, r.Dir, "stash", "list", "--format=%s"); got != "On main: operator's todo.md\nOn main: operator's notes.md" {
		t.Fatalf("stashes after a re-root and its gc:\n%s", got)
	}
	if got := git(t, r.Dir, "show", "stash@{1}:notes.md"); got != "first draft" {
		t.Errorf("older stash holds %q", got)
	}
	fsck(t, r.Dir)
}

func TestRecoverRemovesTheScratchOfARerootKilledWhileWritingCommits(t *testing.T) {
	ctx := context.Background()
	r, remote, remotes := leaseSetup(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killedRerootEnv+"=written "+r.Dir+" "+remote)
	out, err := cmd.CombinedOutput()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child not killed while writing commits: %v\n%s", err, out)
	}
	left, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "newsmirror-reroot-*"))
	if len(left) != 1 {
		t.Fatalf("scratch folders after the kill: %v, want the killed re-root's", left)
	}
	held, err := publish.Lock(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	if err := r.Recover(held); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(r.Dir, ".git", "newsmirror-reroot-*")); len(left) != 0 {
		t.Errorf("Recover left %v", left)
	}
	if err := rerootRun(ctx, r, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatalf("run after the recovery: %v", err)
	}
	remoteAtHead(t, r, remote)
	fsck(t, r.Dir)
}
