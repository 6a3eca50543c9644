package extract_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/option"
)

func TestCompileNamesTheBadRule(t *testing.T) {
	cases := []struct {
		rules extract.Rules
		field string
	}{
		{extract.Rules{}, "body"},
		{extract.Rules{Body: extract.Selectors{"div.a", "div >"}}, "body[1]"},
		{extract.Rules{Body: extract.Selectors{"p"}, Remove: []string{"ok", "[x"}}, "remove[1]"},
		{extract.Rules{Body: extract.Selectors{"p"}, LeadImage: "::"}, "lead_image"},
		{extract.Rules{Body: extract.Selectors{"p"}, LinkMode: "drop"}, "link_mode"},
		{extract.Rules{Body: extract.Selectors{"p"}, PromoMode: "under"}, "promo_mode"},
		{extract.Rules{Body: extract.Selectors{"p"}, Scheme: "ftp"}, "scheme"},
		{extract.Rules{Body: extract.Selectors{"p"}, Headings: map[string]string{"h2": "p"}}, "headings.h2"},
		{extract.Rules{Body: extract.Selectors{"p"}, Replace: []extract.Replacement{{Regex: "("}}}, "replace[0]"},
		{extract.Rules{Body: extract.Selectors{"p"}, Replace: []extract.Replacement{{Find: "a", Regex: "b"}}}, "replace[0]"},
		{extract.Rules{Preset: "nytimes"}, "preset"},
		{extract.Rules{Body: extract.Selectors{"p"}, Fallback: "maybe"}, "fallback"},
	}
	for _, c := range cases {
		_, err := c.rules.Compile()
		var fe *option.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: error %v, want one at %s", c.rules, err, c.field)
		}
	}
}

func TestRulesOverKeepsPresetFieldsTheSourceLeavesUnset(t *testing.T) {
	src := extract.Rules{Preset: "ntdtv", Remove: []string{"div.ad"}, Headings: map[string]string{"h1": "h3"}}
	c := mustCompile(t, src)
	got := c.Rules()
	if strings.Join(got.Body, ",") != "div.post_content" || got.LeadImage != "div.featured_image" {
		t.Errorf("preset fields lost: %+v", got)
	}
	if strings.Join(got.Remove, ",") != "div.ad" {
		t.Errorf("remove = %v, want the source's list to replace the preset's", got.Remove)
	}
	if got.Headings["h1"] != "h3" || got.Headings["h2"] != "h4" {
		t.Errorf("headings = %v, want both maps merged", got.Headings)
	}
	ch := extract.Rules{LinkMode: extract.LinkKeep}.Over(src)
	if ch.Preset != "ntdtv" || ch.LinkMode != extract.LinkKeep || ch.Remove[0] != "div.ad" {
		t.Errorf("channel over source = %+v", ch)
	}
}

// run extracts page with rules and returns the body without the marker.
func run(t *testing.T, rules extract.Rules, page string) *extract.Article {
	t.Helper()
	art, err := extract.Extract([]byte(page), mustURL(t, "https://site.example/news/1.html"), mustCompile(t, rules))
	if err != nil {
		t.Fatal(err)
	}
	return art
}

const long = "<p>这是一段足够长的正文，用来让正文超过最小长度的门槛，这样规则就不会被判定为失效而启用后备提取。</p>"

