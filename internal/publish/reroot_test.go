package publish_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// day0 is the date of the first commit of the histories built here.
var day0 = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)

// history makes a mirror of n commits, one a day from day0: each adds a
// page and, every third day, removes the page of three days before, so
// trees differ and old files leave the tree. It returns the repository.
func history(t *testing.T, dir string, n int) *publish.Repo {
	t.Helper()
	ctx := context.Background()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("cp", "-a", histories.of(t, n)+"/.", dir).Run(); err != nil {
		t.Fatalf("copy the history of %d commits: %v", n, err)
	}
	r, err := publish.OpenRepo(ctx, dir, "mirror <m@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// historyCache keeps one repository per length, built once per test
// binary (the commits are dated, so every copy is the same history).
type historyCache struct {
	mu   sync.Mutex
	dir  string
	made map[int]string
}

var histories = &historyCache{made: map[int]string{}}

// of is the folder of the history of n commits.
func (c *historyCache) of(t *testing.T, n int) string {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.made[n]; ok {
		return p
	}
	p := filepath.Join(c.dir, strconv.Itoa(n))
	r, err := publish.OpenRepo(context.Background(), p, "mirror <m@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		addDay(t, r, i)
	}
	c.made[n] = p
	return p
}

// addDay commits day i of history.
func addDay(t *testing.T, r *publish.Repo, i int) string {
	t.Helper()
	tree := publish.Tree{Dir: r.Dir}
	page := fmt.Sprintf("pages/c/%03d.md", i)
	paths := []string{page}
	if _, err := tree.Write(page, []byte(strings.Repeat(fmt.Sprintf("day %d\n", i), 50))); err != nil {
		t.Fatal(err)
	}
	if i%3 == 0 && i >= 3 {
		old := fmt.Sprintf("pages/c/%03d.md", i-3)
		if err := tree.Remove(old); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, old)
	}
	h, err := r.Commit(context.Background(), paths, fmt.Sprintf("day %d", i), day0.Add(time.Duration(i)*24*time.Hour))
	if err != nil || h == "" {
		t.Fatalf("commit day %d: %q, %v", i, h, err)
	}
	return h
}

// dayAt is the time of day i's commit.
func dayAt(i int) time.Time { return day0.Add(time.Duration(i) * 24 * time.Hour) }

// fsck fails the test unless git fsck --strict finds the repository sound.
func fsck(t *testing.T, dir string) {
	t.Helper()
	git(t, dir, "fsck", "--strict", "--no-progress")
}

// commitLines is the branch's first-parent history as "subject|author
// date|author|tree" lines, newest first.
func commitLines(t *testing.T, dir, rev string) []string {
	t.Helper()
	return strings.Split(git(t, dir, "log", "--first-parent", "--format=%s|%aI|%an <%ae>|%cI|%T", rev), "\n")
}

func TestRerootKeepsTheTreeAndRecreatesTheCommitsWithinTheWindow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := history(t, dir, 40)
	tree := git(t, dir, "rev-parse", "HEAD^{tree}")
	before := commitLines(t, dir, "HEAD")
	now := dayAt(39).Add(time.Hour)

	res, err := r.Reroot(ctx, publish.Window{Age: 10 * 24 * time.Hour}, nil, now)
	if err != nil || res == nil {
		t.Fatalf("Reroot = %+v, %v; want a re-root", res, err)
	}
	// Days 30–39 are within 10 days of now: kept; days 0–29 become the root.
	if res.Kept != 10 || res.Cut != 30 || !res.Since.Equal(dayAt(30)) {
		t.Errorf("Reroot = %+v, want 10 kept, 30 cut, since day 30", res)
	}
	if got := git(t, dir, "rev-parse", "HEAD^{tree}"); got != tree {
		t.Errorf("tree changed: %s, was %s", got, tree)
	}
	if st := git(t, dir, "status", "--porcelain"); st != "" {
		t.Errorf("working tree or index changed:\n%s", st)
	}
	after := commitLines(t, dir, "HEAD")
	if len(after) != 11 {
		t.Fatalf("history after re-root has %d commits, want the root and 10", len(after))
	}
	for i := range 10 {
		if after[i] != before[i] {
			t.Errorf("kept commit %d: %q, was %q", i, after[i], before[i])
		}
	}
	// The root holds the tree of the last commit cut (day 29), so day 30
	// still shows its own change.
	if got, want := git(t, dir, "rev-parse", "HEAD~10^{tree}"), git(t, dir, "rev-parse", res.Old+"~10^{tree}"); got != want {
		t.Errorf("root's tree %s, want day 29's %s", got, want)
	}
	if got := git(t, dir, "diff", "--name-status", "HEAD~10", "HEAD~9"); got != "D\tpages/c/027.md\nA\tpages/c/030.md" {
		t.Errorf("day 30's change on the new history:\n%s", got)
	}
	if subj := git(t, dir, "log", "-1", "--format=%s", "HEAD~10"); !strings.HasPrefix(subj, "newsmirror: history before 2026-01-31") {
		t.Errorf("root's subject %q", subj)
	}
	s, err := r.Sizes(ctx, now)
	if err != nil || s.Commits != 11 || !s.Oldest.Equal(dayAt(30)) || !s.Rerooted.Equal(now) {
		t.Errorf("Sizes: %d commits since %v, re-rooted %v (%v); want 11 since day 30, re-rooted now", s.Commits, s.Oldest, s.Rerooted, err)
	}
	fsck(t, dir)
}

