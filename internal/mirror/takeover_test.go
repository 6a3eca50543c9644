package mirror_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func TestTakeoverResetsAStaleWorkingCopyAndMirrorsWhatWasNeverPushedOnce(t *testing.T) {
	for _, be := range storetest.Backends() {
		t.Run(be.Name, func(t *testing.T) { takeoverAfterTakeover(t, be.State(t)) })
	}
}

// takeoverAfterTakeover has two hosts share the state at state and hand
// the mirror over twice.
func takeoverAfterTakeover(t *testing.T, state string) {
	f := newNewsFixture(t)
	root := t.TempDir()
	bare := filepath.Join(root, "up.git")
	gitOut(t, root, "init", "-q", "--bare", "-b", "main", bare)
	// Two hosts' working copies, one shared state, one upstream.
	extra := fmt.Sprintf("  state: %q\npublish:\n  upstream: up\n  remotes: [{name: up, url: \"file://%s\"}]", state, bare)
	hostA, hostB := f.config(t, extra, "a"), f.config(t, extra, "a")
	hostA.Output.Dir, hostB.Output.Dir = filepath.Join(root, "A"), filepath.Join(root, "B")
	arts := fakenews.Generate("a", 5, t0)
	at := t0
	sync := func(cfg *config.Config, takeOver bool) *mirror.Report {
		t.Helper()
		at = at.Add(time.Hour)
		rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Now: func() time.Time { return at }, Pull: true, TakeOver: takeOver})
		if err != nil {
			t.Fatalf("sync of %s: %v", cfg.Output.Dir, err)
		}
		return rep
	}

	f.site.Add("a", arts[:2]...)
	sync(hostA, false)
	// Host A mirrors a3 and commits it, but cannot push it: it is cut off.
	f.site.Add("a", arts[2])
	os.Rename(bare, bare+".away")
	if rep := sync(hostA, false); rep.Commit == "" || rep.Pushes[0].Err == nil {
		t.Fatalf("host A's run while cut off: commit %q, pushes %v", rep.Commit, rep.Pushes)
	}
	os.Rename(bare+".away", bare)

	// Host B takes over: a3 is mirrored again (the upstream lacks it), a4 too.
	f.site.Add("a", arts[3])
	rep := sync(hostB, true)
	if !rep.CaughtUp || len(rep.Written) != 2 || rep.Pushes[0].Err != nil {
		t.Fatalf("host B's takeover: caught up %v, written %v, pushes %v", rep.CaughtUp, rep.Written, rep.Pushes)
	}
	// Host A takes over again, its working copy holding its own commit of
	// a3 that the upstream never got: it is reset, not merged.
	f.site.Add("a", arts[4])
	rep = sync(hostA, true)
	if !rep.CaughtUp || len(rep.Written) != 1 || rep.Pushes[0].Err != nil {
		t.Fatalf("host A's takeover: caught up %v, written %v, pushes %v", rep.CaughtUp, rep.Written, rep.Pushes)
	}

	pages := strings.Fields(gitOut(t, bare, "ls-tree", "-r", "--name-only", "main", "pages/a"))
	md := 0
	for _, p := range pages {
		if strings.HasSuffix(p, ".md") {
			md++
		}
	}
	if md != 5 {
		t.Errorf("the upstream has %d pages for 5 articles: %v", md, pages)
	}
	added := map[string]int{}
	for _, p := range strings.Fields(gitOut(t, bare, "log", "--diff-filter=A", "--name-only", "--format=", "main", "--", "pages")) {
		if added[p]++; added[p] > 1 {
			t.Errorf("%s added twice to the upstream's history", p)
		}
	}
	if m := gitOut(t, bare, "rev-list", "--merges", "main"); m != "" {
		t.Errorf("merges in the upstream: %s", m)
	}
	if head, up := gitOut(t, hostA.Output.Dir, "rev-parse", "HEAD"), gitOut(t, bare, "rev-parse", "main"); head != up {
		t.Errorf("host A's working copy is at %s, the upstream at %s", head, up)
	}
	if out, err := exec.Command("git", "-C", bare, "fsck", "--strict").CombinedOutput(); err != nil {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
}
