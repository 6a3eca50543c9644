package mirror_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/store"
)

func TestSyncPushesEveryRemoteAndRecordsEachOutcome(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 2, t0)...)
	root := t.TempDir()
	for _, n := range []string{"one.git", "two.git"} {
		if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", filepath.Join(root, n)).CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	os.Rename(filepath.Join(root, "two.git"), filepath.Join(root, "two.away"))
	cfg := f.config(t, "publish:\n  remotes:\n    - {name: one, url: \"file://"+root+"/one.git\"}\n    - {name: two, url: \"file://"+root+"/two.git\"}", "a")
	rep := f.sync(t, cfg, t0.Add(time.Hour))
	if len(rep.Pushes) != 2 || rep.Pushes[0].Err != nil || rep.Pushes[1].Err == nil {
		t.Fatalf("pushes = %+v, want one ok and two failed", rep.Pushes)
	}
	if got := gitOut(t, filepath.Join(root, "one.git"), "rev-parse", "main"); got != rep.Commit {
		t.Errorf("one at %s, want %s", got, rep.Commit)
	}
	db, err := store.Open(context.Background(), cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	pushes, err := db.Pushes(context.Background())
	db.Close()
	if err != nil || len(pushes) != 2 || pushes[0].LastSuccess.IsZero() || pushes[1].LastError == "" || !pushes[1].LastSuccess.IsZero() {
		t.Errorf("recorded pushes = %+v, %v", pushes, err)
	}

	// Back again: the next run has nothing new, makes no commit, and still
	// brings the lagging remote up to date.
	os.Rename(filepath.Join(root, "two.away"), filepath.Join(root, "two.git"))
	commit := rep.Commit
	rep = f.sync(t, cfg, t0.Add(2*time.Hour))
	if rep.Commit != "" || rep.Pushes[1].Err != nil {
		t.Errorf("second run: commit %q, push two %v", rep.Commit, rep.Pushes[1].Err)
	}
	if got := gitOut(t, filepath.Join(root, "two.git"), "rev-parse", "main"); got != commit {
		t.Errorf("two at %s after recovery, want %s", got, commit)
	}
}
