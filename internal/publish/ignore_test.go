package publish_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/publish"
)

func TestManageIgnoreKeepsEveryLineOutsideItsBlock(t *testing.T) {
	block := publish.IgnoreBegin + "\n/.newsmirror/\n" + publish.IgnoreEnd + "\n"
	for _, tt := range []struct{ name, old, want string }{
		{"missing file", "", block},
		{"operator's file", "bin/\n*.log\n", "bin/\n*.log\n" + block},
		{"no final newline", "bin/", "bin/\n" + block},
		{"CRLF kept", "bin/\r\n", "bin/\r\n" + block},
		{"block in the middle, edited", "a\n" + publish.IgnoreBegin + "\nold\nmine\n" + publish.IgnoreEnd + "\nb", "a\n" + block + "b"},
		{"block with another comment", "# BEGIN newsmirror\nx\n# END newsmirror\n", block},
		{"file written whole by an older newsmirror", "/.newsmirror/\n/.tmp/\n.tmp-*\n", block},
		{"older file the operator added to", "/.newsmirror/\n/.tmp/\n.tmp-*\nmine/\n", "mine/\n" + block},
	} {
		got, err := publish.ManageIgnore([]byte(tt.old), []string{"/.newsmirror/"})
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, err, tt.want)
		}
		again, _ := publish.ManageIgnore(got, []string{"/.newsmirror/"})
		if string(again) != string(got) {
			t.Errorf("%s: a second pass changed the file to %q", tt.name, again)
		}
	}
}

func TestManageIgnoreRefusesBlockItCannotFindAgain(t *testing.T) {
	for _, old := range []string{
		"a\n# BEGIN newsmirror\n/.newsmirror/\n", // no end
		"# BEGIN newsmirror\n# END newsmirror\n# BEGIN newsmirror\n# END newsmirror\n",
	} {
		_, err := publish.ManageIgnore([]byte(old), []string{"/.newsmirror/"})
		var bad *publish.IgnoreBlockError
		if !errors.As(err, &bad) || bad.Line == 0 || !strings.Contains(err.Error(), "by hand") {
			t.Errorf("%q: %v, want an IgnoreBlockError with its line", old, err)
		}
	}
}

func TestTreeRefusesFilesItDoesNotOwn(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "LICENSE"), []byte("MIT\n"), 0o644)
	tree := publish.Tree{Dir: dir, Owns: func(rel string) bool { return strings.HasPrefix(rel, "pages/") }}
	var notOwned *publish.NotOwnedError
	if _, err := tree.Write("LICENSE", []byte("x")); !errors.As(err, &notOwned) || notOwned.Op != "write" {
		t.Errorf("write LICENSE: %v, want a NotOwnedError", err)
	}
	if err := tree.Remove("LICENSE"); !errors.As(err, &notOwned) || notOwned.Op != "remove" {
		t.Errorf("remove LICENSE: %v, want a NotOwnedError", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "LICENSE")); string(b) != "MIT\n" {
		t.Errorf("LICENSE = %q", b)
	}
	if _, err := tree.Write("pages/a/1.md", []byte("x")); err != nil {
		t.Errorf("write an owned page: %v", err)
	}
}

func TestFolderCheckListsWhatWouldBeOverwritten(t *testing.T) {
	dir := t.TempDir()
	for _, rel := range []string{"README.md", "LICENSE", "pages/x.md", "config.yaml", ".git/HEAD", ".newsmirror/demo.yaml"} {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	f := publish.Folder{Dir: dir, State: filepath.Join(dir, ".newsmirror", "state.db"),
		Inputs: []string{filepath.Join(dir, "config.yaml")},
		Claims: func(rel string) bool { return rel == "README.md" || strings.HasPrefix(rel, "pages/") }}
	err := f.Check()
	var foreign *publish.ForeignError
	if !errors.As(err, &foreign) {
		t.Fatalf("Check: %v, want a ForeignError", err)
	}
	if got := strings.Join(foreign.Files, ","); got != "LICENSE,README.md,pages/x.md" {
		t.Errorf("files = %s (git's, newsmirror's and the inputs left out)", got)
	}
	if got := strings.Join(foreign.Overwrite, ","); got != "README.md,pages/x.md" {
		t.Errorf("overwrite = %s", got)
	}
	os.WriteFile(f.State, nil, 0o644)
	if err := f.Check(); err != nil {
		t.Errorf("folder with a state database: %v", err)
	}
}