func TestTransformsFollowTheRules(t *testing.T) {
	cases := []struct {
		name  string
		rules extract.Rules
		page  string
		want  []string
		not   []string
	}{
		{"lazy images and protocol-relative URLs",
			extract.Rules{Body: extract.Selectors{"div.b"}},
			`<div class="b">` + long + `<img src="/blank.gif" data-src="//img.site.example/a.jpg"><img data-original="b.jpg" src="data:image/gif;base64,R0lGOD"><img srcset="/c-1x.jpg 1x, /c-2x.jpg 2x"></div>`,
			[]string{`src="https://img.site.example/a.jpg"`, `src="https://site.example/news/b.jpg"`, `src="https://site.example/c-1x.jpg"`,
				`srcset="https://site.example/c-1x.jpg 1x, https://site.example/c-2x.jpg 2x"`},
			[]string{"data-src", "data-original", "blank.gif"}},
		{"http scheme for protocol-relative URLs",
			extract.Rules{Body: extract.Selectors{"div.b"}, Scheme: "http"},
			`<div class="b">` + long + `<img src="//img.site.example/a.jpg"></div>`,
			[]string{`src="http://img.site.example/a.jpg"`}, nil},
		{"noscript lead image replaces its lazy twin",
			extract.Rules{Body: extract.Selectors{"div.b"}, LeadImage: "div.featured_image"},
			`<div class="featured_image"><img class="lazy" src="data:image/gif;base64,R0"><noscript><img src="https://i.site.example/lead.jpg"></noscript><div class="caption">说明</div></div><div class="b">` + long + `</div>`,
			[]string{`<div><div class="featured_image"><img src="https://i.site.example/lead.jpg"/><div class="caption">说明</div></div></div><hr/>` + extract.PromoMarker + `<div class="b">`},
			[]string{"noscript", "lazy"}},
		{"lead caption from elsewhere on the page",
			extract.Rules{Body: extract.Selectors{"div.b"}, LeadImage: "header img", LeadCaption: "header .cap"},
			`<header><img src="/l.jpg"><span class="cap">图说</span></header><div class="b">` + long + `</div>`,
			[]string{`<div><img src="https://site.example/l.jpg"/><span class="cap">图说</span></div><hr/>`}, nil},
		{"remove, drop attributes, headings",
			extract.Rules{Body: extract.Selectors{"div.b"}, Remove: []string{".share", "div.related"},
				DropAttributes: map[string][]string{"img": {"width", "height"}, "*": {"style"}},
				Headings:       map[string]string{"h2": "h4", "h1": "h3"}},
			`<div class="b"><h1>大标题</h1><h2 style="color:red">小标题</h2>` + long + `<div class="share">分享</div><img src="/x.jpg" width="600" height="400"><div class="related">相关</div></div>`,
			[]string{"<h3>大标题</h3>", "<h4>小标题</h4>", `<img src="https://site.example/x.jpg"/>`},
			[]string{"分享", "相关", "width", "style"}},
		{"tracking pixels",
			extract.Rules{Body: extract.Selectors{"div.b"}, Tracking: []string{"stat.site.example"}},
			`<div class="b">` + long + `<img src="https://stat.site.example/p.gif"><img src="/x.gif" width="1" height="1"><img src="/keep.jpg"></div>`,
			[]string{"keep.jpg"}, []string{"stat.site", "x.gif"}},
		{"figure breaks",
			extract.Rules{Body: extract.Selectors{"div.b"}, FigureBreaks: new(bool)},
			`<div class="b">` + long + `<figure><img src="/a.jpg"><figcaption>图一</figcaption></figure></div>`,
			[]string{`<img src="https://site.example/a.jpg"/><figcaption>`}, nil},
		{"figure breaks on",
			extract.Rules{Body: extract.Selectors{"div.b"}, FigureBreaks: ptrTrue()},
			`<div class="b">` + long + `<figure><img src="/a.jpg"><figcaption>图一</figcaption></figure><figure><img src="/b.jpg"></figure></div>`,
			[]string{`<img src="https://site.example/a.jpg"/><br/><figcaption>`, `<img src="https://site.example/b.jpg"/></figure><br/>`}, nil},
		{"link modes: keep leaves the href, adds rel and referrerpolicy",
			extract.Rules{Body: extract.Selectors{"div.b"}, LinkMode: extract.LinkKeep},
			`<div class="b">` + long + `<a href="/tag/x">标签</a></div>`,
			[]string{`<a href="/tag/x" rel="nofollow noopener noreferrer" referrerpolicy="no-referrer">`}, nil},
		{"link modes: absolute",
			extract.Rules{Body: extract.Selectors{"div.b"}, LinkMode: extract.LinkAbsolute},
			`<div class="b">` + long + `<a href="/tag/%E4%B8%AD%E5%9B%BD">标签</a></div>`,
			[]string{`<a href="https://site.example/tag/中国"`}, nil},
		{"link modes: span",
			extract.Rules{Body: extract.Selectors{"div.b"}},
			`<div class="b">` + long + `<a href="/tag/x">标签</a></div>`,
			[]string{`<span href="https://site.example/tag/x">标签</span>`}, []string{"<a "}},
		{"replacements on text only",
			extract.Rules{Body: extract.Selectors{"div.b"}, Replace: []extract.Replacement{{Find: "看中国", With: "本站"}, {Regex: `（记者\S+?报导）`, With: ""}}},
			`<div class="b" title="看中国">` + long + `<p>【看中国讯】（记者王明报导）正文</p></div>`,
			[]string{`title="看中国"`, "【本站讯】正文"}, []string{"记者王明"}},
		{"second body selector when the first misses",
			extract.Rules{Body: extract.Selectors{"div.old", "div.new"}},
			`<div class="new">` + long + `</div>`,
			[]string{`<div class="new">`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			art := run(t, c.rules, c.page)
			for _, w := range c.want {
				if !strings.Contains(art.HTML, w) {
					t.Errorf("body lacks %s:\n%s", w, art.HTML)
				}
			}
			for _, n := range c.not {
				if strings.Contains(art.HTML, n) {
					t.Errorf("body keeps %s:\n%s", n, art.HTML)
				}
			}
		})
	}
}

