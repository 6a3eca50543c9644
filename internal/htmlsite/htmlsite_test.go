package htmlsite_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/golden"
	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/site"
)

func renderer(t *testing.T) *htmlsite.Renderer {
	t.Helper()
	cfg := config.Default()
	cfg.Output.PageURL = "https://github.com/o/r/blob/main/{path}"
	cfg.Site.Nav = []config.Link{{Label: "教程", URL: "guides/README.md"}}
	cfg.Site.Promo = []config.PromoLine{{Links: []config.Link{{Label: " 推广", URL: "https://example.test/p.md"}}}}
	r, err := htmlsite.New(cfg.Site, cfg.Output)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHTMLFilesMatchGolden(t *testing.T) {
	r := renderer(t)
	page, err := r.Page(render.Article{
		Path: "pages/p9/994979.md", ID: "994979", Title: "标题 <与> 符号", ChannelID: "p9",
		IndexName: "S看世界", ChannelName: "看世界", OriginalURL: "https://news.example.test/994979.html",
		Published:  time.Date(2026, 11, 30, 16, 5, 0, 0, time.UTC),
		Alternates: []render.Alternate{{Label: "繁體中文", Loc: site.At("pages/p9/994979.md").In("zh-Hant")}},
		Body:       `<div class="article_right"><p><img src="../../assets/ab/ab.png"/></p><div class="ad">` + extract.PromoMarker + `</div><p>正文。</p></div>`,
	})
	if err != nil {
		t.Fatal(err)
	}
	index, err := r.List(render.List{
		Kind: render.KindIndex, Path: "indexes/S看世界.md", Title: "S看世界", Name: "看世界",
		Updated: time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC),
		Entries: []render.Entry{{Title: "第一篇", Path: "pages/p9/1.md"}, {Title: "外站文章", Path: "https://github.com/o/other/blob/master/pages/1/2.md"}},
		Earlier: render.Link{Label: "更早内容", URL: "indexes/S看世界-earlier.md"},
	}, "01130820")
	if err != nil {
		t.Fatal(err)
	}
	picks := &render.Picks{Label: "编辑推荐", Entries: []render.Entry{{Title: "推荐一", Path: "pages/p9/1.md"}}, More: render.Link{Label: "更多编辑推荐", URL: "indexes/编辑推荐.md"}}
	home, err := r.Home(render.Home{Sections: []render.Section{{Name: "看中国", Links: []render.Link{{Label: "看世界", URL: "indexes/S看世界.md"}}}}, Picks: picks}, "01130820")
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"page": page, "index": index, "home": home} {
		golden.Compare(t, "testdata/"+name+".golden", string(got))
	}
}

func TestStylesheetRequestsNothing(t *testing.T) {
	css := string(htmlsite.Stylesheet())
	for _, bad := range []string{"@import", "url(", "@font-face", "http:", "https:"} {
		if strings.Contains(css, bad) {
			t.Errorf("style.css contains %q: it must not load anything", bad)
		}
	}
}

func TestHTMLIndexWithoutEarlierPageHasNoEarlierLink(t *testing.T) {
	index, err := renderer(t).List(render.List{
		Kind: render.KindIndex, Path: "indexes/S看世界.md", Title: "S看世界", Name: "看世界",
		Entries: []render.Entry{{Title: "第一篇", Path: "pages/p9/1.md"}},
	}, "01130820")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`class="earlier"`, `href=""`, "&gt;&gt;&gt;", `class="updated"`} {
		if strings.Contains(string(index), bad) {
			t.Errorf("index without an earlier page nor a time holds %s:\n%s", bad, index)
		}
	}
	if !strings.Contains(string(index), "<h1>看世界</h1>") {
		t.Errorf("heading is not the channel's name:\n%s", index)
	}
}

func TestHTMLPageOfAnUndatedArticleShowsWhenItWasMirrored(t *testing.T) {
	page, err := renderer(t).Page(render.Article{
		Path: "pages/p9/994980.md", ID: "994980", Title: "无日期", ChannelID: "p9",
		IndexName: "S看世界", ChannelName: "看世界", OriginalURL: "https://news.example.test/994980.html",
		Mirrored: time.Date(2026, 12, 1, 1, 40, 0, 0, time.UTC),
		Body:     `<div class="article_right"><p>正文。</p></div>`,
	})
	if err != nil {
		t.Fatal(err)
	}
	golden.Compare(t, "testdata/page-mirrored.golden", string(page))
}
