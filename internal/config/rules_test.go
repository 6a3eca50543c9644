package config_test

import (
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
)

func TestChannelRulesOverrideThePresetAndTheSource(t *testing.T) {
	cfg, err := config.Parse("rules.yaml", []byte(`output: {dir: out}
sources:
  - id: ntd
    still_updating: "更新|直播"
    rules:
      preset: ntdtv
      remove: [div.ad]
    channels:
      - {id: a, name: 甲, feed: "http://www.ntdtv.com/a.xml"}
      - id: b
        name: 乙
        feed: "http://www.ntdtv.com/b.xml"
        rules:
          body: [div.video_content, div.post_content]
          link_mode: keep
`))
	if err != nil {
		t.Fatal(err)
	}
	src := cfg.Sources[0]
	a, b := src.Channels[0].Compiled.Rules(), src.Channels[1].Compiled.Rules()
	if strings.Join(a.Body, ",") != "div.post_content" || a.Remove[0] != "div.ad" || a.LeadImage != "div.featured_image" {
		t.Errorf("channel a rules = %+v, want the preset with the source's remove", a)
	}
	if strings.Join(b.Body, ",") != "div.video_content,div.post_content" || b.LinkMode != "keep" || b.Remove[0] != "div.ad" || b.LeadImage != "div.featured_image" {
		t.Errorf("channel b rules = %+v, want its body and link mode over the source's", b)
	}
	if src.Updating == nil || !src.Updating.MatchString("直播：大选（持续更新）") {
		t.Errorf("still_updating not compiled: %v", src.Updating)
	}
}

func TestBadRulesAreReportedAtTheirLines(t *testing.T) {
	_, err := config.Parse("bad.yaml", []byte(`output: {dir: out}
sources:
  - id: sc
    still_updating: "更新("
    rules:
      preset: nosuch
    channels:
      - id: p1
        name: 看大陆
        feed: "http://www.secretchina.com/p1.xml"
        rules:
          body:
            - div.ok
            - "div >"
          promo_mode: sideways
`))
	if err == nil {
		t.Fatal("bad rules accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		"bad.yaml:4: sources[0].still_updating: bad regular expression",
		"bad.yaml:6: sources[0].rules.preset: unknown preset \"nosuch\"",
		"bad.yaml:14: sources[0].channels[0].rules.body[1]: bad selector",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q:\n%s", want, msg)
		}
	}
}
