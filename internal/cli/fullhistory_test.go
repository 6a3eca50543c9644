package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckAndStatusSayWhichRemotesKeepTheFullHistory(t *testing.T) {
	root := t.TempDir()
	var urls []string
	for _, name := range []string{"gh.git", "backup.git"} {
		p := filepath.Join(root, name)
		if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", p).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		urls = append(urls, "file://"+p)
	}
	path := sizedMirror(t, fmt.Sprintf(`1GB, history: 90d, remotes: [{name: gh, url: "%s", rewrite: true}, {name: backup, url: "%s"}]`, urls[0], urls[1]))
	code, out, errOut := run(t, "check", "-c", path)
	if want := "publish.history 90d: gh get the re-rooted branch; backup keep the full history, which the mirror keeps too"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("check exit %d, want 0 and %q:\n%s%s", code, want, out, errOut)
	}
	_, out, _ = run(t, "status", "-c", path)
	if want := "full history: backup (not marked rewrite) get every commit"; !strings.Contains(out, want) {
		t.Errorf("status lacks %q:\n%s", want, out)
	}

	// No remote marked rewrite: the window bounds nothing.
	cfg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte(strings.Replace(string(cfg), "rewrite: true", "rewrite: false", 1)), 0o644)
	code, _, errOut = run(t, "check", "-c", path)
	if want := "warning: publish.history: 90d bounds nothing: no remote is marked rewrite"; code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("check exit %d, want 0 and %q:\n%s", code, want, errOut)
	}
}
