package action_test

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
)

// TestActionCarriesStateOnItsBranchWithoutACache runs the action's sync
// step as GitHub would with no cache: each run in a new checkout of the
// remote, with no state database. Retention's tombstones and the mirrored
// articles survive from run to run through the state branch alone.
func TestActionCarriesStateOnItsBranchWithoutACache(t *testing.T) {
	bin := buildWithAction(t)
	site := fakenews.New()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	r := newRunner(t, srv.URL)
	os.WriteFile(filepath.Join(r.workspace, "newsmirror.yaml"), []byte(fmt.Sprintf(`output: {dir: "."}
publish: {keep: 3}
fetch: {workers: 1, retries: 0, allow: [127.0.0.1]}
sources:
  - id: ex
    rules: {body: div.article}
    channels: [{id: a, name: 频道a, feed: "%s/feeds/a.xml"}]
`, srv.URL)), 0o644)
	actionGit(t, r.workspace, "commit", "--quiet", "-am", "keep 3")
	actionGit(t, r.workspace, "push", "--quiet", "origin", "main")

	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	arts := fakenews.Generate("a", 6, start)
	runOnce := func(n int) (string, []string) {
		t.Helper()
		r.workspace = filepath.Join(t.TempDir(), fmt.Sprintf("checkout%d", n))
		actionGit(t, filepath.Dir(r.workspace), "clone", "--quiet", "--depth=1", "file://"+r.remote, r.workspace)
		code, outputs, out := r.step(t, "sync", "NEWSMIRROR_BIN="+bin, "NEWSMIRROR_ARGS=--adopt")
		if code != 0 || outputs["pushed"] != "true" {
			t.Fatalf("run %d: step exit %d, outputs %v\n%s", n, code, outputs, out)
		}
		var pages []string
		for _, f := range strings.Split(actionGit(t, r.remote, "ls-tree", "-r", "--name-only", "main", "pages"), "\n") {
			if strings.HasSuffix(f, ".md") {
				pages = append(pages, f)
			}
		}
		return out, pages
	}
	site.Add("a", arts[:3]...)
	runOnce(1)
	site.Add("a", arts[3:]...)
	if _, pages := runOnce(2); !slices.Equal(pages, []string{"pages/a/a4.md", "pages/a/a5.md", "pages/a/a6.md"}) {
		t.Fatalf("after run 2 the remote holds %v", pages)
	}
	// The feed still lists a1–a6; one new article comes.
	site.Add("a", fakenews.Generate("b", 1, start.Add(time.Hour))...)
	out, pages := runOnce(3)
	if !strings.Contains(out, "pages written: 1\n") {
		t.Errorf("run 3 did not write exactly one page:\n%s", out)
	}
	if want := []string{"pages/a/a5.md", "pages/a/a6.md", "pages/a/b1.md"}; !slices.Equal(pages, want) {
		t.Errorf("after run 3 the remote holds %v, want %v (no retired page back, none twice)", pages, want)
	}
	if got := actionGit(t, r.remote, "rev-list", "--count", "newsmirror-state"); got != "3" {
		t.Errorf("the remote's state branch has %s commits after 3 committing runs", got)
	}
}
