package feed_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/feed"
)

func TestRealJSONListingsReadWithTheMinghuiMapping(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	o := &feed.Options{TimeZone: "Asia/Shanghai", JSON: feed.JSONListing{Base: "https://www.minghui.org/"}}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file      string
		items     int
		title     string
		url       string
		published time.Time
	}{
		{"gfw-breaker+mh-news/91.js", 129, "233人声明从新开始修炼", "https://www.minghui.org/mh/articles/2021/7/20/428432.html", time.Date(2021, 7, 20, 0, 0, 0, 0, shanghai)},
		{"gfw-breaker+mh-news/245.js", 8, "大陆大法学员呼吁中央领导及时制止武汉电视台肇事行为", "https://www.minghui.org/mh/articles/1999/7/19/%E5%A4%A7%E9%99%86%E5%A4%A7%E6%B3%95%E5%AD%A6%E5%91%98%E5%91%BC%E5%90%81%E4%B8%AD%E5%A4%AE%E9%A2%86%E5%AF%BC%E5%8F%8A%E6%97%B6%E5%88%B6%E6%AD%A2%E6%AD%A6%E6%B1%89%E7%94%B5%E8%A7%86%E5%8F%B0%E8%82%87%E4%BA%8B%E8%A1%8C%E4%B8%BA-8624.html", time.Date(1999, 7, 19, 0, 0, 0, 0, shanghai)},
	} {
		items, err := readItems(feed.KindJSON, readReal(t, tc.file), "https://lists.example/x.js", o)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if len(items) != tc.items {
			t.Errorf("%s: %d items, want %d", tc.file, len(items), tc.items)
		}
		if it := items[0]; it.Title != tc.title || it.URL != tc.url || !it.Published.Equal(tc.published) {
			t.Errorf("%s: first item %+v, want %q %s %s", tc.file, it, tc.title, tc.url, tc.published)
		}
	}
}

func TestBrokenAndEmptyJSONListingsAreErrors(t *testing.T) {
	for _, file := range []string{"gfw-breaker+mh-news/140.js", "gfw-breaker+mh-news/140.js.empty-at-5e3acc2"} {
		_, err := readItems(feed.KindJSON, readReal(t, file), "https://lists.example/140.js", &feed.Options{})
		if err == nil || !strings.Contains(err.Error(), "140.js") {
			t.Errorf("%s: err = %v, want an error naming the listing", file, err)
		}
	}
}

func TestListingResolvesRelativeLinksAndSkipsItemsWithoutOne(t *testing.T) {
	page := `<html><head><base href="/gb/"></head><body><div class="list_wrapper">
<div class="one_post"><a href="a.html"><img></a><a href="2019/a102517471.html"> 标题
 一 </a></div>
<div class="one_post"><a href="x"><img></a></div>
<div class="one_post"><a href="b.html"><img></a><a href="//cdn.example/b/a2.html" title="标题二"></a></div>
<div class="one_post"><a href="b.html"><img></a><a href="javascript:void(0)">坏链接</a></div>
</div></body></html>`
	o := &feed.Options{Listing: feed.Listing{Item: "div.list_wrapper div.one_post", Link: "a:nth-of-type(2)"}}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	items, err := readItems(feed.KindListing, []byte(page), "http://www.ntdtv.com/gb/prog204.html", o)
	if err != nil {
		t.Fatal(err)
	}
	want := []feed.Item{
		{URL: "http://www.ntdtv.com/gb/2019/a102517471.html", Title: "标题 一"},
		{URL: "http://cdn.example/b/a2.html", Title: "标题二"},
	}
	if len(items) != len(want) {
		t.Fatalf("items %+v, want %+v", items, want)
	}
	for i := range want {
		if items[i] != want[i] {
			t.Errorf("item %d = %+v, want %+v", i, items[i], want[i])
		}
	}
}

