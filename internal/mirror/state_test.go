package mirror_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// stateFixture is a site, a bare remote and a first mirror that has
// mirrored a1–a6 with publish.keep 3: a1–a3 retired, a4–a6 live.
type stateFixture struct {
	*newsFixture
	bare string
	cfg  *config.Config
}

func newStateFixture(t *testing.T) *stateFixture {
	t.Helper()
	f := &stateFixture{newsFixture: newNewsFixture(t)}
	f.bare = filepath.Join(t.TempDir(), "up.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", f.bare).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	f.cfg = f.config(t, f.extra(), "a")
	arts := fakenews.Generate("a", 6, t0)
	f.site.Add("a", arts[:3]...)
	f.sync(t, f.cfg, t0.Add(time.Hour))
	f.site.Add("a", arts[3:]...)
	rep := f.sync(t, f.cfg, t0.Add(2*time.Hour))
	if !sameSet(rep.Removed, pagesOf("a", 1, 2, 3)) || rep.StateBytes == 0 || rep.Pushes[0].Err != nil {
		t.Fatalf("setup: removed %v, state export %d bytes, push %v", rep.Removed, rep.StateBytes, rep.Pushes)
	}
	return f
}

func (f *stateFixture) extra() string {
	return "publish:\n  keep: 3\n  remotes: [{name: up, url: \"file://" + f.bare + "\"}]"
}

