package mirror_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

func TestSyncClonesUpstreamAndRebasesOnItsEdits(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 2, t0)...)
	root := t.TempDir()
	bareDir := filepath.Join(root, "up.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", bareDir).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	extra := "publish:\n  upstream: up\n  remotes: [{name: up, url: \"file://" + bareDir + "\"}]"
	cfg := f.config(t, extra, "a")
	f.sync(t, cfg, t0.Add(time.Hour)) // an empty upstream: a new repository, pushed

	// Someone edits the mirror elsewhere and pushes.
	other := filepath.Join(root, "other")
	gitOut(t, root, "clone", "-q", "file://"+bareDir, other)
	os.WriteFile(filepath.Join(other, "NOTE.md"), []byte("hand-written\n"), 0o644)
	gitOut(t, other, "add", "NOTE.md")
	gitOut(t, other, "-c", "user.name=o", "-c", "user.email=o@x", "commit", "-qm", "note")
	gitOut(t, other, "push", "-q", "origin", "main")

	// The daemon's run pulls first: the edit is kept and its push is a
	// fast-forward.
	f.site.Add("a", fakenews.Generate("b", 1, t0.Add(time.Hour))...)
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Now: func() time.Time { return t0.Add(2 * time.Hour) }, Pull: true})
	if err != nil || rep.Pushes[0].Err != nil {
		t.Fatalf("sync with pull: %v, push %v", err, rep.Pushes)
	}
	files := gitOut(t, bareDir, "ls-tree", "-r", "--name-only", "main")
	for _, want := range []string{"NOTE.md", "pages/a/b1.md"} {
		if !strings.Contains(files, want) {
			t.Errorf("upstream lacks %s after the pull and push:\n%s", want, files)
		}
	}

	// A new host starts from the upstream's history.
	cfg2 := f.config(t, extra, "a")
	cfg2.Output.Dir = filepath.Join(root, "fresh")
	syncAt(t, cfg2, f.client, t0.Add(3*time.Hour))
	if got := readFile(t, cfg2.Output.Dir, "NOTE.md"); got != "hand-written\n" {
		t.Errorf("fresh mirror's NOTE.md = %q", got)
	}
	up := gitOut(t, bareDir, "rev-parse", "main")
	if err := exec.Command("git", "-C", cfg2.Output.Dir, "merge-base", "--is-ancestor", up, "HEAD").Run(); err != nil {
		t.Errorf("fresh mirror's history does not continue the upstream's: %v", err)
	}
}