func TestRerootWaitsForTheMarginPastTheWindow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := history(t, dir, 11)
	w := publish.Window{Age: 10 * 24 * time.Hour} // margin: 1 day
	// Day 0 is 10.5 days old at day 10 + 12h: within the margin.
	if res, err := r.Reroot(ctx, w, nil, dayAt(10).Add(12*time.Hour)); res != nil || err != nil {
		t.Fatalf("Reroot within the margin = %+v, %v; want nothing", res, err)
	}
	if res, err := runOnce(ctx, r, w, dayAt(11).Add(time.Hour)); res == nil || err != nil {
		t.Fatalf("Reroot past the margin = %+v, %v; want a re-root", res, err)
	}
	// Just re-rooted: the root does not count, the kept commits are young.
	if res, err := r.Reroot(ctx, w, nil, dayAt(11).Add(2*time.Hour)); res != nil || err != nil {
		t.Fatalf("Reroot right after one = %+v, %v; want nothing", res, err)
	}
}

func TestRerootByCommitsKeepsTheNewestAndWaitsATenth(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := history(t, dir, 21)
	w := publish.Window{Commits: 20} // margin: 2 commits
	if res, _ := r.Reroot(ctx, w, nil, dayAt(30)); res != nil {
		t.Fatalf("21 commits re-rooted with a window of 20 + 2: %+v", res)
	}
	addDay(t, r, 21)
	addDay(t, r, 22)
	res, err := runOnce(ctx, r, w, dayAt(30))
	if err != nil || res == nil || res.Kept != 20 || res.Cut != 3 {
		t.Fatalf("Reroot of 23 commits = %+v, %v; want 20 kept, 3 cut", res, err)
	}
	if n := git(t, dir, "rev-list", "--count", "HEAD"); n != "21" {
		t.Errorf("%s commits after the re-root, want 21 (root + 20)", n)
	}
	for i := 23; i < 25; i++ {
		addDay(t, r, i)
		if res, _ := runOnce(ctx, r, w, dayAt(30)); res != nil {
			t.Fatalf("re-rooted again after %d new commits", i-22)
		}
	}
	addDay(t, r, 25)
	res, err = r.Reroot(ctx, w, nil, dayAt(30))
	if err != nil || res == nil || res.Cut != 4 { // the old root and 3
		t.Fatalf("second Reroot = %+v, %v; want the old root and 3 commits cut", res, err)
	}
	if n := git(t, dir, "log", "--max-parents=0", "--format=%s", "HEAD"); !strings.HasPrefix(n, "newsmirror: history before "+dayAt(6).Format("2006-01-02")) {
		t.Errorf("one root expected, before day 6: %q", n)
	}
	fsck(t, dir)
}

