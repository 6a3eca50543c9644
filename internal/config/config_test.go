package config_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
)

const valid = `output:
  dir: out
  page_url: "https://github.com/o/r/blob/master/{path}"
sources:
  - id: sc
    prefix: S
    rules: {body: div.article_right}
    channels:
      - {id: p9, name: 看世界, feed: "http://www.secretchina.com/news/gb/p9.xml"}
`

func TestParseFillsDefaults(t *testing.T) {
	cfg, err := config.Parse("valid.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Site.HomeLabel != "首页" || cfg.Output.State != ".newsmirror/state.db" || cfg.Fetch.Workers != 4 {
		t.Errorf("defaults not filled: %+v", cfg)
	}
	if cfg.Location.String() != "Asia/Shanghai" {
		t.Errorf("location = %v", cfg.Location)
	}
	if cfg.Sources[0].Compiled == nil {
		t.Error("rules not compiled")
	}
}

func TestParseReportsProblemsWithLines(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown key", "    prefix: S\n", "    prefix: S\n    colour: red\n", `valid.yaml:7: unknown key "colour"`},
		{"bad selector", "div.article_right", "'div['", "valid.yaml:7: sources[0].rules.body: bad selector"},
		{"bad remove selector", "{body: div.article_right}", "{body: div.x, remove: [p, '##']}", "valid.yaml:7: sources[0].rules.remove[1]"},
		{"relative feed", "http://www.secretchina.com/news/gb/p9.xml", "/p9.xml", "valid.yaml:9: sources[0].channels[0].feed"},
		{"bad placeholder", "{path}", "{page}", "valid.yaml:3: output.page_url: unknown placeholder"},
		{"bad template", "  dir: out\n", "  dir: out\n  commit_message: \"{{.Nope}}\"\n", "valid.yaml:3: output.commit_message: bad template"},
		{"bad zone", "  dir: out\n", "  dir: out\n  timezone: Mars/Base\n", "valid.yaml:3: output.timezone: unknown time zone"},
		{"unsafe channel id", "{id: p9,", "{id: ../p9,", "valid.yaml:9: sources[0].channels[0].id"},
		{"not yaml", "sources:", "sources: [", "valid.yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(valid, tt.old, tt.new, 1)
			_, err := config.Parse("valid.yaml", []byte(text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseListsEveryProblem(t *testing.T) {
	text := strings.Replace(valid, "div.article_right", "'div['", 1)
	text = strings.Replace(text, "{id: p9,", "{id: '',", 1)
	_, err := config.Parse("valid.yaml", []byte(text))
	var list config.ErrorList
	if !errors.As(err, &list) || len(list) != 2 || list[0].Line != 7 || list[1].Line != 9 {
		t.Errorf("error = %v, want two problems at lines 7 and 9", err)
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	if _, err := os.Stat("../../examples/goodnews.yaml"); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load("../../examples/goodnews.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cfg.Sources[0].Channels); n != 9 {
		t.Errorf("goodnews has %d channels, want 9", n)
	}
}

func TestCommitMessageUsesTimeZone(t *testing.T) {
	cfg, err := config.Parse("valid.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.CommitMessage(time.Date(2022, 1, 13, 0, 20, 0, 0, time.UTC), 3)
	if got != "同步于: 1月13日8时20分" {
		t.Errorf("commit message = %q", got)
	}
}
