package extract_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/option"
)

// guardPage is an article of four paragraphs, a promo box the rules
// remove and a byline a replacement takes away.
const guardPage = `<html><body><div class="b">
<p>第一段：台风昨晚在南部沿海登陆，全市停课一天，地铁部分路段暂停运行。</p>
<p>第二段：气象局说，台风明天上午会减弱为热带低气压，市民仍要注意防范大雨。</p>
<div class="promo">请下载我们的手机应用，随时随地阅读最新的新闻报道，还有独家视频和直播节目等着您。</div>
<p>第三段：机场取消了一百多个航班，滞留的旅客可以免费改签到后天的航班。</p>
<p>第四段：（记者王明台北报导）市政府在各区开设了避难所，提供食物和饮水。</p>
</div></body></html>`

func TestRetentionGuardWarnsWhenThePublishedBodyLosesText(t *testing.T) {
	art := run(t, extract.Rules{Body: extract.Selectors{"div.b"}}, guardPage)
	if art.TextLost() != "" || art.Retained != 1 {
		t.Fatalf("whole body: retained %.3f, warning %q", art.Retained, art.TextLost())
	}
	whole := art.HTML
	cut := whole[:strings.Index(whole, "<p>第三段")] + "</div>"
	art.CheckPublished(cut)
	if art.Retained >= extract.DefaultMinRetained || !strings.Contains(art.TextLost(), "text lost") {
		t.Fatalf("half the body: retained %.3f, warning %q", art.Retained, art.TextLost())
	}
	if n := countWarnings(art, "text lost"); n != 1 {
		t.Errorf("%d text-lost warnings, want 1: %q", n, art.Warnings)
	}
	art.CheckPublished(whole)
	if art.TextLost() != "" || countWarnings(art, "text lost") != 0 {
		t.Errorf("measured again on the whole body, the warning stays: %q", art.Warnings)
	}
}

func TestRetentionGuardSubtractsWhatTheRulesRemove(t *testing.T) {
	rules := extract.Rules{Body: extract.Selectors{"div.b"}, Remove: []string{"div.promo"},
		Replace: []extract.Replacement{{Regex: `（记者\S+?报导）`}}}
	art := run(t, rules, guardPage)
	plain := run(t, extract.Rules{Body: extract.Selectors{"div.b"}}, guardPage)
	if art.TextLost() != "" || art.Retained != 1 {
		t.Errorf("retained %.3f, warning %q: the rules' own removals count as loss", art.Retained, art.TextLost())
	}
	if removed := plain.SourceText - art.SourceText; removed != len([]rune("请下载我们的手机应用，随时随地阅读最新的新闻报道，还有独家视频和直播节目等着您。"))+len([]rune("（记者王明台北报导）")) {
		t.Errorf("source text %d, without rules %d: removed %d", art.SourceText, plain.SourceText, removed)
	}
}

func TestMinRetainedIsAShareBetweenZeroAndOne(t *testing.T) {
	_, err := extract.Rules{Body: extract.Selectors{"p"}, MinRetained: 1.5}.Compile()
	var fe *option.FieldError
	if !errors.As(err, &fe) || fe.Field != "min_retained" {
		t.Errorf("min_retained 1.5: %v", err)
	}
	art := run(t, extract.Rules{Body: extract.Selectors{"div.b"}, MinRetained: 1}, guardPage)
	art.CheckPublished(strings.Replace(art.HTML, "第一段", "", 1))
	if art.TextLost() == "" {
		t.Errorf("min_retained 1 and three characters gone: no warning (retained %.4f)", art.Retained)
	}
}

func TestHiddenTextIsNeitherPublishedNorCountedAsLost(t *testing.T) {
	page := `<div class="b">` + long + `<div style="display:none">` + strings.Repeat("隐藏的关键词", 20) + `</div></div>`
	art := run(t, extract.Rules{Body: extract.Selectors{"div.b"}}, page)
	if strings.Contains(art.HTML, "隐藏的关键词") || art.TextLost() != "" {
		t.Errorf("hidden text published or counted as lost: %q\n%s", art.Warnings, art.HTML)
	}
	if countWarnings(art, "the page hides") != 1 {
		t.Errorf("120 hidden characters dropped without a warning: %q", art.Warnings)
	}
}

func TestFallbackTakesTheArticleNotASignUpFormOrPrintNotice(t *testing.T) {
	for page, want := range map[string]string{
		"testdata/fallback/signup-form.html":   "镇长在开馆仪式上说",
		"testdata/fallback/print-notice.html":  "The council will decide next year",
		"testdata/fallback/short-article.html": "机场上午十点恢复起降",
	} {
		art := viewCase(t, page)
		if !art.Fallback || !strings.Contains(art.HTML, want) {
			t.Errorf("%s: fallback %v, body lacks %q:\n%s", page, art.Fallback, want, art.HTML)
		}
	}
}

func countWarnings(a *extract.Article, sub string) int {
	n := 0
	for _, w := range a.Warnings {
		if strings.Contains(w, sub) {
			n++
		}
	}
	return n
}

func TestAZeroArticleHasLostNoText(t *testing.T) {
	var art extract.Article
	art.CheckPublished("<p>正文</p>")
	if art.TextLost() != "" || len(art.Warnings) != 0 {
		t.Errorf("zero article: %q, %q", art.TextLost(), art.Warnings)
	}
}