func TestRerootWaitsForAFirstPushToARewriteRemote(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	bare(t, filepath.Join(root, "r.git"))
	r := history(t, filepath.Join(root, "m"), 30)
	remotes := []publish.Remote{{Name: "r", URL: filepath.Join(root, "r.git"), Rewrite: true}}
	w := publish.Window{Commits: 10}
	_, err := r.Reroot(ctx, w, remotes, dayAt(40))
	var lease *publish.LeaseUnknownError
	if !errors.As(err, &lease) || len(lease.Remotes) != 1 || lease.Remotes[0] != "r" {
		t.Fatalf("Reroot before any push: %v, want a LeaseUnknownError naming r", err)
	}
	pushOK(t, r, remotes)
	if res, err := r.Reroot(ctx, w, remotes, dayAt(40)); res == nil || err != nil {
		t.Fatalf("Reroot after a push = %+v, %v", res, err)
	}
}

// runOnce re-roots a mirror without remotes as a run does: Reroot, then
// FinishReroot.
func runOnce(ctx context.Context, r *publish.Repo, w publish.Window, now time.Time) (*publish.Rerooted, error) {
	res, err := r.Reroot(ctx, w, nil, now)
	if err == nil {
		_, err = r.FinishReroot(ctx, nil)
	}
	return res, err
}

// pushOK pushes the branch to remotes and fails the test on an error.
// hostAndStandby makes a bare upstream (a rewrite remote), host a with n
// commits pushed to it, and host b cloned from it then.
func hostAndStandby(t *testing.T, n int) (remotes []publish.Remote, a, b *publish.Repo) {
	t.Helper()
	root := t.TempDir()
	up := filepath.Join(root, "up.git")
	bare(t, up)
	remotes = []publish.Remote{{Name: "up", URL: "file://" + up, Rewrite: true}}
	a = history(t, filepath.Join(root, "a"), n)
	pushOK(t, a, remotes)
	b, err := publish.Clone(context.Background(), filepath.Join(root, "b"), "mirror <m@localhost>", remotes[0], "main", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return remotes, a, b
}

func pushOK(t *testing.T, r *publish.Repo, remotes []publish.Remote) {
	t.Helper()
	for _, res := range r.Push(context.Background(), remotes, "main", time.Minute) {
		if res.Err != nil {
			t.Fatalf("push %s: %v", res.Remote, res.Err)
		}
	}
}

// rerootRun does what a run does with the history: re-root, push, clean
// up.
func rerootRun(ctx context.Context, r *publish.Repo, w publish.Window, remotes []publish.Remote, now time.Time) error {
	if _, err := r.Reroot(ctx, w, remotes, now); err != nil {
		return err
	}
	for _, res := range r.Push(ctx, remotes, "main", time.Minute) {
		if res.Err != nil {
			return res.Err
		}
	}
	_, err := r.FinishReroot(ctx, remotes)
	return err
}

// killedRerootEnv names the mirror a child process (the test binary run
// again, see TestMain) re-roots and the step at which it kills itself.
const killedRerootEnv = "NEWSMIRROR_TEST_KILLED_REROOT"

// TestMain runs a killed re-root in a child process when asked.
func TestMain(m *testing.M) {
	if v := os.Getenv(killedRerootEnv); v != "" {
		killedReroot(v)
	}
	if v := os.Getenv(killedChainEnv); v != "" {
		killedChain(v)
	}
	dir, err := os.MkdirTemp("", "newsmirror-histories-")
	if err != nil {
		panic(err)
	}
	histories.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// killedReroot re-roots the mirror of spec ("step dir remote") as a run
// does and kills its own process at step; it exits 3 when it was not
// killed.
func killedReroot(spec string) {
	f := strings.SplitN(spec, " ", 3)
	ctx := context.Background()
	r, err := publish.OpenRepo(ctx, f[1], "mirror <m@localhost>")
	if err != nil {
		os.Exit(2)
	}
	publish.KillAt(r, f[0])
	remotes := []publish.Remote{{Name: "r", URL: "file://" + f[2], Rewrite: true}}
	rerootRun(ctx, r, publish.Window{Commits: 10}, remotes, dayAt(40))
	os.Exit(3)
}

func TestRerootKilledAtAnyStepIsFinishedByTheNextRun(t *testing.T) {
	for _, step := range []string{"built", "recorded", "moved", "push", "forgot", "pruned"} {
		t.Run(step, func(t *testing.T) {
			ctx := context.Background()
			root := t.TempDir()
			remote := filepath.Join(root, "r.git")
			bare(t, remote)
			dir := filepath.Join(root, "m")
			r := history(t, dir, 30)
			remotes := []publish.Remote{{Name: "r", URL: "file://" + remote, Rewrite: true}}
			pushOK(t, r, remotes)
			tree := git(t, dir, "rev-parse", "HEAD^{tree}")
			w, now := publish.Window{Commits: 10}, dayAt(40)

			if step == "push" {
				// The push fails (the remote is away): the branch has moved.
				gone := remote + ".away"
				if err := os.Rename(remote, gone); err != nil {
					t.Fatal(err)
				}
				if err := rerootRun(ctx, r, w, remotes, now); err == nil {
					t.Fatal("push to a missing remote succeeded")
				}
				os.Rename(gone, remote)
			} else {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), killedRerootEnv+"="+step+" "+dir+" "+remote)
				out, err := cmd.CombinedOutput()
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
					t.Fatalf("child not killed at %s: %v\n%s", step, err, out)
				}
			}
			fsck(t, dir)

			// The next run.
			next, err := publish.OpenRepo(ctx, dir, "mirror <m@localhost>")
			if err != nil {
				t.Fatal(err)
			}
			if err := rerootRun(ctx, next, w, remotes, now); err != nil {
				t.Fatalf("next run: %v", err)
			}
			fsck(t, dir)
			fsck(t, remote)
			if got := git(t, dir, "rev-parse", "HEAD^{tree}"); got != tree {
				t.Errorf("tree %s, want %s", got, tree)
			}
			if got := git(t, remote, "rev-parse", "main"); got != git(t, dir, "rev-parse", "HEAD") {
				t.Errorf("remote at %s, mirror at %s", got, git(t, dir, "rev-parse", "HEAD"))
			}
			if n := git(t, dir, "rev-list", "--count", "HEAD"); n != "11" {
				t.Errorf("%s commits, want the root and 10", n)
			}
			if refs := git(t, dir, "for-each-ref", "refs/newsmirror/reroot/"); refs != "" {
				t.Errorf("intent left behind:\n%s", refs)
			}
			// The old history is gone from the mirror's objects.
			if n := git(t, dir, "rev-list", "--all", "--reflog", "--count"); n != "11" {
				t.Errorf("%s commits reachable from refs and reflogs, want 11", n)
			}
			if st := git(t, dir, "status", "--porcelain"); st != "" {
				t.Errorf("working tree or index changed:\n%s", st)
			}
		})
	}
}

