package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/fakenews"
)

func TestDemoRefusesFolderHoldingSomeonesFilesUnlessAdopted(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("# my project\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "LICENSE"), []byte("MIT\n"), 0o644)

	code, _, stderr := run(t, "demo", "--dir", dir)
	if code != cli.ExitUsage {
		t.Errorf("demo into someone's folder: exit %d, want %d", code, cli.ExitUsage)
	}
	for _, want := range []string{"not a newsmirror mirror", "would overwrite README.md", "LICENSE", "--adopt"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message lacks %q:\n%s", want, stderr)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the refused demo left %d entries in the folder, want the 2 it found", len(entries))
	}

	code, stdout, stderr := run(t, "demo", "--dir", dir, "--adopt")
	if code != cli.ExitOK {
		t.Fatalf("demo --adopt: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "newsmirror now owns and rewrites README.md") {
		t.Errorf("adopting does not say README.md is taken over:\n%s", stdout)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "LICENSE")); string(b) != "MIT\n" {
		t.Errorf("LICENSE = %q", b)
	}
	if out, _ := exec.Command("git", "-C", dir, "ls-files", "LICENSE").Output(); len(out) != 0 {
		t.Error("the demo committed the operator's LICENSE")
	}
}

func TestSyncIntoPlainFolderWithFilesRunsNoGitInit(t *testing.T) {
	srv := httptest.NewServer(fakenews.New())
	defer srv.Close()
	dir := t.TempDir()
	cfg := writeCrashConfig(t, dir, srv.URL)
	mirror := filepath.Join(dir, "mirror")
	os.MkdirAll(mirror, 0o755)
	os.WriteFile(filepath.Join(mirror, "notes.txt"), []byte("mine\n"), 0o644)
	code, _, stderr := run(t, "sync", "-c", cfg)
	if code != cli.ExitUsage || !strings.Contains(stderr, "notes.txt") {
		t.Errorf("exit %d, stderr %q; want %d naming notes.txt", code, stderr, cli.ExitUsage)
	}
	if _, err := os.Stat(filepath.Join(mirror, ".git")); err == nil {
		t.Error("the refused sync ran git init")
	}
}

// A second configuration naming the same mirror folder, with its own
// state database, meets the daemon's lock and leaves git's locks alone.
func TestSecondConfigOnSameMirrorMeetsTheDaemonsLock(t *testing.T) {
	site := fakenews.New()
	site.Add("a", fakenews.Generate("a", 2, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))...)
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	mirror := filepath.Join(dir, "mirror")
	writeConfig := func(name, state string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(fmt.Sprintf(`output: {dir: mirror, state: %q}
fetch: {allow: [127.0.0.1]}
sources:
  - id: ex
    prefix: X
    rules: {body: div.article}
    channels: [{id: a, name: a, feed: "%s/feeds/a.xml"}]
`, state, srv.URL)), 0o644)
		return path
	}
	daemonCfg := writeConfig("daemon.yaml", ".newsmirror/state.db")
	otherCfg := writeConfig("other.yaml", filepath.Join(dir, "other-state.db"))

	ctx, stop := context.WithCancel(context.Background())
	exited := make(chan int, 1)
	go func() {
		var out, errs bytes.Buffer
		exited <- cli.Run(ctx, []string{"run", "-c", daemonCfg, "--every", "1h"}, &out, &errs)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for exec.Command("git", "-C", mirror, "rev-parse", "-q", "--verify", "HEAD").Run() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the daemon made no commit")
		}
		time.Sleep(100 * time.Millisecond)
	}
	indexLock := filepath.Join(mirror, ".git", "index.lock")
	os.WriteFile(indexLock, nil, 0o644) // as if the daemon's git were at work

	code, _, stderr := run(t, "sync", "-c", otherCfg)
	if code != cli.ExitFatal || !strings.Contains(stderr, "is working on this mirror") {
		t.Errorf("second config's sync: exit %d, stderr %q; want the lock's refusal", code, stderr)
	}
	if _, err := os.Stat(indexLock); err != nil {
		t.Errorf("the second config's run removed the daemon's git lock: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "other-state.db")); err == nil {
		t.Error("the second config's run opened its state database")
	}
	os.Remove(indexLock)
	stop()
	if code := <-exited; code != cli.ExitOK {
		t.Errorf("daemon exit %d", code)
	}
}