func TestListingDatesAreReadInTheSourceZone(t *testing.T) {
	page := `<ul><li><a href="/a/1.html">一</a><span class="d">2022-01-13 08:00</span></li>
<li><a href="/a/2.html">二</a><time datetime="2022-01-12T08:00:00Z">昨天</time></li>
<li><a href="/a/3.html">三</a><span class="d">不是日期</span></li></ul>`
	o := &feed.Options{TimeZone: "Asia/Shanghai", Listing: feed.Listing{Item: "li", Date: "span.d, time"}}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	items, err := readItems(feed.KindListing, []byte(page), "http://x.example/", o)
	if err != nil || len(items) != 3 {
		t.Fatalf("items %+v, %v", items, err)
	}
	want := []time.Time{time.Date(2022, 1, 13, 0, 0, 0, 0, time.UTC), time.Date(2022, 1, 12, 8, 0, 0, 0, time.UTC), {}}
	for i, w := range want {
		if !items[i].Published.Equal(w) {
			t.Errorf("item %d date %s, want %s", i, items[i].Published.UTC(), w)
		}
	}
}

func TestListingWithoutMatchesIsAnError(t *testing.T) {
	o := &feed.Options{Listing: feed.Listing{Item: "div.gone"}}
	_, err := readItems(feed.KindListing, []byte("<p>redesigned</p>"), "http://x.example/", o)
	if err == nil || !strings.Contains(err.Error(), "selector broken?") {
		t.Errorf("err = %v", err)
	}
}

func TestFeedDatesWithoutZoneUseTheSourceZone(t *testing.T) {
	rss := `<rss version="2.0"><channel><title>t</title>
<item><title>无时区</title><link>http://x.example/1.html</link><pubDate>2022-01-13 08:00:00</pubDate></item>
<item><title>有时区</title><link>http://x.example/2.html</link><pubDate>Thu, 13 Jan 2022 02:00:00 +0000</pubDate></item>
</channel></rss>`
	o := &feed.Options{TimeZone: "Asia/Shanghai"}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	items, err := readItems(feed.KindFeed, []byte(rss), "http://x.example/", o)
	if err != nil || len(items) != 2 {
		t.Fatalf("items %+v, %v", items, err)
	}
	want := time.Date(2022, 1, 13, 0, 0, 0, 0, time.UTC)
	if !items[0].Published.Equal(want) {
		t.Errorf("zone-less date read as %s, want %s (08:00 in Shanghai)", items[0].Published.UTC(), want)
	}
	if !items[1].Published.Equal(want.Add(2 * time.Hour)) {
		t.Errorf("dated item read as %s", items[1].Published.UTC())
	}
}

func TestTruncatedFeedIsAnError(t *testing.T) {
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>半`
	if _, err := feed.Parse([]byte(rss), "http://x.example/feed"); err == nil {
		t.Error("a truncated feed parsed without error")
	}
}

func TestArticleIDsAreSafeFileNames(t *testing.T) {
	epoch := regexp.MustCompile(`[?&]p=(\d+)`)
	for _, tc := range []struct {
		url  string
		re   *regexp.Regexp
		want string // "" for an error
	}{
		{"http://www.ntdtv.com/gb/2019/02/22/a102517471.html", nil, "a102517471"},
		{"https://www.secretchina.com/news/gb/2022/04/10/1003540.html?from=rss", nil, "1003540"},
		{"http://www.soundofhope.org/post/595855?lang=b5", nil, "595855"},
		{"http://www.epochtimes.com/gb/?p=11612360", epoch, "11612360"},
		{"http://www.epochtimes.com/gb/?p=11612360", nil, "gb"}, // safe but useless: such sites need id_pattern
		{"http://x.example/a/..", nil, ""},
		{"http://x.example/a/%2e%2e%2f", nil, ""},
		{"http://x.example/a/b%0Ac.html", nil, ""},
		{"http://x.example/a/%2Fetc%2Fpasswd", nil, "passwd"},
		{"http://x.example/articles/", nil, "articles"},
		{"http://x.example/a/n123.htm", regexp.MustCompile(`/(\d+)\.htm$`), ""}, // pattern does not match
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		got, err := feed.ArticleID(u, tc.re)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: id %q, want an error", tc.url, got)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("%s: id %q, %v; want %q", tc.url, got, err, tc.want)
		}
		if strings.ContainsAny(got, "/?\\\x00\n") || strings.Contains(got, "..") {
			t.Errorf("%s: unsafe id %q", tc.url, got)
		}
	}
}