func ptrTrue() *bool { v := true; return &v }

func TestPromoModesPlaceTheMarker(t *testing.T) {
	page := `<div class="b"><p>前</p><div class="ad">广告</div>` + long + `</div>`
	cases := map[string]string{
		extract.PromoInside:  `<div class="ad">` + extract.PromoMarker + `广告</div>`,
		extract.PromoBefore:  `<p>前</p>` + extract.PromoMarker + `<div class="ad">`,
		extract.PromoAfter:   `广告</div>` + extract.PromoMarker + `<p>`,
		extract.PromoReplace: `<p>前</p>` + extract.PromoMarker + `<p>`,
	}
	for mode, want := range cases {
		art := run(t, extract.Rules{Body: extract.Selectors{"div.b"}, PromoAnchor: "div.ad", PromoMode: mode}, page)
		if !strings.Contains(art.HTML, want) || strings.Count(art.HTML, extract.PromoMarker) != 1 || art.PromoAt != "anchor" {
			t.Errorf("mode %s: body\n%s\nwant %s once", mode, art.HTML, want)
		}
	}
	art := run(t, extract.Rules{Body: extract.Selectors{"div.b"}, PromoAnchor: "div.missing"}, `<div class="b"><p><img src="/a.jpg"></p>`+long+`</div>`)
	if art.PromoAt != "lead-image" || !strings.Contains(art.HTML, `</p>`+extract.PromoMarker) {
		t.Errorf("fallback after the lead image: %s\n%s", art.PromoAt, art.HTML)
	}
	art = run(t, extract.Rules{Body: extract.Selectors{"div.b"}}, `<div class="b">`+long+`</div>`)
	if art.PromoAt != "top" || !strings.HasPrefix(art.HTML, `<div class="b">`+extract.PromoMarker) {
		t.Errorf("fallback at the top: %s\n%s", art.PromoAt, art.HTML)
	}
}

// TestFallbackReadsChineseShortParagraphs: readability ports weigh commas
// and paragraph length the English way; a Chinese page of many short
// paragraphs must still come through whole when the selector misses.
func TestFallbackReadsChineseShortParagraphs(t *testing.T) {
	paras := []string{"警方说，嫌犯已被拘留。", "目击者称，现场一片混乱。", "医院收治了三名伤者。", "市长发表了简短声明。",
		"他说，城市会挺过去。", "居民自发前往悼念。", "鲜花堆满了街角。", "调查仍在进行中。", "更多细节尚未公布。",
		"交通已经恢复正常。", "学校照常上课。", "本台记者继续追踪报道。"}
	var b strings.Builder
	b.WriteString(`<html><head><title>短段落</title></head><body><nav><a href="/">首页</a><a href="/a">要闻</a><a href="/b">评论</a></nav><div class="layout-2024"><div class="story">`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</div></div><aside><ul><li><a href="/x">热门一</a></li><li><a href="/y">热门二</a></li></ul></aside><footer>版权所有 © 2024</footer></body></html>`)
	art := run(t, extract.Rules{Body: extract.Selectors{"div.article_right"}, MinText: 30}, b.String())
	if !art.Fallback || art.Rule != "readability" {
		t.Fatalf("rule %q, fallback %v; want readability", art.Rule, art.Fallback)
	}
	for _, p := range paras {
		if !strings.Contains(art.HTML, p) {
			t.Errorf("fallback lost paragraph %q:\n%s", p, art.HTML)
		}
	}
	for _, junk := range []string{"版权所有", "热门一"} {
		if strings.Contains(art.HTML, junk) {
			t.Errorf("fallback kept %q", junk)
		}
	}
	if len(art.Warnings) != 2 {
		t.Errorf("warnings = %q, want the miss and the fallback", art.Warnings)
	}
}

func TestMissWithoutFallbackIsAMissError(t *testing.T) {
	_, err := extract.Extract([]byte(`<p>x</p>`), mustURL(t, "https://a.example/1"), mustCompile(t, extract.Rules{Body: extract.Selectors{"div.b"}, Fallback: extract.FallbackNone}))
	var miss *extract.MissError
	if !errors.As(err, &miss) {
		t.Errorf("err = %v, want a MissError", err)
	}
}

func TestShortBodyIsKeptWhenReadabilityFindsNoMore(t *testing.T) {
	art := run(t, extract.Rules{Body: extract.Selectors{"div.b"}}, `<html><body><div class="b"><p>短讯一则。</p></div></body></html>`)
	if art.Fallback || !strings.Contains(art.HTML, "短讯一则") || len(art.Warnings) != 1 {
		t.Errorf("short body: fallback %v, warnings %q\n%s", art.Fallback, art.Warnings, art.HTML)
	}
}
