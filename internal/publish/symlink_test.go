package publish_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/newsmirror/newsmirror/internal/publish"
)

func TestTreeReplacesSymlinksInsteadOfWritingThroughThem(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(dir, "pages"), 0o755)
	os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
	os.WriteFile(filepath.Join(outside, "victim"), []byte("keep"), 0o644)
	links := map[string]string{
		"pages/c1":        outside,                           // a folder out of the tree
		"indexes":         filepath.Join(outside, "indexes"), // a missing folder out of it
		"pages/c2":        "../assets",                       // a folder inside it
		"README.md":       filepath.Join(outside, "victim"),  // a file out of it
		"assets/a.png":    "../pages/c2/x",                   // a file inside it
		".newsmirror/tmp": outside,                           // the temporary folder
	}
	for link, target := range links {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, link)), 0o755)
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	tree := publish.Tree{Dir: dir}
	for _, rel := range []string{"pages/c1/1.md", "indexes/X.md", "pages/c2/2.md", "README.md", "assets/a.png"} {
		if _, err := tree.Write(rel, []byte("new "+rel)); err != nil {
			t.Fatalf("write %s: %v", rel, err)
		}
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s is not a regular file in the tree: %v, %v", rel, fi, err)
		}
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 1 {
		t.Errorf("the tree wrote outside itself: %v", entries)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "victim")); string(b) != "keep" {
		t.Errorf("a file outside the tree was overwritten: %q", b)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "assets")); len(entries) != 1 {
		t.Errorf("a write through pages/c2 landed in assets/: %v", entries)
	}
	if err := tree.Remove("pages/c9"); err != nil {
		t.Fatal(err)
	}
	os.Symlink(filepath.Join(outside, "victim"), filepath.Join(dir, "pages", "gone.md"))
	if err := tree.Remove("pages/gone.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(outside, "victim")); err != nil {
		t.Errorf("removing a symbolic link removed its target: %v", err)
	}
	if tree.Exists("README.md") != true || tree.Exists("pages/gone.md") {
		t.Error("Exists is wrong about regular files and links")
	}
}

// Writers running at once under one planted link: whichever replaces it
// first, every write lands inside the tree and none fails on the folder
// another writer made in its place.
func TestConcurrentWritesReplaceOnePlantedLink(t *testing.T) {
	for round := range 20 {
		dir, outside := t.TempDir(), t.TempDir()
		os.MkdirAll(filepath.Join(dir, "pages"), 0o755)
		if err := os.Symlink(outside, filepath.Join(dir, "pages", "c1")); err != nil {
			t.Fatal(err)
		}
		tree := publish.Tree{Dir: dir}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Go(func() {
				if _, err := tree.Write(fmt.Sprintf("pages/c1/%d.md", i), []byte("page")); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("round %d: %v", round, err)
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Fatalf("round %d: writes landed outside the tree: %v", round, entries)
		}
		if entries, _ := os.ReadDir(filepath.Join(dir, "pages", "c1")); len(entries) != 8 {
			t.Fatalf("round %d: %d pages in the real folder, want 8", round, len(entries))
		}
	}
}
