package publish_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// newObjects lists the paths of the objects commit adds to its parent's
// ("" for the commit and its root tree).
func newObjects(t *testing.T, dir, commit string) []string {
	t.Helper()
	out := git(t, dir, "rev-list", "--objects", commit, "^"+commit+"~1")
	var paths []string
	for _, line := range strings.Split(out, "\n") {
		_, name, _ := strings.Cut(line, " ")
		paths = append(paths, name)
	}
	slices.Sort(paths)
	return paths
}

func TestSaveStateWritesOnlyTheFilesThatChanged(t *testing.T) {
	for _, format := range []string{"sha1", "sha256"} {
		t.Run(format, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			git(t, dir, "init", "-q", "--object-format="+format, "-b", "main")
			repo, err := publish.OpenRepo(ctx, dir, "t <t@x>")
			if err != nil {
				t.Fatal(err)
			}
			first := map[string][]byte{
				"state.jsonl":           []byte("header 1\n"),
				"days/2026-03/01.jsonl": []byte("march 1\n"),
				"days/2026-03/02.jsonl": []byte("march 2\n"),
				"days/2026-04/01.jsonl": []byte("april 1\n"),
			}
			c1, err := repo.SaveState(ctx, first, "m1", time.Time{})
			if err != nil || c1 == "" {
				t.Fatalf("first save: %q, %v", c1, err)
			}
			// The header changes, a day is added to April; March is as it was.
			second := maps.Clone(first)
			second["state.jsonl"] = []byte("header 2\n")
			second["days/2026-04/02.jsonl"] = []byte("april 2\n")
			c2, err := repo.SaveState(ctx, second, "m2", time.Time{})
			if err != nil || c2 == "" {
				t.Fatalf("second save: %q, %v", c2, err)
			}
			want := []string{"", "", "days", "days/2026-04", "days/2026-04/02.jsonl", "state.jsonl"}
			if got := newObjects(t, dir, c2); !slices.Equal(got, want) {
				t.Errorf("the second commit adds %q, want %q (March's files and folder kept)", got, want)
			}
			s, found, err := repo.LoadState(ctx)
			if err != nil || !found || s.Main != "m2" || s.Ref != publish.StateRef {
				t.Fatalf("load: %+v, %v, %v", s, found, err)
			}
			if !maps.EqualFunc(s.Files, second, func(a, b []byte) bool { return string(a) == string(b) }) {
				t.Errorf("loaded %q, want %q", s.Files, second)
			}
			// A day that is gone from the export is gone from the tree.
			third := maps.Clone(second)
			delete(third, "days/2026-03/01.jsonl")
			third["state.jsonl"] = []byte("header 3\n")
			if _, err := repo.SaveState(ctx, third, "m3", time.Time{}); err != nil {
				t.Fatal(err)
			}
			if got := git(t, dir, "ls-tree", "-r", "--name-only", publish.StateBranch); got != "days/2026-03/02.jsonl\ndays/2026-04/01.jsonl\ndays/2026-04/02.jsonl\nstate.jsonl" {
				t.Errorf("tree after a day is dropped:\n%s", got)
			}
			if again, err := repo.SaveState(ctx, third, "m3", time.Time{}); err != nil || again != "" {
				t.Errorf("saving the same files again made commit %q (%v), want none", again, err)
			}
			git(t, dir, "fsck", "--strict", "--no-progress")
		})
	}
}
