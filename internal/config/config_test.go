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

func TestUnknownKeyGetsTheNearestKeyOfItsPlace(t *testing.T) {
	_, err := config.Parse("f.yaml", []byte("output: {dir: out}\nsources:\n  - id: sc\n    images:\n      localise: true\n    chanels: []\n"))
	for _, want := range []string{
		`f.yaml:5: unknown key "localise" — did you mean "localize"?`,
		`f.yaml:6: unknown key "chanels" — did you mean "channels"?`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	_, err = config.Parse("f.yaml", []byte("output: {dir: out, zzzzzz: 1}\n"))
	if err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("error %v: want no suggestion for a key near none", err)
	}
}

func TestValueOfTheWrongKindSaysWhatWasWanted(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"fetch:\n  allow: 127.0.0.1\n", `f.yaml:2: fetch.allow: want a list, got the text "127.0.0.1" (write [127.0.0.1]`},
		{"fetch:\n  allow: 'a-very-long-host.example.com'\n", `f.yaml:2: fetch.allow: want a list, got the text "a-very-long-host.example.com"`},
		{"fetch:\n  timeout: 5\n", "f.yaml:2: fetch.timeout: want a duration such as 30s, 5m or 2h, got the number 5: a unit is missing"},
		{"output:\n  html: yes please\n", `f.yaml:2: output.html: want a mapping of keys`},
		{"sources:\n  - id: sc\n    channels: {id: x}\n", "f.yaml:3: sources[0].channels: want a list, got a mapping"},
	} {
		_, err := config.Parse("f.yaml", []byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "!!") {
			t.Errorf("%q: error %v shows YAML's tags", tc.yaml, err)
		}
	}
}

func TestEnvironmentVariablesFillAnyStringValue(t *testing.T) {
	t.Setenv("NM_OWNER", "someone")
	t.Setenv("NM_NAME", "看世界")
	t.Setenv("NM_PASS", "p@ss:word")
	cfg, err := config.Parse("f.yaml", []byte(`output:
  dir: out
  page_url: "https://github.com/${NM_OWNER}/news/blob/main/{path}"
  commit_message: "mirror $${NOT_EXPANDED}"
fetch:
  proxy: "http://me:${NM_PASS}@127.0.0.1:7890"
publish:
  remotes:
    - {name: gh, url: "https://x-access-token:${GH_TOKEN}@github.com/o/r.git"}
sources:
  - id: sc
    rules: {body: div.a}
    channels:
      - {id: p9, name: "${NM_NAME}", feed: "http://h.example/f.xml"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(cfg.Output.PageURL); got != "https://github.com/someone/news/blob/main/{path}" {
		t.Errorf("page_url = %q", got)
	}
	if got := cfg.Sources[0].Channels[0].Name; got != "看世界" {
		t.Errorf("channel name = %q", got)
	}
	if got := cfg.Output.CommitMessage; got != "mirror ${NOT_EXPANDED}" {
		t.Errorf("commit_message = %q, want the escaped reference kept as text", got)
	}
	if got := cfg.Fetch.Proxy; got != "http://me:p%40ss%3Aword@127.0.0.1:7890" {
		t.Errorf("proxy = %q, want the password escaped for a URL", got)
	}
	if got := cfg.Publish.Remotes[0].URL; !strings.Contains(got, "${GH_TOKEN}") {
		t.Errorf("remote URL = %q, want the reference kept for git's run", got)
	}
}

func TestUnsetEnvironmentVariableIsNamedAtItsLine(t *testing.T) {
	os.Unsetenv("NM_SURELY_UNSET")
	_, err := config.Parse("f.yaml", []byte("output:\n  dir: out\n  pixel_url: \"https://${NM_SURELY_UNSET}/hit/{path}\"\nsources: []\n"))
	want := "f.yaml:3: output.pixel_url: ${NM_SURELY_UNSET} is not set in the environment"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
