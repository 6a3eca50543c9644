package feed_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/feed"
)

// readItems is feed.Read's items.
func readItems(kind string, data []byte, base string, o *feed.Options) ([]feed.Item, error) {
	res, err := feed.Read(kind, data, base, o)
	return res.Items, err
}

const brokenBase = "https://news.example.cn/feed.xml"

// u is the URL of the article numbered n in testdata/broken.
func u(n int) string { return fmt.Sprintf("https://news.example.cn/2026/11/%d.html", n) }

func TestBrokenFeedsAreSalvagedWithWarnings(t *testing.T) {
	for _, tc := range []struct {
		file     string
		urls     []string
		titles   []string // optional: the titles, in order
		warnings []string // "kind: message"
	}{
		{"truncated-mid-title.xml", []string{u(101), u(102), u(103)}, nil,
			[]string{"truncated: feed truncated in item 4: kept 3 complete items"}},
		{"truncated-in-cdata.xml", []string{u(201), u(202)}, nil,
			[]string{"truncated: feed truncated in item 3: kept 2 complete items"}},
		{"truncated-after-items.xml", []string{u(301), u(302)}, nil,
			[]string{"truncated: feed truncated after item 2: kept all 2 complete items"}},
		{"truncated-atom.xml", []string{u(1401)}, nil,
			[]string{"truncated: feed truncated in item 2: kept 1 complete item"}},
		{"junk-before-declaration.xml", []string{u(401), u(402)}, []string{"台风“海燕”登陆福建", "福建沿海渔船回港避风"},
			[]string{"junk: 108 bytes of junk before the XML declaration ignored"}},
		{"bom-and-blank-lines.xml", []string{u(501)}, nil, nil},
		{"junk-after-root.xml", []string{u(1001)}, nil,
			[]string{"junk: 51 bytes after the end of the feed ignored"}},
		{"unescaped-lt-amp.xml", []string{u(601), u(602), u(603), u(604)},
			[]string{"中美贸易 & 关税谈判重启", "沪指<3000点 投资者观望", "一<二：小学数学课改引热议", "AT&T 与华为 专利诉讼和解"},
			[]string{"unescaped: item 1: unescaped '&' in text escaped (and 7 more)"}},
		{"mismatched-end-tag.xml", []string{u(701), u(702), u(703), u(704)}, nil,
			[]string{"mismatched-tag: item 2 had a mismatched end tag </i>: ignored (and 1 more)"}},
		// A mistyped end tag would otherwise hold the item's link inside
		// its title: the title ends where the next field begins.
		{"mistyped-end-tag.xml", []string{u(1601), u(1602)}, []string{"澳门赛车节落幕", "香港维港烟花汇演"},
			[]string{"mismatched-tag: item 1 had a mismatched end tag </titel>: ignored (and 1 more)"}},
		{"unclosed-item.xml", []string{u(801), u(802), u(803)}, []string{"天津港吞吐量创新高", "青岛啤酒节闭幕", "济南泉水复涌"},
			[]string{"unclosed-item: item 2 was not closed before the next one: ended there"}},
		{"control-character.xml", []string{u(901), u(902)}, []string{"长沙夜经济火爆", "昆明滇池治理见成效"},
			[]string{"bad-char: item 1: control character U+000B removed (and 3 more)"}},
		// Unescaped HTML with <br>, <img> and &nbsp; is read without a
		// warning: nothing is guessed or lost.
		{"html-in-description.xml", []string{u(1101), u(1102)}, nil, nil},
		{"guid-links.xml", []string{u(1202), u(1203), u(1205), u(1206)}, nil,
			[]string{`no-link: item 1 "郑州航空港新航线开通" has no link (its guid is not a permalink): skipped (and 1 more)`}},
		{"atom-links.xml", []string{u(1301), u(1302), u(1303)}, nil,
			[]string{
				`id-as-link: item 3 "海口免税店销售额增长" has no link: its id used as its URL`,
				`no-link: item 4 "拉萨布达拉宫冬季开放" has no link (its links are rel="enclosure", none an alternate): skipped`,
			}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "broken", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			res, err := feed.Read(feed.KindFeed, data, brokenBase, nil)
			if err != nil {
				t.Fatal(err)
			}
			var urls, titles, warnings []string
			for _, it := range res.Items {
				urls, titles = append(urls, it.URL), append(titles, it.Title)
			}
			for _, w := range res.Warnings {
				warnings = append(warnings, w.Kind+": "+w.Message)
			}
			if strings.Join(urls, "\n") != strings.Join(tc.urls, "\n") {
				t.Errorf("items\n%s\nwant\n%s", strings.Join(urls, "\n"), strings.Join(tc.urls, "\n"))
			}
			if tc.titles != nil && strings.Join(titles, "\n") != strings.Join(tc.titles, "\n") {
				t.Errorf("titles\n%s\nwant\n%s", strings.Join(titles, "\n"), strings.Join(tc.titles, "\n"))
			}
			if strings.Join(warnings, "\n") != strings.Join(tc.warnings, "\n") {
				t.Errorf("warnings\n%s\nwant\n%s", strings.Join(warnings, "\n"), strings.Join(tc.warnings, "\n"))
			}
		})
	}
}