func TestStaleRerootIntentIsDroppedWhenTheBranchMovedElsewhere(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := history(t, dir, 30)
	publish.CrashAt(r, "recorded", errors.New("killed"))
	if _, err := r.Reroot(ctx, publish.Window{Commits: 10}, nil, dayAt(40)); err == nil {
		t.Fatal("no crash")
	}
	// The next run commits before it re-roots: the branch is past the
	// recorded old tip, the intent is stale, and a new re-root is made.
	next, _ := publish.OpenRepo(ctx, dir, "mirror <m@localhost>")
	addDay(t, next, 30)
	res, err := next.Reroot(ctx, publish.Window{Commits: 10}, nil, dayAt(40))
	if err != nil || res == nil || res.Resumed || res.Kept != 10 {
		t.Fatalf("Reroot = %+v, %v; want a fresh re-root of 10", res, err)
	}
	if subj := git(t, dir, "log", "-1", "--format=%s"); subj != "day 30" {
		t.Errorf("tip %q, want day 30", subj)
	}
	fsck(t, dir)
}

// treeOf lists the files of rev in dir with their blob names: equal lists
// are the same paths with the same contents.
func treeOf(t *testing.T, dir, rev string) string {
	t.Helper()
	return git(t, dir, "ls-tree", "-r", rev)
}

