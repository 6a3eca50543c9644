package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/fakenews"
)

// sizedMirror syncs a fakenews channel of 5 articles into a new mirror
// and returns the configuration file; budget is publish.size_budget.
func sizedMirror(t *testing.T, budget string) string {
	t.Helper()
	site := fakenews.New()
	site.Add("a", fakenews.Generate("a", 5, time.Now().Add(-time.Hour))...)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(fmt.Sprintf(`output: {dir: mirror}
publish: {size_budget: %s}
fetch: {allow: [127.0.0.1]}
sources:
  - id: ex
    rules: {body: div.article}
    channels: [{id: a, name: 频道a, feed: "%s/feeds/a.xml"}]
`, budget, srv.URL)), 0o644)
	if code, out, errOut := run(t, "sync", "-c", path); code != 0 {
		t.Fatalf("sync exit %d\n%s%s", code, out, errOut)
	}
	return path
}

func TestStatusShowsRepositorySizeGrowthAndHistory(t *testing.T) {
	path := sizedMirror(t, "1GB")
	code, out, errOut := run(t, "status", "-c", path)
	if code != cli.ExitOK {
		t.Errorf("status exit %d under budget\n%s%s", code, out, errOut)
	}
	for _, re := range []string{
		`repository: [0-9.]+ (B|KB|MB) packed, [0-9.]+ (B|KB|MB) loose \(0% of the 1\.0 GB budget\)\n`,
		`working tree: [0-9.]+ KB in \d+ files\n`,
		`growth: [0-9.]+ (B|KB|MB) a day over the last day\n`, // a history younger than a day counts one day
		`history: full history, 1 commits since \d{4}-\d\d-\d\d \d\d:\d\d \(\d+ minutes ago\)\n`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("status lacks %q:\n%s", re, out)
		}
	}
}

func TestStatusShowsTheHistoryWindow(t *testing.T) {
	path := sizedMirror(t, "1GB, history: 90d")
	_, out, _ := run(t, "status", "-c", path)
	if re := `history: window 90d \(publish\.history\), 1 commits since \d{4}-\d\d-\d\d \d\d:\d\d \(\d+ minutes ago\), next re-root after \d{4}-\d\d-\d\d \d\d:\d\d\n`; !regexp.MustCompile(re).MatchString(out) {
		t.Errorf("status lacks %q:\n%s", re, out)
	}
	_, out, _ = run(t, "status", "--json", "-c", path)
	if !strings.Contains(out, `"history": "90d"`) || !strings.Contains(out, `"last_reroot": null`) || !strings.Contains(out, `"next_due": "`) {
		t.Errorf("status --json lacks the window:\n%s", out)
	}
}

func TestStatusNeedsAttentionAboveTheSizeBudget(t *testing.T) {
	path := sizedMirror(t, "20KB")
	code, out, _ := run(t, "status", "-c", path)
	if code != cli.ExitAttention {
		t.Errorf("status exit %d over the budget, want %d\n%s", code, cli.ExitAttention, out)
	}
	if !regexp.MustCompile(`needs attention \(1\):\n  repository is [0-9.]+ KB \(packed [0-9.]+ B, loose [0-9.]+ KB\), \d+% of publish\.size_budget 20\.0 KB: over it`).MatchString(out) {
		t.Errorf("no budget alert:\n%s", out)
	}
}

func TestRunDaemonExportsRepositoryGauges(t *testing.T) {
	path := sizedMirror(t, "1GB")
	gauge := daemonGauges(t, path)
	if v := gauge(`newsmirror_repository_bytes{part="budget"}`); v != 1e9 {
		t.Errorf("budget gauge %g, want 1e9", v)
	}
	if v := gauge(`newsmirror_repository_bytes{part="tree"}`); v < 2_000 {
		t.Errorf("tree gauge %g", v)
	}
	if v := gauge(`newsmirror_repository_bytes{part="loose"}`) + gauge(`newsmirror_repository_bytes{part="packed"}`); v < 2_000 {
		t.Errorf("history gauges sum to %g", v)
	}
	if v := gauge(`newsmirror_repository_bytes{part="growth_per_day"}`); v <= 0 {
		t.Errorf("growth gauge %g", v)
	}
	if v := gauge("newsmirror_repository_oldest_commit_timestamp_seconds"); time.Since(time.Unix(int64(v), 0)) > time.Hour {
		t.Errorf("oldest commit gauge %g", v)
	}
	if v := gauge("newsmirror_history_oldest_commit_age_seconds"); v < 0 || v > 3600 {
		t.Errorf("oldest commit age gauge %g, want the minutes since the sync", v)
	}
	for name, want := range map[string]float64{"newsmirror_history_commits": 1, "newsmirror_history_last_reroot_timestamp_seconds": 0,
		"newsmirror_history_window_seconds": 0, "newsmirror_history_window_commits": 0, "newsmirror_history_reroot_waiting": 0} {
		if v := gauge(name); v != want {
			t.Errorf("%s = %g, want %g (one commit, full history)", name, v, want)
		}
	}
	gauge("newsmirror_repository_files")
}

// daemonGauges runs the daemon of the configuration at path until its
// /metrics shows the repository gauges, stops it, and returns a reader of
// that scrape's gauges (a missing one fails the test).
func daemonGauges(t *testing.T, path string) func(name string) float64 {
	t.Helper()
	addr := freeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		done <- cli.Run(ctx, []string{"run", "-c", path, "--every", "1h", "--metrics-addr", addr}, &stdout, &stderr)
	}()
	var scrape string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if scrape = string(b); strings.Contains(scrape, `newsmirror_repository_bytes{part="budget"}`) {
				break
			}
		}
	}
	cancel()
	<-done
	gauge := func(name string) float64 {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(scrape)
		if m == nil {
			t.Errorf("no %s in:\n%s", name, scrape)
			return 0
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	return gauge
}
