package owner_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/owner"
	"github.com/newsmirror/newsmirror/internal/publish"
)

const configText = `output:
  dir: OUT
site:
  title: 测试镜像
  hot_name: 热点
sources:
  - id: ex
    name: 示例网
    prefix: X
    rules: {body: div.article}
    variants: [{convert: s2t, dir: zh-Hant}]
    channels:
      - {id: live, name: 直播, feed: "http://news.example.test/live.xml"}
      - {id: world, name: 国际, feed: "http://news.example.test/world.xml"}
`

func parse(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse("config.yaml", []byte(configText))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestOwnsOnlyWhatTheConfigurationMakesNewsmirrors(t *testing.T) {
	f := owner.New(parse(t))
	cases := map[string]bool{
		".gitignore":                   true,
		"README.md":                    true,
		"index.html":                   true,
		"index.xml":                    true,
		"style.css":                    true,
		"indexes/X直播.md":               true,
		"indexes/X直播-earlier.html":     true,
		"indexes/热点.xml":               true,
		"pages/live/abc123.md":         true,
		"pages/world/abc123.html":      true,
		"assets/ab/abcdef.png":         true,
		"zh-Hant/README.md":            true,
		"zh-Hant/pages/live/abc123.md": true,
		"zh-Hant/indexes/X国际.md":       true,
		"LICENSE":                      false,
		"CNAME":                        false,
		".github/workflows/pages.yml":  false,
		"indexes/notes.md":             false, // no channel's index
		"indexes/X直播":                  false, // no extension
		"pages/sports/abc123.md":       false, // not a channel here
		"pages/live/sub/abc123.md":     false,
		"pages/live/":                  false,
		"docs/README.md":               false,
		"zh-Hans/README.md":            false, // not a variant folder
		"zh-Hant/LICENSE":              false,
	}
	for rel, want := range cases {
		if got := f.Owns(rel); got != want {
			t.Errorf("Owns(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestNamedAreTheFilesAnOperatorMayHaveWritten(t *testing.T) {
	f := owner.New(parse(t))
	cases := map[string]bool{
		"README.md":            true,
		"zh-Hant/style.css":    true,
		"indexes/X直播.md":       true,
		"pages/live/abc123.md": false, // the state database's
		"assets/ab/abcdef.png": false,
		".gitignore":           false, // shared by its block
		"LICENSE":              false, // not newsmirror's at all
	}
	for rel, want := range cases {
		if got := f.Named(rel); got != want {
			t.Errorf("Named(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestFileOfAnInterruptedRunStaysNewsmirrorsAfterItsChannelLeft(t *testing.T) {
	f := owner.New(parse(t))
	const gone = "pages/sports/abc123.md"
	if f.Owns(gone) {
		t.Fatal("a page of no channel is owned")
	}
	f.Interrupted(gone)
	if !f.Owns(gone) || f.Named(gone) {
		t.Errorf("interrupted page: Owns %v Named %v, want owned and not named", f.Owns(gone), f.Named(gone))
	}
}

// watched returns the files of cfg watching a new repository.
func watched(t *testing.T, dir string, opts owner.Options) *owner.Files {
	t.Helper()
	repo, err := publish.OpenRepo(context.Background(), dir, "test <test@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	f := owner.New(parse(t))
	if err := f.Watch(context.Background(), repo, opts); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestOperatorsFileAtANamedPathIsNeverReplaced(t *testing.T) {
	f := watched(t, t.TempDir(), owner.Options{})
	var notOwned *publish.NotOwnedError
	if err := f.Replacing("README.md"); !errors.As(err, &notOwned) || notOwned.Path != "README.md" || notOwned.Op != "replace" {
		t.Errorf("Replacing an operator's README.md: %v", err)
	}
	if err := f.Replacing("pages/live/abc123.md"); err != nil {
		t.Errorf("a page is refused: %v", err)
	}
	adopted := watched(t, t.TempDir(), owner.Options{Adopt: true})
	if err := adopted.Replacing("README.md"); err != nil {
		t.Errorf("adopted folder: %v", err)
	}
}

func TestTrackedNamedFileIsNewsmirrors(t *testing.T) {
	dir := t.TempDir()
	repo, err := publish.OpenRepo(context.Background(), dir, "test <test@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# 镜像\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Commit(context.Background(), []string{"README.md"}, "first", time.Now()); err != nil {
		t.Fatal(err)
	}
	f := watched(t, dir, owner.Options{})
	if err := f.Replacing("README.md"); err != nil {
		t.Errorf("tracked README.md: %v", err)
	}
	if err := f.Replacing("index.html"); err == nil {
		t.Error("untracked index.html may be replaced")
	}
}

func TestCreatedFileOutlivesAKilledRunUntilCommitted(t *testing.T) {
	dir := t.TempDir()
	f := watched(t, dir, owner.Options{})
	if err := f.Creating("indexes/X直播.md"); err != nil {
		t.Fatal(err)
	}
	if err := f.Creating("pages/live/abc123.md"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(owner.CreatedLog)))
	if err != nil || string(data) != "indexes/X直播.md\n" {
		t.Fatalf("created log %q, %v: want the named file only", data, err)
	}
	// The run is killed; the next one finds the file its own.
	next := watched(t, dir, owner.Options{})
	if err := next.Replacing("indexes/X直播.md"); err != nil {
		t.Errorf("after a killed run: %v", err)
	}
	if err := next.Committed(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(owner.CreatedLog))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("created log left after the commit: %v", err)
	}
	if err := next.Replacing("indexes/X直播.md"); err == nil {
		t.Error("committed but untracked file may still be replaced")
	}
}

func TestDryRunRemembersCreatedFilesWithoutWriting(t *testing.T) {
	dir := t.TempDir()
	f := watched(t, dir, owner.Options{Dry: true})
	if err := f.Creating("README.md"); err != nil {
		t.Fatal(err)
	}
	if err := f.Replacing("README.md"); err != nil {
		t.Errorf("created in the dry run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(owner.CreatedLog))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dry run wrote the created log: %v", err)
	}
}

func TestFolderHoldingOperatorsFilesIsForeign(t *testing.T) {
	cfg := parse(t)
	cfg.Output.Dir = t.TempDir()
	if err := owner.Folder(cfg).Check(); err != nil {
		t.Fatalf("empty folder: %v", err)
	}
	for _, name := range []string{"LICENSE", "README.md"} {
		if err := os.WriteFile(filepath.Join(cfg.Output.Dir, name), []byte("mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var foreign *publish.ForeignError
	if err := owner.Folder(cfg).Check(); !errors.As(err, &foreign) {
		t.Fatalf("Check = %v, want a *publish.ForeignError", err)
	}
	if len(foreign.Overwrite) != 1 || foreign.Overwrite[0] != "README.md" {
		t.Errorf("would overwrite %v, want [README.md]", foreign.Overwrite)
	}
}