func TestRerootedBranchServesReadersTheSameFilesOverGitDaemon(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	served := filepath.Join(root, "served")
	bare(t, filepath.Join(served, "mirror.git"))
	d := &gitDaemon{base: served, port: freePort(t)}
	d.start(t)
	t.Cleanup(d.stop)
	url := fmt.Sprintf("git://127.0.0.1:%d/mirror.git", d.port)
	remotes := []publish.Remote{{Name: "pages", URL: url, Rewrite: true}}

	dir := filepath.Join(root, "m")
	r := history(t, dir, 30)
	pushOK(t, r, remotes)
	clone := func(name string, args ...string) string {
		t.Helper()
		p := filepath.Join(root, name)
		git(t, root, append(append([]string{"clone", "-q"}, args...), url, p)...)
		return p
	}
	oldReset, oldPull := clone("old-reset"), clone("old-pull")
	backup := clone("backup.git", "--mirror")
	want := treeOf(t, dir, "HEAD")

	if err := rerootRun(ctx, r, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}
	if got := git(t, served, "-C", "mirror.git", "rev-list", "--count", "main"); got != "11" {
		t.Fatalf("remote holds %s commits, want the root and 10", got)
	}
	for _, c := range []string{clone("fresh"), clone("shallow", "--depth", "1")} {
		if got := treeOf(t, c, "HEAD"); got != want {
			t.Errorf("%s sees other files than the mirror", filepath.Base(c))
		}
	}
	out, err := exec.Command("git", "-C", oldReset, "fetch").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "(forced update)") {
		t.Fatalf("old clone's fetch: %v\n%s", err, out)
	}
	git(t, backup, "fetch", "-q", "--prune")
	if got := treeOf(t, backup, "main"); got != want {
		t.Error("a mirror clone's fetch does not take the new branch")
	}
	git(t, oldReset, "reset", "-q", "--hard", "origin/main")
	if got := treeOf(t, oldReset, "HEAD"); got != want {
		t.Error("old clone after reset --hard origin/main sees other files")
	}
	git(t, oldPull, "-c", "user.name=r", "-c", "user.email=r@x", "pull", "-q", "--rebase")
	if got := treeOf(t, oldPull, "HEAD"); got != want {
		t.Error("old clone after pull --rebase sees other files")
	}
	if got, tip := git(t, oldPull, "rev-parse", "HEAD"), git(t, dir, "rev-parse", "HEAD"); got != tip {
		t.Errorf("old clone after pull --rebase at %s, want the new tip %s", got, tip)
	}
	if st := git(t, oldPull, "status", "--porcelain"); st != "" {
		t.Errorf("old clone after pull --rebase not clean:\n%s", st)
	}
}

func TestForcedPushIsRefusedWhenSomeoneElsePushedSince(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	remote := filepath.Join(root, "r.git")
	bare(t, remote)
	remotes := []publish.Remote{{Name: "r", URL: "file://" + remote, Rewrite: true}}
	dir := filepath.Join(root, "m")
	r := history(t, dir, 30)
	pushOK(t, r, remotes)

	// Another writer pushes a commit of its own.
	other := filepath.Join(root, "other")
	git(t, root, "clone", "-q", remote, other)
	git(t, other, "-c", "user.name=o", "-c", "user.email=o@x", "commit", "-q", "--allow-empty", "-m", "someone else's")
	git(t, other, "push", "-q", "origin", "main")
	theirs := git(t, other, "rev-parse", "HEAD")

	if _, err := r.Reroot(ctx, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}
	res := r.Push(ctx, remotes, "main", time.Minute)
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "stale info") {
		t.Fatalf("forced push over another writer's commit: %v, want a refusal (stale info)", res[0].Err)
	}
	if got := git(t, remote, "rev-parse", "main"); got != theirs {
		t.Errorf("remote at %s, want the other writer's %s", got, theirs)
	}
	if done, err := r.FinishReroot(ctx, remotes); done || err != nil {
		t.Errorf("FinishReroot = %v, %v; want it to wait for the remote", done, err)
	}
	if !strings.Contains(git(t, dir, "for-each-ref", publish.RerootOldRef), "commit") {
		t.Error("the intent is gone although the remote lacks the new history")
	}
}

