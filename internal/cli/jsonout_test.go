package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
)

func TestStatusJSONHasAVersionedShape(t *testing.T) {
	_, cfg := demoMirror(t, "")
	code, stdout, stderr := run(t, "status", "-c", cfg, "--json")
	if code != cli.ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var st struct {
		Version  int       `json:"version"`
		Time     time.Time `json:"time"`
		OK       bool      `json:"ok"`
		Channels []struct {
			Source, Channel string
			LastRead        *time.Time `json:"last_read"`
			Items, Pages    int
			FeedFailures    *int `json:"feed_failures"`
		} `json:"channels"`
		Remotes    []any          `json:"remotes"`
		Hits       map[string]any `json:"hits"`
		Repository *struct {
			Packed  int64      `json:"packed_bytes"`
			Loose   int64      `json:"loose_bytes"`
			Tree    int64      `json:"tree_bytes"`
			Files   int        `json:"tree_files"`
			Budget  int64      `json:"budget_bytes"`
			Commits int        `json:"commits"`
			Oldest  *time.Time `json:"oldest_commit"`
			History string     `json:"history"`
		} `json:"repository"`
		Warnings []string `json:"warnings"`
		Alerts   []string `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if st.Version != 1 || !st.OK || st.Time.IsZero() {
		t.Errorf("version %d, ok %v, time %v", st.Version, st.OK, st.Time)
	}
	if len(st.Channels) != 3 || st.Alerts == nil || st.Warnings == nil || st.Remotes == nil || st.Hits["count"] == nil {
		t.Fatalf("shape: %+v", st)
	}
	if r := st.Repository; r == nil || r.Packed+r.Loose <= 0 || r.Tree <= 0 || r.Files < 24 ||
		r.Budget <= 0 || r.Commits != 1 || r.Oldest == nil || r.History != "full" {
		t.Errorf("repository: %+v", st.Repository)
	}
	for _, c := range st.Channels {
		if c.Source != "sample" || c.LastRead == nil || c.Pages != 8 || c.Items != 8 || c.FeedFailures == nil || *c.FeedFailures != 0 {
			t.Errorf("channel %+v", c)
		}
	}
}

func TestSyncJSONSummarizesTheRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	// The feed's port is closed: the channel fails.
	os.WriteFile(path, []byte("output: {dir: out}\nsources:\n  - id: s\n    rules: {body: div}\n    channels: [{id: c, name: n, feed: \"http://127.0.0.1:1/feed.xml\"}]\n"), 0o644)
	code, stdout, _ := run(t, "sync", "-c", path, "--json")
	if code != cli.ExitNothingRead {
		t.Errorf("exit %d, want %d", code, cli.ExitNothingRead)
	}
	var rep struct {
		Version  int      `json:"version"`
		Exit     int      `json:"exit"`
		Reason   string   `json:"reason"`
		Written  []string `json:"written"`
		Commit   *string  `json:"commit"`
		Failures []struct {
			Source, Channel, URL, Error string
		} `json:"failures"`
		Seconds map[string]float64 `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object (%v):\n%s", err, stdout)
	}
	if rep.Version != 1 || rep.Exit != cli.ExitNothingRead || rep.Reason == "" || rep.Written == nil || rep.Commit == nil {
		t.Errorf("summary %+v", rep)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].URL != "http://127.0.0.1:1/feed.xml" || rep.Failures[0].Channel != "c" || rep.Failures[0].Error == "" {
		t.Errorf("failures %+v", rep.Failures)
	}
	if _, ok := rep.Seconds["commit"]; !ok {
		t.Errorf("no timings in seconds: %v", rep.Seconds)
	}
}
