package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
)

// windowedConfig writes the crash site's configuration with
// publish.history and one bare remote marked rewrite.
func windowedConfig(t *testing.T, dir, siteURL, history string) (cfg, remote string) {
	t.Helper()
	cfg = writeCrashConfig(t, dir, siteURL)
	remote = filepath.Join(dir, "remote.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", remote).CombinedOutput(); err != nil {
		t.Fatalf("git init --bare: %v\n%s", err, out)
	}
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "publish: {keep: 10}",
		"publish: {keep: 10, history: \""+history+"\", remotes: [{name: up, url: \""+remote+"\", rewrite: true}]}", 1))
	if err := os.WriteFile(cfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, remote
}

// operatorCommits makes n empty commits in the mirror, as an operator's
// edits would be.
func operatorCommits(t *testing.T, mirror string, n int) {
	t.Helper()
	for range n {
		gitIn(t, mirror, "-c", "user.name=op", "-c", "user.email=op@localhost", "commit", "-q", "--allow-empty", "-m", "operator's edit")
	}
}

func TestSyncDryRunShowsTheDueReRootAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	siteURL, grow := crashSite(t, nil)
	cfg, _ := windowedConfig(t, dir, siteURL, "2 commits") // re-rooted past 3
	mirror := filepath.Join(dir, "mirror")
	if code, out, errOut := run(t, "sync", "-c", cfg); code != 0 {
		t.Fatalf("first sync: exit %d\n%s%s", code, out, errOut)
	}
	pushed := gitIn(t, mirror, "rev-parse", "HEAD")
	operatorCommits(t, mirror, 3)
	grow()

	before := everything(t, mirror)
	code, text, errOut := run(t, "sync", "-c", cfg, "--dry-run")
	if code != 0 {
		t.Fatalf("sync --dry-run: exit %d\n%s%s", code, text, errOut)
	}
	code, raw, errOut := run(t, "sync", "-c", cfg, "--dry-run", "--json")
	if code != 0 {
		t.Fatalf("sync --dry-run --json: exit %d\n%s%s", code, raw, errOut)
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

	// Four commits and the run's: the newest two are kept, three cut, and
	// the root holds the tree of the second operator's edit (HEAD~1).
	root, rootTree := gitIn(t, mirror, "rev-parse", "HEAD~1"), gitIn(t, mirror, "rev-parse", "HEAD~1^{tree}")
	var dry struct {
		Plan struct {
			Window    string `json:"window"`
			Due       bool   `json:"due"`
			Commits   int    `json:"commits"`
			Cut, Kept int
			Root      string `json:"root_tree_of"`
			Blocked   string `json:"blocked"`
			Remotes   []struct {
				Name, Lease, Push string
				Rewrite           bool
			} `json:"remotes"`
		} `json:"reroot_plan"`
	}
	if err := json.Unmarshal([]byte(raw), &dry); err != nil {
		t.Fatalf("sync --dry-run --json: %v\n%s", err, raw)
	}
	p := dry.Plan
	if p.Window != "2 commits" || !p.Due || p.Commits != 5 || p.Cut != 3 || p.Kept != 2 || p.Root != root || p.Blocked != "" {
		t.Errorf("reroot_plan %+v; want 2 commits, due, 5 commits, 3 cut, 2 kept, root from %s", p, root)
	}
	if len(p.Remotes) != 1 || p.Remotes[0].Name != "up" || p.Remotes[0].Push != "force-with-lease" || p.Remotes[0].Lease != pushed || !p.Remotes[0].Rewrite {
		t.Errorf("reroot_plan remotes %+v; want up force-with-lease against %s", p.Remotes, pushed)
	}
	for _, want := range []string{
		"history: window 2 commits (publish.history): would re-root\n",
		"  3 of 5 commits would become one root commit holding the tree of the last one cut, " + root[:10] + " (",
		"  2 commits since ",
		"  push up: --force-with-lease against " + pushed[:10],
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dry run's text lacks %q:\n%s", want, text)
		}
	}

	code, out, errOut := run(t, "sync", "-c", cfg)
	if code != 0 || !strings.Contains(out, "history: re-rooted (publish.history): 3 commits before ") || !strings.Contains(out, ", 2 kept, ") {
		t.Fatalf("sync after the dry run: exit %d, want the planned re-root\n%s%s", code, out, errOut)
	}
	if got := gitIn(t, mirror, "rev-parse", "HEAD~2^{tree}"); got != rootTree {
		t.Errorf("the root holds tree %s, the dry run said %s's %s", got, root, rootTree)
	}
	gitIn(t, mirror, "fsck", "--strict", "--no-progress")
}