func TestRerootLeavesAShallowCloneAlone(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	history(t, filepath.Join(root, "full"), 30)
	git(t, root, "clone", "-q", "--depth", "3", "file://"+filepath.Join(root, "full"), "shallow")
	r, err := publish.OpenRepo(ctx, filepath.Join(root, "shallow"), "mirror <m@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	tip := git(t, r.Dir, "rev-parse", "HEAD")
	if res, err := r.Reroot(ctx, publish.Window{Age: 24 * time.Hour}, nil, dayAt(60)); !errors.Is(err, publish.ErrShallow) || res != nil {
		t.Fatalf("Reroot of a shallow clone = %+v, %v; want ErrShallow", res, err)
	}
	if got := git(t, r.Dir, "rev-parse", "HEAD"); got != tip {
		t.Errorf("branch moved to %s", got)
	}
}

func TestPullTakesABranchReRootedByAnotherHost(t *testing.T) {
	ctx := context.Background()
	// Host b, a standby, cloned the upstream then and made a commit of its
	// own; host a goes on, re-roots and pushes.
	remotes, a, b := hostAndStandby(t, 30)
	commitFile(t, b, "pages/c/b-only.md", "written on b")
	addDay(t, a, 30)
	if err := rerootRun(ctx, a, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}

	if err := b.Pull(ctx, remotes[0], "main", time.Minute); err != nil {
		t.Fatalf("pull of the re-rooted branch: %v", err)
	}
	if n := git(t, b.Dir, "rev-list", "--count", "HEAD"); n != "12" {
		t.Errorf("b holds %s commits, want a's root and 10, and its own", n)
	}
	if got, want := git(t, b.Dir, "rev-parse", "HEAD~1"), git(t, a.Dir, "rev-parse", "HEAD"); got != want {
		t.Errorf("b's commit sits on %s, want a's tip %s", got, want)
	}
	if got := git(t, b.Dir, "diff", "--name-status", "HEAD", git(t, a.Dir, "rev-parse", "HEAD")); got != "D\tpages/c/b-only.md" {
		t.Errorf("b's tree against a's:\n%s", got)
	}
	if st := git(t, b.Dir, "status", "--porcelain"); st != "" {
		t.Errorf("b not clean:\n%s", st)
	}
	fsck(t, b.Dir)
}

func TestRerootGoesOnAfterAGitKilledWhileHoldingItsRefLocks(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	remote := filepath.Join(root, "r.git")
	bare(t, remote)
	remotes := []publish.Remote{{Name: "r", URL: "file://" + remote, Rewrite: true}}
	dir := filepath.Join(root, "m")
	r := history(t, dir, 30)
	pushOK(t, r, remotes)
	// A git killed in update-ref leaves the ref's lock file: every later
	// update of that ref would fail.
	for _, l := range []string{"refs/heads/main.lock", "refs/newsmirror/reroot/new.lock", "refs/newsmirror/pushed/r.lock"} {
		p := filepath.Join(dir, ".git", filepath.FromSlash(l))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, nil, 0o644)
	}
	held, err := publish.Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	if err := r.Recover(held); err != nil {
		t.Fatal(err)
	}
	if err := rerootRun(ctx, r, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatalf("run after the locks were recovered: %v", err)
	}
	if n := git(t, remote, "rev-list", "--count", "main"); n != "11" {
		t.Errorf("remote holds %s commits, want 11", n)
	}
}

func TestHostTakingOverPushesOnAnotherHostsReroot(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	up, backup := filepath.Join(root, "up.git"), filepath.Join(root, "backup.git")
	bare(t, up)
	bare(t, backup)
	remotes := []publish.Remote{
		{Name: "up", URL: "file://" + up, Rewrite: true},
		{Name: "backup", URL: "file://" + backup, Rewrite: true},
	}
	// Host b syncs and pushes first, then host a takes over, goes on,
	// re-roots and pushes everywhere.
	b := history(t, filepath.Join(root, "b"), 20)
	pushOK(t, b, remotes)
	a, err := publish.Clone(ctx, filepath.Join(root, "a"), "mirror <m@localhost>", remotes[0], "main", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	pushOK(t, a, remotes)
	for i := 20; i < 30; i++ {
		addDay(t, a, i)
	}
	if err := rerootRun(ctx, a, publish.Window{Commits: 10}, remotes, dayAt(40)); err != nil {
		t.Fatal(err)
	}

	// b takes over again: its records of its own pushes are stale.
	if moved, err := b.CatchUp(ctx, remotes[0], "main", time.Minute, false); err != nil || !moved {
		t.Fatalf("CatchUp = %v, %v", moved, err)
	}
	addDay(t, b, 30)
	pushOK(t, b, remotes)
	for _, rm := range []string{up, backup} {
		if got, want := git(t, rm, "rev-parse", "main"), git(t, b.Dir, "rev-parse", "HEAD"); got != want {
			t.Errorf("%s at %s, want b's %s", filepath.Base(rm), got, want)
		}
	}
}