func TestSalvagedItemsKeepTheirContentAndDates(t *testing.T) {
	data, err := os.ReadFile("testdata/broken/truncated-in-cdata.xml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := feed.Read(feed.KindFeed, data, brokenBase, nil)
	if err != nil || len(res.Items) != 2 {
		t.Fatalf("items %+v, %v", res.Items, err)
	}
	it := res.Items[1]
	if it.Content != "<p>长江中下游水位持续走低。</p>" {
		t.Errorf("content %q", it.Content)
	}
	if got := it.Published.UTC().Format("2006-01-02 15:04"); got != "2026-11-29 18:00" {
		t.Errorf("date %s, want 2026-11-29 18:00 UTC", got)
	}
}

func TestFeedTruncatedBeforeAnyItemIsAnError(t *testing.T) {
	for _, doc := range []string{
		`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>半`,
		`<?xml version="1.0"?><rss version="2.0"><channel><title>新闻`,
	} {
		_, err := feed.Read(feed.KindFeed, []byte(doc), brokenBase, nil)
		if err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("%q: err %v, want one saying it was truncated", doc, err)
		}
	}
}

func TestWellFormedFeedHasNoWarnings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="utf-8"?>
<!-- generated -->
<rss version="2.0"><channel><title>新闻</title>
<item><title>成都 &amp; 重庆 &lt;双城&gt;</title><link>https://news.example.cn/1.html</link><guid isPermaLink="false">n-1</guid></item>
</channel></rss>`
	res, err := feed.Read(feed.KindFeed, []byte(doc), brokenBase, nil)
	if err != nil || len(res.Items) != 1 || len(res.Warnings) != 0 {
		t.Fatalf("items %+v, warnings %v, %v", res.Items, res.Warnings, err)
	}
	if res.Items[0].Title != "成都 & 重庆 <双城>" {
		t.Errorf("title %q", res.Items[0].Title)
	}
}

func TestDeeplyNestedItemIsDroppedAndTheOthersKept(t *testing.T) {
	for name, nest := range map[string]string{
		"never closed": strings.Repeat("<div>", 100000),
		"closed":       strings.Repeat("<div>", 5000) + "深" + strings.Repeat("</div>", 5000),
	} {
		t.Run(name, func(t *testing.T) {
			doc := `<rss><channel><title>t</title>
<item><title>嵌套</title><link>https://news.example.cn/1.html</link><description>` + nest + `</description></item>
<item><title>正常</title><link>https://news.example.cn/2.html</link></item></channel></rss>`
			res, err := feed.Read(feed.KindFeed, []byte(doc), brokenBase, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Items) != 1 || res.Items[0].URL != "https://news.example.cn/2.html" {
				t.Errorf("items %+v, want only the second", res.Items)
			}
			want := fmt.Sprintf("item 1 nests elements deeper than %d: dropped", feed.MaxDepth)
			if len(res.Warnings) != 1 || res.Warnings[0].Message != want {
				t.Errorf("warnings %v, want %q", res.Warnings, want)
			}
		})
	}
}

func TestJSONFeedIDUsedAsLinkWithAWarning(t *testing.T) {
	doc := `{"version":"https://jsonfeed.org/version/1.1","title":"新闻","items":[
{"id":"https://news.example.cn/2026/11/1501.html","title":"大连海滨步道开放"},
{"id":"1502","title":"沈阳故宫夜游","external_url":"https://other.example/1502"},
{"id":"x","url":"https://news.example.cn/2026/11/1503.html","title":"长春电影节开幕"}]}`
	res, err := feed.Read(feed.KindFeed, []byte(doc), brokenBase, nil)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, it := range res.Items {
		urls = append(urls, it.URL)
	}
	if strings.Join(urls, " ") != u(1501)+" "+u(1503) {
		t.Errorf("items %v", urls)
	}
	if len(res.Warnings) != 2 || res.Warnings[0].Kind != feed.WarnIDAsLink || res.Warnings[1].Kind != feed.WarnNoLink {
		t.Errorf("warnings %v", res.Warnings)
	}
}

func TestSelfClosedItemsAreEmptyItems(t *testing.T) {
	doc := `<rss><channel><title>t</title><item/><item/>
<item><title>一</title><link>https://news.example.cn/1.html</link></item><item/></channel></rss>`
	res, err := feed.Read(feed.KindFeed, []byte(doc), brokenBase, nil)
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("items %+v, %v", res.Items, err)
	}
	// Nothing to repair: the empty items are only items without a link.
	if len(res.Warnings) != 1 || res.Warnings[0].Kind != feed.WarnNoLink {
		t.Errorf("warnings %v, want only that items had no link", res.Warnings)
	}
}

func TestAFeedOfMillionsOfItemsIsReadForMaxItems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss><channel><title>t</title>`)
	for i := range feed.MaxItems + 500 {
		fmt.Fprintf(&b, `<item><title>第%d条</title><link>/%d</link></item>`, i, i)
	}
	b.WriteString(`</channel></rss>`)
	res, err := feed.Read(feed.KindFeed, []byte(b.String()), brokenBase, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != feed.MaxItems {
		t.Errorf("%d items, want %d", len(res.Items), feed.MaxItems)
	}
	want := fmt.Sprintf("too-many: the feed lists more than %d items: the rest ignored", feed.MaxItems)
	if len(res.Warnings) != 1 || res.Warnings[0].Kind+": "+res.Warnings[0].Message != want {
		t.Errorf("warnings %v, want %q", res.Warnings, want)
	}
}