func TestSyncDryRunSaysWhenTheNextReRootIsDue(t *testing.T) {
	dir := t.TempDir()
	siteURL, _ := crashSite(t, nil)
	cfg, _ := windowedConfig(t, dir, siteURL, "30d")
	if code, out, errOut := run(t, "sync", "-c", cfg); code != 0 {
		t.Fatalf("first sync: exit %d\n%s%s", code, out, errOut)
	}
	code, text, errOut := run(t, "sync", "-c", cfg, "--dry-run")
	if code != 0 || !strings.Contains(text, "history: window 30d (publish.history): no re-root due (1 commits since ") ||
		!strings.Contains(text, "; the next one after ") {
		t.Errorf("sync --dry-run: exit %d, want no re-root due and when the next one is\n%s%s", code, text, errOut)
	}
}

func TestStatusShowsTheLastReRootAndWhenTheNextIsDue(t *testing.T) {
	dir := t.TempDir()
	siteURL, _ := crashSite(t, nil)
	cfg, _ := windowedConfig(t, dir, siteURL, "2 commits")
	mirror := filepath.Join(dir, "mirror")
	if code, out, errOut := run(t, "sync", "-c", cfg); code != 0 {
		t.Fatalf("first sync: exit %d\n%s%s", code, out, errOut)
	}
	operatorCommits(t, mirror, 3)
	_, out, _ := run(t, "status", "-c", cfg)
	if re := `history: window 2 commits \(publish\.history\), 4 commits since [-0-9: ]+ \(\d+ minutes ago\), re-root due at the next run\n`; !regexp.MustCompile(re).MatchString(out) {
		t.Errorf("status before the re-root lacks %q:\n%s", re, out)
	}
	if code, out, errOut := run(t, "sync", "-c", cfg); code != 0 || !strings.Contains(out, "history: re-rooted") {
		t.Fatalf("sync: exit %d, want a re-root\n%s%s", code, out, errOut)
	}
	code, out, _ := run(t, "status", "-c", cfg)
	if re := `history: window 2 commits \(publish\.history\), 3 commits since [-0-9: ]+ \(\d+ minutes ago\), last re-root [-0-9: ]+ \(\d+ minutes ago\), next re-root after 2 more commits\n`; code != 0 || !regexp.MustCompile(re).MatchString(out) {
		t.Errorf("status after the re-root: exit %d, lacks %q:\n%s", code, re, out)
	}
	gauge := daemonGauges(t, cfg)
	if v := gauge("newsmirror_history_last_reroot_timestamp_seconds"); time.Since(time.Unix(int64(v), 0)) > time.Hour {
		t.Errorf("last re-root gauge %g, want the re-root's time", v)
	}
	for name, want := range map[string]float64{"newsmirror_history_commits": 3, "newsmirror_history_window_commits": 2,
		"newsmirror_history_window_seconds": 0, "newsmirror_history_reroot_waiting": 0} {
		if v := gauge(name); v != want {
			t.Errorf("%s = %g, want %g", name, v, want)
		}
	}
}

