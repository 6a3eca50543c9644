package mirror_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// operatorFiles are files an operator keeps in a mirror, newsmirror's own
// folders included.
var operatorFiles = map[string]string{
	"LICENSE":                   "CC BY 4.0\n",
	"CNAME":                     "news.example.org\n",
	".github/workflows/x.yml":   "on: push\njobs: {}\n",
	"pages/about.md":            "# 关于本站\n",
	"pages/a/notes.md":          "operator's notes inside a channel folder\n",
	"pages/mine/x.md":           "an operator's own page\n",
	"indexes/mine.md":           "an operator's own list\n",
	"assets/logo.svg":           "<svg/>\n",
	"docs/README.md":            "not the home page\n",
	".tmp/keep-me.txt":          "a folder named like a temporary one\n",
	".gitattributes":            "*.md text\n",
	"pages/a/a1.md.operator.md": "beside a page, not one of its files\n",
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSyncNeverTouchesOperatorFilesThroughRetentionAndRebuild(t *testing.T) {
	f := newNewsFixture(t)
	arts := fakenews.Generate("a", 8, t0)
	f.site.Add("a", arts[:3]...)
	cfg := f.config(t, "indexes: {length: 2}\npublish: {keep: 3}", "a")
	f.sync(t, cfg, t0.Add(time.Hour))

	writeFiles(t, f.out, operatorFiles)
	gitOut(t, f.out, "add", ".")
	gitOut(t, f.out, "-c", "user.name=op", "-c", "user.email=op@example.org", "commit", "-q", "-m", "operator's files")

	f.site.Add("a", arts[3:6]...) // retention removes a1–a3
	if rep := f.sync(t, cfg, t0.Add(2*time.Hour)); len(rep.Removed) != 3 {
		t.Fatalf("retention removed %v, want 3 pages", rep.Removed)
	}
	f.site.Add("a", arts[6:]...)
	f.sync(t, cfg, t0.Add(3*time.Hour))
	cfg.Indexes.Length = 1
	if _, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Rebuild: true,
		Now: func() time.Time { return t0.Add(4 * time.Hour) }}); err != nil {
		t.Fatal(err)
	}

	tracked := gitOut(t, f.out, "ls-files")
	for rel, want := range operatorFiles {
		got, err := os.ReadFile(filepath.Join(f.out, filepath.FromSlash(rel)))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want it untouched (%q)", rel, got, err, want)
		}
		if !slices.Contains(strings.Split(tracked, "\n"), rel) {
			t.Errorf("%s dropped from the repository", rel)
		}
	}
	if st := gitOut(t, f.out, "status", "--porcelain"); st != "" {
		t.Errorf("working tree not clean after the runs:\n%s", st)
	}
}

func TestSyncKeepsOperatorLinesOfGitignore(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 2, t0)...)
	cfg := f.config(t, "", "a")
	f.sync(t, cfg, t0.Add(time.Hour))
	block := readFile(t, f.out, ".gitignore")
	if !strings.HasPrefix(block, "# BEGIN newsmirror") || !strings.Contains(block, "\n/.newsmirror/\n# END newsmirror\n") {
		t.Fatalf("new mirror's .gitignore is not newsmirror's block:\n%s", block)
	}
	// The operator adds lines before and after the block, without a final
	// newline, and edits inside it.
	mine := "# mine\r\nnode_modules/\n" + strings.Replace(block, "/.newsmirror/\n", "/.newsmirror/\nedited-inside\n", 1) + "*.log\n!keep.log"
	os.WriteFile(filepath.Join(f.out, ".gitignore"), []byte(mine), 0o644)
	gitOut(t, f.out, "-c", "user.name=op", "-c", "user.email=op@example.org", "commit", "-q", "-am", "my ignores")

	f.site.Add("a", fakenews.Generate("b", 1, t0.Add(time.Hour))...)
	if rep := f.sync(t, cfg, t0.Add(2*time.Hour)); rep.Commit == "" {
		t.Fatal("the run with a new article made no commit")
	}
	want := "# mine\r\nnode_modules/\n" + block + "*.log\n!keep.log"
	if got := readFile(t, f.out, ".gitignore"); got != want {
		t.Errorf(".gitignore after a run =\n%q\nwant\n%q", got, want)
	}
	if got := gitOut(t, f.out, "show", "HEAD:.gitignore"); got != strings.TrimSpace(want) {
		t.Errorf("committed .gitignore =\n%q", got)
	}
}

