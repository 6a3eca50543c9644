package mirror_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/publish"
)

func TestSyncKeepsHistoryWithinTheWindowAndPushesItWithALease(t *testing.T) {
	f := newNewsFixture(t)
	bare := filepath.Join(t.TempDir(), "up.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", bare).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// A window of 3 commits: the branch is re-rooted past 3 + 1.
	cfg := f.config(t, "publish:\n  keep: 3\n  history: 3\n  upstream: up\n  remotes: [{name: up, url: \"file://"+bare+"\", rewrite: true}]", "a")
	arts := fakenews.Generate("a", 8, t0)
	var rerooted []int
	for i, a := range arts {
		f.site.Add("a", a)
		now := t0.Add(time.Duration(i+1) * time.Hour)
		// The daemon's rounds pull from the upstream first.
		rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Now: func() time.Time { return now }, Pull: true})
		if err != nil {
			t.Fatalf("sync %d: %v", i+1, err)
		}
		for _, w := range rep.Warnings {
			t.Errorf("sync %d: warning: %s", i+1, w)
		}
		if len(rep.Pushes) != 1 || rep.Pushes[0].Err != nil {
			t.Fatalf("sync %d: pushes %+v", i+1, rep.Pushes)
		}
		if rep.Commit != "" && rep.Commit != gitOut(t, f.out, "rev-parse", "HEAD") {
			t.Errorf("sync %d reports commit %s, the branch is at %s", i+1, rep.Commit, gitOut(t, f.out, "rev-parse", "HEAD"))
		}
		if r := rep.Reroot; r != nil {
			if r.Kept != 3 {
				t.Errorf("sync %d kept %d commits, want 3", i+1, r.Kept)
			}
			rerooted = append(rerooted, i+1)
		}
	}
	// The fifth commit is past 3 + 1: cut to 3; the seventh again (3 + 2
	// new); the eighth is within the margin.
	if len(rerooted) != 2 || rerooted[0] != 5 || rerooted[1] != 7 {
		t.Fatalf("re-rooted by syncs %v, want 5 and 7", rerooted)
	}
	head := gitOut(t, f.out, "rev-parse", "HEAD")
	if got := gitOut(t, bare, "rev-parse", "main"); got != head {
		t.Errorf("remote at %s, mirror at %s", got, head)
	}
	if n := gitOut(t, f.out, "rev-list", "--count", "HEAD"); n != "5" {
		t.Errorf("%s commits, want the root and 4", n)
	}
	// The state export names the re-rooted head, here and on the remote.
	for _, dir := range []string{f.out, bare} {
		if got := gitOut(t, dir, "log", "-1", "--format=%s", publish.StateBranch); got != "newsmirror state of "+head {
			t.Errorf("%s: state export is %q, want it to describe %s", dir, got, head)
		}
	}
	if want := pagesOf("a", 6, 7, 8); !sameSet(committedPages(t, f.out), want) {
		t.Errorf("committed pages %v, want %v", committedPages(t, f.out), want)
	}
	if st := gitOut(t, f.out, "status", "--porcelain"); st != "" {
		t.Errorf("mirror not clean:\n%s", st)
	}
	for _, dir := range []string{f.out, bare} {
		gitOut(t, dir, "fsck", "--strict", "--no-progress")
	}
	if refs := gitOut(t, f.out, "for-each-ref", "refs/newsmirror/reroot/"); refs != "" {
		t.Errorf("re-root not cleaned up:\n%s", refs)
	}
}

func TestSyncPushesTheFullHistoryToARemoteNotMarkedRewrite(t *testing.T) {
	f := newNewsFixture(t)
	root := t.TempDir()
	up, backup := filepath.Join(root, "up.git"), filepath.Join(root, "backup.git")
	for _, b := range []string{up, backup} {
		if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", b).CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	cfg := f.config(t, "publish:\n  keep: 3\n  history: 3\n  upstream: up\n  remotes: [{name: up, url: \"file://"+up+"\", rewrite: true}, {name: backup, url: \"file://"+backup+"\"}]", "a")
	var commits []string // every commit the syncs made, as first made
	for i, a := range fakenews.Generate("a", 8, t0) {
		f.site.Add("a", a)
		now := t0.Add(time.Duration(i+1) * time.Hour)
		rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Now: func() time.Time { return now }, Pull: true})
		if err != nil {
			t.Fatalf("sync %d: %v", i+1, err)
		}
		for _, p := range rep.Pushes {
			if p.Err != nil {
				t.Fatalf("sync %d: push %s: %v", i+1, p.Remote, p.Err)
			}
		}
		commits = append(commits, gitOut(t, f.out, "log", "-1", "--format=%T %at %s", "HEAD"))
	}
	// The backup holds every commit, oldest first, linear; up the window.
	got := strings.Split(gitOut(t, backup, "log", "--reverse", "--format=%T %at %s", "main"), "\n")
	if strings.Join(got, "\n") != strings.Join(commits, "\n") {
		t.Errorf("backup's history:\n%s\nwant every commit made:\n%s", strings.Join(got, "\n"), strings.Join(commits, "\n"))
	}
	if n := gitOut(t, backup, "rev-list", "--max-parents=0", "--count", "main"); n != "1" {
		t.Errorf("backup has %s roots", n)
	}
	if n := gitOut(t, up, "rev-list", "--count", "main"); n != "5" {
		t.Errorf("up holds %s commits, want the root and 4", n)
	}
	if a, b := gitOut(t, up, "rev-parse", "main^{tree}"), gitOut(t, backup, "rev-parse", "main^{tree}"); a != b {
		t.Errorf("tips hold trees %s and %s", a, b)
	}
	for _, dir := range []string{f.out, up, backup} {
		gitOut(t, dir, "fsck", "--strict", "--no-progress")
	}
}