func TestStatusWarnsWhenADueReRootWaitsForAFirstPush(t *testing.T) {
	dir := t.TempDir()
	siteURL, _ := crashSite(t, nil)
	cfg, remote := windowedConfig(t, dir, siteURL, "2 commits")
	if err := os.RemoveAll(remote); err != nil { // the remote is away: no push ever succeeds
		t.Fatal(err)
	}
	mirror := filepath.Join(dir, "mirror")
	run(t, "sync", "-c", cfg)
	operatorCommits(t, mirror, 3)
	run(t, "sync", "-c", cfg)
	code, out, _ := run(t, "status", "-c", cfg)
	if want := "history is past publish.history 2 commits (4 commits since "; code != cli.ExitAttention || !strings.Contains(out, want) ||
		!strings.Contains(out, "and the re-root waits: history not re-rooted yet: waiting for a first successful push to up") {
		t.Errorf("status: exit %d, want 4 (the push failed) and the waiting re-root's warning %q…:\n%s", code, want, out)
	}
	if v := daemonGauges(t, cfg)("newsmirror_history_reroot_waiting"); v != 1 {
		t.Errorf("newsmirror_history_reroot_waiting = %g, want 1", v)
	}
}

func TestStatusSaysHowToLetARefusingRemoteTakeTheReRootedBranch(t *testing.T) {
	dir := t.TempDir()
	siteURL, grow := crashSite(t, nil)
	cfg, _ := windowedConfig(t, dir, siteURL, "2 commits")
	backup := filepath.Join(dir, "backup.git")
	gitIn(t, dir, "init", "-q", "--bare", "-b", "main", backup)
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(data), "rewrite: true}]", "rewrite: true}, {name: backup, url: \""+backup+"\", rewrite: true}]", 1)), 0o644)
	mirror := filepath.Join(dir, "mirror")
	if code, out, errOut := run(t, "sync", "-c", cfg); code != 0 {
		t.Fatalf("first sync: exit %d\n%s%s", code, out, errOut)
	}
	// Another writer pushes to the backup; then the mirror re-roots.
	other := filepath.Join(dir, "other")
	gitIn(t, dir, "clone", "-q", backup, other)
	gitIn(t, other, "-c", "user.name=o", "-c", "user.email=o@localhost", "commit", "-q", "--allow-empty", "-m", "someone else's")
	gitIn(t, other, "push", "-q", "origin", "main")
	operatorCommits(t, mirror, 3)
	grow()
	if code, out, _ := run(t, "sync", "-c", cfg); code != cli.ExitPartial || !strings.Contains(out, "history: re-rooted") || !strings.Contains(out, "push backup: FAILED") {
		t.Fatalf("sync: exit %d, want a re-root the backup refuses\n%s", code, out)
	}
	code, out, _ := run(t, "status", "-c", cfg)
	fix := "git -C " + mirror + " fetch " + backup + " main && git -C " + mirror + " update-ref refs/newsmirror/pushed/backup FETCH_HEAD"
	if code != cli.ExitAttention || !strings.Contains(out, "remote backup: last push failed: ") || !strings.Contains(out, "holds commits the new history does not continue") || !strings.Contains(out, fix) {
		t.Fatalf("status: exit %d, want the refused backup and %q\n%s", code, fix, out)
	}
	// The operator follows it: the next sync replaces the backup's branch.
	if out, err := exec.Command("sh", "-c", fix).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", fix, err, out)
	}
	if code, out, errOut := run(t, "sync", "-c", cfg); code != 0 || strings.Contains(out, "FAILED") {
		t.Fatalf("sync after the fix: exit %d\n%s%s", code, out, errOut)
	}
	if got, want := gitIn(t, backup, "rev-parse", "main"), gitIn(t, mirror, "rev-parse", "HEAD"); got != want {
		t.Errorf("backup at %s, mirror at %s", got, want)
	}
	gitIn(t, backup, "fsck", "--strict", "--no-progress")
}
