package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
)

const twoSources = `output:
  dir: out
sources:
  - id: sc
    prefix: S
    rules: {body: div.article_right}
    channels:
      - {id: p9, name: 看世界, feed: "http://www.secretchina.com/news/gb/p9.xml"}
  - id: nt
    prefix: N
    rules: {body: div.article_right}
    channels:
      - {id: n1, name: 要闻, feed: "http://www.ntdtv.com/gb/n1.xml"}
`

func TestCheckRefusesValuesThatCannotBeMeant(t *testing.T) {
	for _, tt := range []struct{ name, old, new, want string }{
		{"terabyte body", "  dir: out\n", "  dir: out\nfetch:\n  max_body_bytes: 1099511627776\n", "fetch.max_body_bytes: must be positive and at most"},
		{"century timeout", "  dir: out\n", "  dir: out\nfetch:\n  timeout: 2562047h\n", "fetch.timeout: must be positive and at most 1h0m0s"},
		{"source body", "    prefix: N\n", "    prefix: N\n    fetch: {max_body_bytes: 1099511627776}\n", "sources[1].fetch.max_body_bytes: must be at most"},
		{"source timeout", "    prefix: N\n", "    prefix: N\n    fetch: {timeout: 2562047h}\n", "sources[1].fetch.timeout: must be at most"},
		{"same source id", "id: nt", "id: sc", `sources[1].id: source id "sc" is already used at sources[0].id`},
		{"channel index is the hot list", "prefix: N\n", "prefix: \"\"\n", ""}, // fine: 要闻 is not 热点推荐
		{"index named as the hot list", "prefix: N\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: 要闻,", "prefix: \"\"\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: 热点推荐,", `index name "热点推荐" is already used at site.hot_name`},
		{"index named as the editors' list", "prefix: N\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: 要闻,", "prefix: \"\"\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: 编辑推荐,", `index name "编辑推荐" is already used at indexes.editors.name`},
		{"index twins by case", "prefix: N\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: 要闻,", "prefix: \"\"\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: s看世界,", `index name "s看世界" is already used at sources[0].channels[0].name`},
		{"prefix climbs out", "prefix: N\n", "prefix: \"../../\"\n", `sources[1].channels[0].name: index name: file name "../../要闻" is not portable`},
		{"prefix with a colon", "prefix: N\n", "prefix: \"N:\"\n", "is not portable"},
		{"device name", "prefix: N\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: 要闻,", "prefix: \"\"\n    rules: {body: div.article_right}\n    channels:\n      - {id: n1, name: CON,", `a device name Windows reserves`},
		{"too long", "{id: n1, name: 要闻,", "{id: n1, name: " + strings.Repeat("长", 90) + ",", "bytes, over 255"},
		{"channel ids by case", "{id: n1,", "{id: P9,", `channel id "P9" is already used at sources[0].channels[0]`},
		{"channel id device", "{id: n1,", "{id: aux,", "a device name Windows reserves"},
		{"channel id trailing dot", "{id: n1,", "{id: n1.,", "ends in a dot"},
		{"empty commit message", "  dir: out\n", "  dir: out\n  commit_message: \"{{if false}}x{{end}}  \"\n", "output.commit_message: bad template: renders an empty message"},
		{"endless commit message", "  dir: out\n", "  dir: out\n  commit_message: \"{{range 100000000}}{{end}}done\"\n", "output.commit_message: bad template: takes more than 1s"},
		{"huge commit message", "  dir: out\n", "  dir: out\n  commit_message: \"{{range 100000000}}x{{end}}\"\n", "renders more than"},
		{"commit message per page", "  dir: out\n", "  dir: out\n  commit_message: \"{{range .Pages}}page {{end}}\"\n", "renders more than"},
		{"proxy variable unset", "  dir: out\n", "  dir: out\nfetch:\n  proxy: \"http://u:${NEWSMIRROR_TEST_UNSET}@127.0.0.1:7890\"\n", "fetch.proxy: ${NEWSMIRROR_TEST_UNSET} is not set in the environment"},
		{"title cap", "  dir: out\n", "  dir: out\nsite:\n  max_title: 100000\n", "site.max_title: must be 10 to 10000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(twoSources, tt.old, tt.new, 1)
			if text == twoSources {
				t.Fatalf("the case changed nothing")
			}
			_, err := config.Parse("c.yaml", []byte(text))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestProxyTakesItsPasswordFromTheEnvironment(t *testing.T) {
	t.Setenv("NEWSMIRROR_TEST_PROXY_PASS", "p@ss:w/rd")
	text := strings.Replace(twoSources, "  dir: out\n", "  dir: out\nfetch:\n  proxy: \"http://me:${NEWSMIRROR_TEST_PROXY_PASS}@127.0.0.1:7890\"\n", 1)
	text = strings.Replace(text, "    prefix: N\n", "    prefix: N\n    fetch: {proxy: \"socks5://${NEWSMIRROR_TEST_PROXY_PASS}@127.0.0.1:1080\"}\n", 1)
	cfg, err := config.Parse("c.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://me:p%40ss%3Aw%2Frd@127.0.0.1:7890"; cfg.Fetch.Proxy != want {
		t.Errorf("fetch.proxy = %q, want %q", cfg.Fetch.Proxy, want)
	}
	if want := "socks5://p%40ss%3Aw%2Frd@127.0.0.1:1080"; cfg.Sources[1].Fetch.Proxy != want {
		t.Errorf("source proxy = %q, want %q", cfg.Sources[1].Fetch.Proxy, want)
	}
}

func TestCommitMessageFallsBackWhenTheTemplateRendersNothing(t *testing.T) {
	text := strings.Replace(twoSources, "  dir: out\n", "  dir: out\n  commit_message: \"{{if .Pages}}{{.Pages}} pages{{end}}\"\n", 1)
	cfg, err := config.Parse("c.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if msg := cfg.CommitMessage(time.Now(), 3); msg != "3 pages" {
		t.Errorf("message %q", msg)
	}
	if msg := cfg.CommitMessage(time.Now(), 0); msg != "newsmirror sync" {
		t.Errorf("an empty message was not replaced: %q", msg)
	}
}