func TestSyncRefusesFolderHoldingSomeonesFiles(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 2, t0)...)
	theirs := map[string]string{"README.md": "# my project\n", "LICENSE": "MIT\n", "src/main.go": "package main\n", ".gitignore": "bin/\n"}
	writeFiles(t, f.out, theirs)
	cfg := f.config(t, "", "a")

	_, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client})
	var foreign *publish.ForeignError
	if !errors.As(err, &foreign) {
		t.Fatalf("sync into someone's folder: %v, want a ForeignError", err)
	}
	if !slices.Equal(foreign.Overwrite, []string{"README.md"}) {
		t.Errorf("would overwrite %v, want [README.md]", foreign.Overwrite)
	}
	if msg := err.Error(); !strings.Contains(msg, "LICENSE") || !strings.Contains(msg, "--adopt") {
		t.Errorf("message names neither the files nor the flag: %s", msg)
	}
	entries, _ := os.ReadDir(f.out)
	if len(entries) != 4 {
		t.Errorf("the refused run wrote into the folder: %d entries (no git init, no state, no lock wanted)", len(entries))
	}

	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Adopt: true, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) == 0 || !strings.Contains(strings.Join(rep.Warnings, "\n"), "README.md") {
		t.Errorf("adopting says nothing of the README.md it takes over: %v", rep.Warnings)
	}
	for rel, want := range theirs {
		got := readFile(t, f.out, rel)
		switch rel {
		case "README.md":
			if got == want {
				t.Errorf("adopted folder's home page is still the operator's")
			}
		case ".gitignore":
			if !strings.HasPrefix(got, want) || !strings.Contains(got, "# BEGIN newsmirror") {
				t.Errorf(".gitignore lost the operator's line or lacks the block:\n%s", got)
			}
		default:
			if got != want {
				t.Errorf("%s changed to %q", rel, got)
			}
		}
	}
	if files := gitOut(t, f.out, "ls-files"); strings.Contains(files, "LICENSE") || strings.Contains(files, "src/") {
		t.Errorf("newsmirror committed the operator's files:\n%s", files)
	}
	// Now a mirror: later runs need no flag.
	f.site.Add("a", fakenews.Generate("b", 1, t0.Add(time.Hour))...)
	f.sync(t, cfg, t0.Add(2*time.Hour))
}

func TestCheckFolderAcceptsNewEmptyAndClonedMirrors(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 1, t0)...)
	root := t.TempDir()
	cfgAt := func(dir string) error {
		f.out = dir
		return mirror.CheckFolder(f.config(t, "", "a"))
	}
	if err := cfgAt(filepath.Join(root, "missing")); err != nil {
		t.Errorf("missing folder: %v", err)
	}
	empty := filepath.Join(root, "empty")
	os.MkdirAll(filepath.Join(empty, ".git"), 0o755)
	os.MkdirAll(filepath.Join(empty, ".newsmirror"), 0o755)
	os.WriteFile(filepath.Join(empty, ".newsmirror", "demo.yaml"), nil, 0o644)
	if err := cfgAt(empty); err != nil {
		t.Errorf("folder with only .git and .newsmirror: %v", err)
	}
	// A fresh clone of a mirror has no state but newsmirror's block.
	mirrored := filepath.Join(root, "mirror")
	f.out = mirrored
	f.sync(t, f.config(t, "", "a"), t0.Add(time.Hour))
	clone := filepath.Join(root, "clone")
	gitOut(t, root, "clone", "-q", mirrored, clone)
	if err := cfgAt(clone); err != nil {
		t.Errorf("clone of a mirror: %v", err)
	}
	os.Remove(filepath.Join(clone, ".gitignore"))
	if err := cfgAt(clone); !errors.Is(err, publish.ErrForeign) {
		t.Errorf("clone without newsmirror's block or state: %v, want ErrForeign", err)
	}
}

func TestSyncLeavesOperatorFileWhereItWritesForTheFirstTime(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 1, t0)...)
	f.sync(t, f.config(t, "", "a"), t0.Add(time.Hour))

	// The operator keeps an index.html of their own; then turns the HTML
	// site on, whose home page is index.html.
	writeFiles(t, f.out, map[string]string{"index.html": "<h1>my page</h1>\n"})
	cfg := f.config(t, "  html: {enabled: true}", "a")
	f.site.Add("a", fakenews.Generate("b", 1, t0.Add(time.Hour))...)
	rep := f.sync(t, cfg, t0.Add(2*time.Hour))
	if got := readFile(t, f.out, "index.html"); got != "<h1>my page</h1>\n" {
		t.Errorf("the operator's index.html was replaced:\n%s", got)
	}
	if w := strings.Join(rep.Warnings, "\n"); !strings.Contains(w, "refusing to replace index.html") || !strings.Contains(w, "--adopt") {
		t.Errorf("no warning naming index.html and --adopt: %v", rep.Warnings)
	}
	if rep.Commit == "" || !strings.Contains(gitOut(t, f.out, "ls-files"), "pages/a/b1.html") {
		t.Errorf("the rest of the run was not committed (commit %q)", rep.Commit)
	}
	if strings.Contains(gitOut(t, f.out, "ls-files"), "index.html\n") {
		t.Error("newsmirror committed the operator's index.html")
	}
	// Files newsmirror created and committed are its own from then on.
	f.site.Add("a", fakenews.Generate("c", 1, t0.Add(2*time.Hour))...)
	rep = f.sync(t, cfg, t0.Add(3*time.Hour))
	if w := strings.Join(rep.Warnings, "\n"); strings.Contains(w, "indexes/") || strings.Contains(w, "README") {
		t.Errorf("newsmirror's own files refused: %v", rep.Warnings)
	}

	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Adopt: true, Rebuild: true,
		Now: func() time.Time { return t0.Add(4 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, f.out, "index.html"); got == "<h1>my page</h1>\n" {
		t.Error("--adopt did not let newsmirror take index.html")
	}
}
