package config_test

import (
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
)

func TestParseChecksPublishKeys(t *testing.T) {
	tests := []struct {
		name, extra, want string
	}{
		{"bad pattern", "indexes:\n  blacklist:\n    patterns: [\"(x\"]\n", "valid.yaml:12: indexes.blacklist.patterns[0]: error parsing regexp"},
		{"zero length", "indexes: {length: 0}\n", "valid.yaml:10: indexes.length: must be at least 1"},
		{"sticky without position", "indexes:\n  sticky: [{file: s.csv}]\n", "indexes.sticky[0].position: must be at least 1"},
		{"token in URL", "publish:\n  remotes:\n    - {name: gh, url: \"https://u:hunter2@github.com/o/r.git\"}\n", "publish.remotes[0].url: the URL holds a password"},
		{"unknown upstream", "publish: {upstream: nowhere}\n", "publish.upstream: no remote is named \"nowhere\""},
		{"keep zero", "publish: {keep: 0}\n", "publish.keep: must be at least 1"},
		{"history in words", "publish: {history: 90 days}\n", "valid.yaml:10: publish.history: want an age such as 90d"},
		{"history too short", "publish: {history: 12h}\n", "publish.history: must be at least 1d"},
		{"history with a plain upstream", "publish:\n  history: 90d\n  upstream: backup\n  remotes:\n    - {name: gh, url: \"https://github.com/o/r.git\", rewrite: true}\n    - {name: backup, url: /srv/b.git}\n",
			"publish.upstream: publish.history is 90d, so the branch is re-rooted, and remote \"backup\", not marked rewrite, holds the full history instead"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse("valid.yaml", []byte(valid+tt.extra))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestParseDefaultsPublishKeys(t *testing.T) {
	cfg, err := config.Parse("valid.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Indexes.Length != 60 || cfg.Indexes.EarlierLabel != "更早内容" || cfg.Publish.Keep != 500 || cfg.Publish.Branch != "main" {
		t.Errorf("defaults: indexes %+v, publish %+v", cfg.Indexes, cfg.Publish)
	}
}

func TestParseReadsTheHistoryWindowAndRewriteRemotes(t *testing.T) {
	cfg, err := config.Parse("valid.yaml", []byte(valid+"publish:\n  history: 500\n  remotes:\n    - {name: gh, url: \"https://github.com/o/r.git\", rewrite: true}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if h := cfg.Publish.History; h.Commits != 500 || h.Age != 0 || !cfg.Publish.Remotes[0].Rewrite {
		t.Errorf("history %+v, remotes %+v", h, cfg.Publish.Remotes)
	}
	cfg, err = config.Parse("valid.yaml", []byte(valid+"publish:\n  history: 90d\n  upstream: gh\n  remotes:\n    - {name: gh, url: \"https://github.com/o/r.git\", rewrite: true}\n    - {name: backup, url: /srv/b.git}\n"))
	if err != nil || cfg.Publish.Remotes[1].Rewrite {
		t.Errorf("a window with a remote keeping the full history: %v", err)
	}
	cfg, err = config.Parse("valid.yaml", []byte(valid))
	if err != nil || !cfg.Publish.History.IsZero() {
		t.Errorf("default history %+v (%v), want the full history", cfg.Publish.History, err)
	}
}