// pages lists the article pages committed in the mirror at dir.
func committedPages(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range strings.Split(gitOut(t, dir, "ls-tree", "-r", "--name-only", "HEAD", "pages"), "\n") {
		if strings.HasSuffix(f, ".md") {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// checkOneNewPage runs the mirror at dir with one new article b1 and
// checks that b1 is the only page written and that keep holds with no
// retired page back and none twice.
func (f *stateFixture) checkOneNewPage(t *testing.T, cfg *config.Config, now time.Time) {
	t.Helper()
	f.site.Add("a", fakenews.Generate("b", 1, t0.Add(time.Hour))...)
	rep := f.sync(t, cfg, now)
	if !slices.Equal(rep.Written, []string{"pages/a/b1.md"}) {
		t.Errorf("written = %v, want exactly pages/a/b1.md", rep.Written)
	}
	want := []string{"pages/a/a5.md", "pages/a/a6.md", "pages/a/b1.md"}
	if got := committedPages(t, cfg.Output.Dir); !slices.Equal(got, want) {
		t.Errorf("committed pages = %v, want %v (no retired page back, none twice)", got, want)
	}
	if !sameSet(rep.Removed, pagesOf("a", 4)) {
		t.Errorf("removed = %v, want a4 (retention goes on from the old host's state)", rep.Removed)
	}
	if idx := readFile(t, cfg.Output.Dir, "indexes/Xa.md"); strings.Contains(idx, "a1.md") || strings.Contains(idx, "a4.md") {
		t.Errorf("index links a retired page:\n%s", idx)
	}
}

func TestFreshCloneImportsStateAndMirrorsOnlyTheNewArticle(t *testing.T) {
	f := newStateFixture(t)
	if got := gitOut(t, f.bare, "rev-parse", publish.StateBranch); got == "" {
		t.Fatal("the remote has no state branch")
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	gitOut(t, filepath.Dir(fresh), "clone", "-q", "file://"+f.bare, fresh)
	cfg := f.config(t, f.extra(), "a")
	cfg.Output.Dir = fresh
	f.checkOneNewPage(t, cfg, t0.Add(3*time.Hour))
	if _, err := os.Stat(cfg.StatePath()); err != nil {
		t.Errorf("no state database after the run: %v", err)
	}
	// The new host's export continues the old one's branch: a fast-forward.
	if err := exec.Command("git", "-C", f.bare, "merge-base", "--is-ancestor",
		gitOut(t, filepath.Dir(fresh), "-C", fresh, "rev-parse", "refs/remotes/origin/"+publish.StateBranch),
		publish.StateBranch).Run(); err != nil {
		t.Errorf("the remote's state branch does not continue the clone's: %v", err)
	}
}

// TestMovingTheStateToPostgreSQLImportsTheExport: an operator points
// output.state at an empty PostgreSQL database; the first run fills it
// from the mirror's export and goes on where the SQLite file left off.
func TestMovingTheStateToPostgreSQLImportsTheExport(t *testing.T) {
	f := newStateFixture(t)
	cfg := f.config(t, f.extra(), "a")
	cfg.Output.State = storetest.PostgresState(t)
	f.checkOneNewPage(t, cfg, t0.Add(3*time.Hour))
	// The next run finds the database filled: nothing is imported again
	// and nothing mirrored again.
	rep := f.sync(t, cfg, t0.Add(4*time.Hour))
	if len(rep.Written) != 0 || len(rep.Removed) != 0 {
		t.Errorf("a run on the filled database wrote %v and removed %v", rep.Written, rep.Removed)
	}
}

func TestDeletedStateFolderIsImportedFromTheLocalBranch(t *testing.T) {
	f := newStateFixture(t)
	if err := os.RemoveAll(filepath.Join(f.out, publish.OwnDir)); err != nil {
		t.Fatal(err)
	}
	f.checkOneNewPage(t, f.cfg, t0.Add(3*time.Hour))
}

func TestUpstreamCloneFetchesTheStateBranch(t *testing.T) {
	f := newStateFixture(t)
	cfg := f.config(t, f.extra()+"\n  upstream: up", "a")
	cfg.Output.Dir = filepath.Join(t.TempDir(), "new-host")
	f.checkOneNewPage(t, cfg, t0.Add(3*time.Hour))
}

func TestStaleExportIsReconciledWithTheMirrorsLastCommit(t *testing.T) {
	f := newStateFixture(t)
	// The host died between its last commit and its export: the state
	// branch describes the commit before (a1–a3 live, a4–a6 unknown).
	gitOut(t, f.out, "update-ref", publish.StateRef, publish.StateRef+"~1")
	if err := os.RemoveAll(filepath.Join(f.out, publish.OwnDir)); err != nil {
		t.Fatal(err)
	}
	f.site.Add("a", fakenews.Generate("b", 1, t0.Add(time.Hour))...)
	rep := f.sync(t, f.cfg, t0.Add(3*time.Hour))
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool {
		return strings.Contains(w, "3 pages it lists are gone") && strings.Contains(w, "3 of them taken back")
	}) {
		t.Errorf("no reconcile warning naming the 3 retired pages and the 3 taken back: %q", rep.Warnings)
	}
	if !slices.Equal(rep.Written, []string{"pages/a/b1.md"}) {
		t.Errorf("written = %v, want only b1 (a4–a6 are known again from their pages)", rep.Written)
	}
	want := []string{"pages/a/a5.md", "pages/a/a6.md", "pages/a/b1.md"}
	if got := committedPages(t, f.out); !slices.Equal(got, want) {
		t.Errorf("committed pages = %v, want %v (a1–a3 stay retired, a4 retired in turn, none twice)", got, want)
	}
	// The next export describes the new commit again.
	if msg := gitOut(t, f.out, "log", "-1", "--format=%s", publish.StateBranch); !strings.HasSuffix(msg, gitOut(t, f.out, "rev-parse", "HEAD")) {
		t.Errorf("state branch tip %q does not describe HEAD", msg)
	}
}

func TestStateExportLeavesTreeIndexAndMainUntouched(t *testing.T) {
	f := newStateFixture(t)
	if got := gitOut(t, f.out, "status", "--porcelain"); got != "" {
		t.Errorf("working tree or index changed:\n%s", got)
	}
	if files := gitOut(t, f.out, "ls-tree", "-r", "--name-only", "HEAD"); strings.Contains(files, publish.StateFile) {
		t.Errorf("the state export is in the mirror's branch:\n%s", files)
	}
	if files := gitOut(t, f.out, "ls-tree", "--name-only", publish.StateBranch); files != store.DayDir+"\n"+publish.StateFile {
		t.Errorf("state branch holds %q, want only %s and %s", files, store.DayDir, publish.StateFile)
	}
	// One commit per committing run; a run with nothing new adds none.
	n := gitOut(t, f.out, "rev-list", "--count", publish.StateBranch)
	f.sync(t, f.cfg, t0.Add(3*time.Hour))
	if got := gitOut(t, f.out, "rev-list", "--count", publish.StateBranch); got != n || n != "2" {
		t.Errorf("state commits: %s after two committing runs, %s after a run with nothing new", n, got)
	}
}

// TestStateExportKeepsTheFilesOfDaysASyncLeftAlone: a sync that mirrors
// an article of a new day and retires one of the day before adds the
// blobs of those two days and of the main file; the day it did not touch
// keeps its blob.
func TestStateExportKeepsTheFilesOfDaysASyncLeftAlone(t *testing.T) {
	f := newStateFixture(t) // a1–a6 published on May 1st
	f.site.Add("a", fakenews.Generate("c", 3, t0.Add(48*time.Hour))...)
	f.sync(t, f.cfg, t0.Add(49*time.Hour)) // c1–c3, May 3rd; a4–a6 retired
	mayFirst := "days/2024-05/01.jsonl"
	before := gitOut(t, f.out, "rev-parse", publish.StateBranch+":"+mayFirst)

	f.site.Add("a", fakenews.Generate("d", 1, t0.Add(96*time.Hour))...)
	rep := f.sync(t, f.cfg, t0.Add(97*time.Hour)) // d1, May 5th; c1 retired
	if !slices.Equal(rep.Written, []string{"pages/a/d1.md"}) || !slices.Equal(rep.Removed, []string{"pages/a/c1.md"}) {
		t.Fatalf("sync wrote %v and removed %v, want d1 and c1", rep.Written, rep.Removed)
	}
	if after := gitOut(t, f.out, "rev-parse", publish.StateBranch+":"+mayFirst); after != before {
		t.Errorf("%s changed (%s → %s) though the sync left May 1st alone", mayFirst, before, after)
	}
	var blobs []string
	for _, line := range strings.Split(gitOut(t, f.out, "rev-list", "--objects", publish.StateBranch, "^"+publish.StateBranch+"~1"), "\n") {
		if _, name, _ := strings.Cut(line, " "); strings.HasSuffix(name, ".jsonl") {
			blobs = append(blobs, name)
		}
	}
	slices.Sort(blobs)
	if want := []string{"days/2024-05/03.jsonl", "days/2024-05/05.jsonl", publish.StateFile}; !slices.Equal(blobs, want) {
		t.Errorf("the sync's export added the blobs of %q, want %q", blobs, want)
	}
}

// TestSingleFileExportOfOlderVersionsIsImported: a mirror whose state
// branch holds the one state.jsonl of format 1 (newsmirror before the
// export was split by day) is imported as before.
func TestSingleFileExportOfOlderVersionsIsImported(t *testing.T) {
	f := newStateFixture(t)
	ctx := context.Background()
	db, err := store.Open(ctx, f.cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	head := gitOut(t, f.out, "rev-parse", "HEAD")
	err = db.Export(ctx, &buf, head)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	header, rows, _ := strings.Cut(buf.String(), "\n")
	var h store.ExportHeader
	if err := json.Unmarshal([]byte(header), &h); err != nil || h.Format != 2 {
		t.Fatalf("export header %s (%v)", header, err)
	}
	old := fmt.Sprintf(`{"_table":"newsmirror-state","commit":%q,"format":1,"schema":%d}`, head, h.Schema) + "\n" + rows
	repo, err := publish.OpenRepo(ctx, f.out, "t <t@x>")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.SaveState(ctx, map[string][]byte{publish.StateFile: []byte(old)}, head, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := gitOut(t, f.out, "ls-tree", "-r", "--name-only", publish.StateBranch); got != publish.StateFile {
		t.Fatalf("state branch holds %q, want the one file of format 1", got)
	}
	if err := os.RemoveAll(filepath.Join(f.out, publish.OwnDir)); err != nil {
		t.Fatal(err)
	}
	f.checkOneNewPage(t, f.cfg, t0.Add(3*time.Hour))
	if got := gitOut(t, f.out, "ls-tree", "--name-only", publish.StateBranch); got != store.DayDir+"\n"+publish.StateFile {
		t.Errorf("the next export holds %q, want the files of format 2", got)
	}
}
