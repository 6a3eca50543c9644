package overlay_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/overlay"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// mirrorDir is a mirror folder holding README.md and pages/a.md, and an
// operator's LICENSE.
func mirrorDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for rel, text := range map[string]string{"README.md": "# home\n", "pages/a.md": "a\n", "LICENSE": "mine\n"} {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// snapshot is every file under dir with its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func owned(rel string) bool { return rel != "LICENSE" }

func TestOverlayListsWhatTheRunWouldChangeAndWritesNothing(t *testing.T) {
	dir := mirrorDir(t)
	before := snapshot(t, dir)
	tr := overlay.New(publish.Tree{Dir: dir, Owns: owned})
	write := func(rel, text string, wantChanged bool) {
		t.Helper()
		changed, err := tr.Write(rel, []byte(text))
		if err != nil || changed != wantChanged {
			t.Fatalf("Write(%s) = %v, %v; want changed %v", rel, changed, err, wantChanged)
		}
	}
	write("README.md", "# home\n", false) // as it is on disk
	write("pages/a.md", "a, edited\n", true)
	write("pages/b.md", "b\n", true)
	write("pages/b.md", "b\n", false) // as the run wrote it
	write("pages/c.md", "c\n", true)
	if err := tr.Remove("pages/c.md"); err != nil { // created and removed again: none
		t.Fatal(err)
	}
	if err := tr.Remove("README.md"); err != nil {
		t.Fatal(err)
	}
	if tr.Exists("README.md") || !tr.Exists("pages/b.md") || tr.Exists("pages/c.md") || !tr.Exists("LICENSE") {
		t.Error("Exists does not answer as the mirror after the run's writes")
	}
	var got []string
	for _, c := range tr.Changes() {
		got = append(got, c.Op+" "+c.Path)
	}
	want := []string{"D README.md", "M pages/a.md", "A pages/b.md"}
	if !slices.Equal(got, want) {
		t.Errorf("Changes = %v, want %v", got, want)
	}
	if err := tr.Sync([]string{"pages/b.md"}); err != nil {
		t.Fatal(err)
	}
	after := snapshot(t, dir)
	if len(after) != len(before) {
		t.Fatalf("files on disk changed: %v", after)
	}
	for p, text := range before {
		if after[p] != text {
			t.Errorf("%s changed on disk", p)
		}
	}
}

func TestOverlayRefusesWhatTheRealTreeRefuses(t *testing.T) {
	dir := mirrorDir(t)
	tr := overlay.New(publish.Tree{Dir: dir, Owns: owned})
	var notOwned *publish.NotOwnedError
	if _, err := tr.Write("LICENSE", []byte("theirs\n")); !errors.As(err, &notOwned) || notOwned.Op != "write" {
		t.Errorf("write of the operator's file: %v", err)
	}
	if err := tr.Remove("LICENSE"); !errors.As(err, &notOwned) || notOwned.Op != "remove" {
		t.Errorf("removal of the operator's file: %v", err)
	}
	for _, rel := range []string{"../outside.md", "/etc/passwd", ".git/config", "."} {
		if _, err := tr.Write(rel, []byte("x")); err == nil || !strings.Contains(err.Error(), "outside the mirror") {
			t.Errorf("Write(%q) = %v, want refused as outside the mirror", rel, err)
		}
	}
	if len(tr.Changes()) != 0 {
		t.Errorf("refused writes listed: %v", tr.Changes())
	}
}

func TestOverlayAsksTheOwnerBeforeCreatingOrReplacing(t *testing.T) {
	dir := mirrorDir(t)
	var created, replaced []string
	refuse := errors.New("not yours")
	tr := overlay.New(publish.Tree{Dir: dir, Owns: owned,
		Creating: func(rel string) error { created = append(created, rel); return nil },
		Replacing: func(rel string) error {
			replaced = append(replaced, rel)
			if rel == "README.md" {
				return refuse
			}
			return nil
		}})
	if _, err := tr.Write("pages/new.md", []byte("n\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Write("pages/a.md", []byte("a2\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Write("README.md", []byte("# other\n")); !errors.Is(err, refuse) {
		t.Errorf("refused replacement: %v", err)
	}
	if !slices.Equal(created, []string{"pages/new.md"}) || !slices.Equal(replaced, []string{"pages/a.md", "README.md"}) {
		t.Errorf("created %v, replaced %v", created, replaced)
	}
	for _, c := range tr.Changes() {
		if c.Path == "README.md" {
			t.Error("a refused replacement is listed as a change")
		}
	}
}
