package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/config"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCheckReportsLinesOfBadSelectorAndUnknownKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte(`output:
  dir: out
sources:
  - id: sc
    rules:
      body: "div.article_right >"
    channels:
      - id: p9
        name: 看世界
        feed: http://www.secretchina.com/news/gb/p9.xml
        colour: red
`), 0o644)
	code, _, stderr := run(t, "check", "-c", path)
	if code != cli.ExitUsage {
		t.Errorf("exit code %d, want %d", code, cli.ExitUsage)
	}
	if !strings.Contains(stderr, path+`:11: unknown key "colour"`) {
		t.Errorf("stderr lacks the unknown key at line 11:\n%s", stderr)
	}
	code, _, stderr = run(t, "check", "-c", strings.Replace(path, "bad", "missing", 1))
	if code != cli.ExitUsage || !strings.Contains(stderr, "no such file") {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
	os.WriteFile(path, []byte("output: {dir: out}\nsources:\n  - id: sc\n    rules:\n      body: \"div.article_right >\"\n    channels: [{id: p9, name: x, feed: \"http://h/f\"}]\n"), 0o644)
	_, _, stderr = run(t, "check", "-c", path)
	if !strings.Contains(stderr, path+":5: sources[0].rules.body: bad selector") {
		t.Errorf("stderr lacks the bad selector at line 5:\n%s", stderr)
	}
}

func TestCheckAcceptsExample(t *testing.T) {
	code, stdout, stderr := run(t, "check", "-c", "../../examples/goodnews.yaml")
	if code != cli.ExitOK || !strings.Contains(stdout, "ok (1 sources, 9 channels)") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestDemoMirrorsSampleSiteOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := run(t, "demo", "--dir", dir)
	if code != cli.ExitOK {
		t.Fatalf("demo exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"pages written: 24", "24 pages", "indexes/S看世界.md", "open a page: ",
		"next steps:", filepath.Join(dir, "index.html"), filepath.Join(dir, ".newsmirror", "demo.yaml"), "make your own mirror"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, ".html,") || strings.Contains(stdout, ".xml,") {
		t.Errorf("demo counts an index once per format:\n%s", stdout)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "pages", "*", "*.md.png"))
	if len(pngs) != 24 {
		t.Errorf("%d QR codes, want 24", len(pngs))
	}
	code, stdout, _ = run(t, "demo", "--dir", dir)
	if code != cli.ExitOK || !strings.Contains(stdout, "commit: none") {
		t.Errorf("second demo: exit %d\n%s", code, stdout)
	}
	out, err := exec.Command("git", "-C", dir, "rev-list", "--count", "HEAD").Output()
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Errorf("commits = %q (%v), want 1", out, err)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	code, _, stderr := run(t, "mirror-everything")
	if code != cli.ExitUsage || !strings.Contains(stderr, "unknown command") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestLogFormatJSONWritesOneObjectPerLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	// The feed's port is closed: the channel fails and a warning is logged.
	os.WriteFile(path, []byte("output: {dir: out}\nsources:\n  - id: s\n    rules: {body: div}\n    channels: [{id: c, name: n, feed: \"http://127.0.0.1:1/feed.xml\"}]\n"), 0o644)
	code, _, stderr := run(t, "sync", "-c", path, "--log-format", "json")
	if code != cli.ExitNothingRead {
		t.Errorf("exit %d, want %d", code, cli.ExitNothingRead)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not a JSON record: %q (%v)", l, err)
		}
		if rec["msg"] == "skipped" && rec["channel"] != "c" {
			t.Errorf("record lacks the channel: %v", rec)
		}
	}
	if !strings.Contains(stderr, `"msg":"skipped"`) {
		t.Errorf("no warning for the failed channel in %q", stderr)
	}
}

func TestCheckWarnsOfFeedsWithoutAPublicURL(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	cfg := "output: {dir: out, feeds: {enabled: true}}\nsources:\n  - id: s\n    rules: {body: div}\n    channels: [{id: c, name: c, feed: \"http://h.test/f\"}]\n"
	os.WriteFile(path, []byte(cfg), 0o644)
	code, stdout, stderr := run(t, "check", "-c", path)
	if code != cli.ExitOK || !strings.Contains(stdout, "ok (1 sources, 1 channels)") || !strings.Contains(stderr, "warning: output.feeds: no feed is written without output.page_url") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	os.WriteFile(path, []byte(strings.Replace(cfg, "dir: out,", "dir: out, page_url: \"https://e.test/{path}\",", 1)), 0o644)
	if _, _, stderr := run(t, "check", "-c", path); stderr != "" {
		t.Errorf("feeds with a page_url: stderr %q", stderr)
	}
	os.WriteFile(path, []byte(strings.Replace(cfg, "enabled: true", "enabled: true, length: 0", 1)), 0o644)
	if code, _, stderr := run(t, "check", "-c", path); code != cli.ExitUsage || !strings.Contains(stderr, "output.feeds.length") {
		t.Errorf("length 0: exit %d, stderr %q", code, stderr)
	}
}

// TestDemoConfigWorksCopiedElsewhere copies the demo's configuration to
// another folder: checked from there, it still names the demo's mirror.
func TestDemoConfigWorksCopiedElsewhere(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, stdout, stderr := run(t, "demo", "--dir", dir); code != cli.ExitOK {
		t.Fatalf("demo exit %d\n%s\n%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".newsmirror", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "elsewhere", "my.yaml")
	os.MkdirAll(filepath.Dir(copied), 0o755)
	os.WriteFile(copied, data, 0o644)
	code, stdout, stderr := run(t, "check", "-c", copied)
	if code != cli.ExitOK {
		t.Fatalf("check of the copy: exit %d\n%s", code, stderr)
	}
	cfg, err := config.Load(copied)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Output.Dir != dir {
		t.Errorf("copied configuration writes to %s, want the demo's %s (stdout %q)", cfg.Output.Dir, dir, stdout)
	}
	// Read from the copy, the state database is the demo's.
	code, stdout, stderr = run(t, "status", "-c", copied)
	if code != cli.ExitOK {
		t.Errorf("status of the copy: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestPreviewListensOnLoopbackOnly(t *testing.T) {
	dir := t.TempDir()
	for _, addr := range []string{"0.0.0.0:1313", ":1313", "192.0.2.1:1313"} {
		code, _, stderr := run(t, "preview", "--dir", dir, "--addr", addr)
		if code != cli.ExitUsage || !strings.Contains(stderr, "loopback only") {
			t.Errorf("--addr %s: exit %d, stderr %q", addr, code, stderr)
		}
	}
	code, _, stderr := run(t, "preview", "--dir", filepath.Join(dir, "missing"))
	if code != cli.ExitUsage || !strings.Contains(stderr, "missing") {
		t.Errorf("missing folder: exit %d, stderr %q", code, stderr)
	}
}
