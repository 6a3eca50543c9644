package cli_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// everything maps each file and folder under dir, .git and the state
// database included, to its mode and bytes.
func everything(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data := []byte{}
		if !d.IsDir() {
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[rel] = fi.Mode().String() + " " + string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSyncDryRunPrintsWhatTheSyncThenCommitsAndWritesNothing(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	siteURL, grow := crashSite(t, nil)
	cfg := writeCrashConfig(t, dir, siteURL)
	// A commit message without the time (the default's minute may turn
	// between the dry run and the sync), with the page count to compare.
	setCommitMessage(t, cfg, "同步 {{.Pages}} 页")
	mirror := filepath.Join(dir, "mirror")
	syncBin(t, bin, cfg)
	grow() // seven new articles a channel: pages to write, some to retire

	before := everything(t, mirror)
	text, err := exec.Command(bin, "sync", "-c", cfg, "--dry-run").Output()
	if err != nil {
		t.Fatalf("sync --dry-run: %v\n%s", err, text)
	}
	raw, err := exec.Command(bin, "sync", "-c", cfg, "--dry-run", "--json").Output()
	if err != nil {
		t.Fatalf("sync --dry-run --json: %v\n%s", err, raw)
	}
	after := everything(t, mirror)
	for p, v := range before {
		if after[p] != v {
			t.Errorf("dry runs changed %s", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("dry runs left %s behind", p)
		}
	}

	var dry struct {
		DryRun  bool   `json:"dry_run"`
		Commit  string `json:"commit"`
		Message string `json:"message"`
		Changes []struct{ Op, Path string }
	}
	if err := json.Unmarshal(raw, &dry); err != nil {
		t.Fatalf("sync --dry-run --json: %v\n%s", err, raw)
	}
	if !dry.DryRun || dry.Commit != "" || dry.Message == "" {
		t.Errorf("dry run JSON: dry_run %v, commit %q, message %q", dry.DryRun, dry.Commit, dry.Message)
	}
	var listed []string
	for _, c := range dry.Changes {
		listed = append(listed, c.Op+" "+c.Path)
		if !strings.Contains(string(text), "  "+c.Op+" "+c.Path+"\n") {
			t.Errorf("text output lacks %s %s:\n%s", c.Op, c.Path, text)
		}
	}
	for _, want := range []string{"dry run: nothing was written, committed or pushed\n", "pages to write: 21\n",
		"pages to remove (retention): 18\n", "would commit: " + strings.TrimSpace(dry.Message) + "\n"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}

	syncBin(t, bin, cfg)
	committed := strings.Split(gitIn(t, mirror, "-c", "core.quotePath=false", "diff", "--no-renames", "--name-status", "HEAD~1", "HEAD"), "\n")
	for i, l := range committed {
		committed[i] = strings.Replace(l, "\t", " ", 1)
	}
	if strings.Join(listed, "\n") != strings.Join(committed, "\n") {
		t.Errorf("dry run listed:\n%s\nthe sync committed:\n%s", strings.Join(listed, "\n"), strings.Join(committed, "\n"))
	}
	if msg := gitIn(t, mirror, "log", "-1", "--format=%B"); msg != strings.TrimSpace(dry.Message) || msg != "同步 21 页" {
		t.Errorf("commit message %q, dry run's %q; want both 同步 21 页", msg, dry.Message)
	}
}

// setCommitMessage sets output.commit_message in the configuration file
// at path.
func setCommitMessage(t *testing.T, path, tmpl string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Replace(string(data), "output:\n", "output:\n  commit_message: \""+tmpl+"\"\n", 1)
	if out == string(data) {
		t.Fatal("no output section in the configuration")
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}
