package atomfeed_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/newsmirror/newsmirror/internal/atomfeed"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/render"
)

const atomNS = "http://www.w3.org/2005/Atom"

func testConfig(length int) (config.Site, config.Output) {
	cfg := config.Default()
	cfg.Site.Title = "新闻 <镜像> & 朋友"
	cfg.Output.PageURL = "https://github.com/o/r/blob/master/{path}"
	cfg.Output.Feeds = config.Feeds{Enabled: true, Length: length}
	return cfg.Site, cfg.Output
}

var (
	t1 = time.Date(2022, 1, 13, 2, 0, 0, 0, time.UTC)
	t2 = time.Date(2022, 1, 13, 1, 0, 0, 0, time.FixedZone("CST", 8*3600))
	t3 = time.Date(2022, 1, 12, 1, 0, 0, 0, time.UTC)
)

func index() render.List {
	return render.List{Kind: render.KindIndex, Path: "indexes/S看世界.md", Title: "S看世界", Entries: []render.Entry{
		{Title: "置顶：外部链接", Path: "https://example.test/sticky"},
		{Title: `标题 <b>粗</b> & "引号"`, Path: "pages/world/102.md", Time: t1},
		{Title: "第二篇", Path: "pages/world/101.md", Time: t2},
		{Title: "第三篇", Path: "pages/world/103.md", Time: t3},
		{Title: "运营者的文件", Path: "/about.md"},
	}}
}

func parse(t *testing.T, data []byte) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(string(data))
	if err != nil {
		t.Fatalf("gofeed cannot read the feed: %v\n%s", err, data)
	}
	if f.FeedType != "atom" {
		t.Fatalf("feed type %q, want atom", f.FeedType)
	}
	return f
}

func TestIndexFeedListsTheNewestPagesWithAbsoluteURLs(t *testing.T) {
	s, out := testConfig(2)
	data, err := atomfeed.New(s, out).List(index(), "01130820")
	if err != nil {
		t.Fatal(err)
	}
	checkRequired(t, data)
	f := parse(t, data)
	if len(f.Items) != 2 {
		t.Fatalf("%d entries, want the 2 newest pages (outside links left out):\n%s", len(f.Items), data)
	}
	first := f.Items[0]
	if first.Title != `标题 <b>粗</b> & "引号"` {
		t.Errorf("title not carried as text: %q", first.Title)
	}
	if first.Link != "https://github.com/o/r/blob/master/pages/world/102.md" || first.GUID != first.Link {
		t.Errorf("entry link %q id %q", first.Link, first.GUID)
	}
	if f.Items[1].Updated != "2022-01-12T17:00:00Z" {
		t.Errorf("second entry updated %q, want its time in UTC", f.Items[1].Updated)
	}
	if f.Updated != "2022-01-13T02:00:00Z" {
		t.Errorf("feed updated %q, want the newest entry's time", f.Updated)
	}
	if f.Title != "S看世界 - 新闻 <镜像> & 朋友" || f.Link != "https://github.com/o/r/blob/master/indexes/S%E7%9C%8B%E4%B8%96%E7%95%8C.md" {
		t.Errorf("feed title %q link %q", f.Title, f.Link)
	}
	if f.FeedLink != "https://github.com/o/r/blob/master/indexes/S%E7%9C%8B%E4%B8%96%E7%95%8C.xml" {
		t.Errorf("self link %q", f.FeedLink)
	}
	if !bytes.Contains(data, []byte(`<link rel="self" type="application/atom+xml" href="https://github.com/o/r/blob/master/indexes/S%E7%9C%8B%E4%B8%96%E7%95%8C.xml">`)) {
		t.Errorf("self link not written as a URI:\n%s", data)
	}
	if !bytes.Contains(data, []byte("&lt;b&gt;粗&lt;/b&gt; &amp;")) {
		t.Errorf("markup in a title is not escaped:\n%s", data)
	}
}

func TestFeedIsTheSameWhenItsPagesAreTheSame(t *testing.T) {
	s, out := testConfig(20)
	r := atomfeed.New(s, out)
	a, err := r.List(index(), "01130820")
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.List(index(), "01140930")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("a later run with the same pages changes the feed:\n%s\n%s", a, b)
	}
}

func TestOnlyChannelIndexesAndTheHomePageHaveFeeds(t *testing.T) {
	s, out := testConfig(20)
	r := atomfeed.New(s, out)
	for _, kind := range []string{render.KindEarlier, render.KindHot, render.KindEditors} {
		l := index()
		l.Kind = kind
		if data, err := r.List(l, "01130820"); err != nil || data != nil {
			t.Errorf("%s list: feed %q, err %v; want none", kind, data, err)
		}
	}
	if data, err := r.Page(render.Article{Path: "pages/world/1.md", ID: "1", ChannelID: "world"}); err != nil || data != nil {
		t.Errorf("page: feed %q, err %v; want none", data, err)
	}
}

func TestHomeFeedNamesTheVariantCopiesInItsScript(t *testing.T) {
	s, out := testConfig(20)
	out.Feeds.URL = "https://cdn.example.test/gh/o/r/{path}"
	r := atomfeed.New(s, out, render.Convert(strings.NewReplacer("新闻", "新聞", "镜像", "鏡像").Replace), render.Lang("zh-Hant"))
	h := render.Home{Tree: "zh-Hant", Recent: []render.Entry{{Title: "新聞一則", Path: "pages/world/102.md", Time: t1}}}
	data, err := r.Home(h, "01130820")
	if err != nil {
		t.Fatal(err)
	}
	checkRequired(t, data)
	f := parse(t, data)
	if f.Title != "新聞 <鏡像> & 朋友" || f.Language != "zh-Hant" {
		t.Errorf("title %q language %q", f.Title, f.Language)
	}
	if f.FeedLink != "https://cdn.example.test/gh/o/r/zh-Hant/index.xml" || f.Link != "https://github.com/o/r/blob/master/zh-Hant/README.md" {
		t.Errorf("self %q alternate %q", f.FeedLink, f.Link)
	}
	if len(f.Items) != 1 || f.Items[0].Link != "https://github.com/o/r/blob/master/zh-Hant/pages/world/102.md" {
		t.Errorf("entries: %+v", f.Items)
	}
}

func TestFeedOfAnHTMLOnlyMirrorLinksTheHTMLPages(t *testing.T) {
	s, out := testConfig(20)
	out.PageURL = "https://mirror.example.test/{path}"
	out.HTML.Enabled, out.HTML.Only = true, true
	data, err := atomfeed.New(s, out).List(index(), "")
	if err != nil {
		t.Fatal(err)
	}
	f := parse(t, data)
	if f.Link != "https://mirror.example.test/indexes/S%E7%9C%8B%E4%B8%96%E7%95%8C.html" || f.Items[0].Link != "https://mirror.example.test/pages/world/102.html" {
		t.Errorf("alternate %q, first entry %q", f.Link, f.Items[0].Link)
	}
}

func TestEmptyIndexFeedIsStillValidAtom(t *testing.T) {
	s, out := testConfig(20)
	s.Title = ""
	data, err := atomfeed.New(s, out).List(render.List{Kind: render.KindIndex, Path: "indexes/S空.md", Title: "S空"}, "")
	if err != nil {
		t.Fatal(err)
	}
	checkRequired(t, data)
	if f := parse(t, data); len(f.Items) != 0 {
		t.Errorf("entries in an empty feed: %+v", f.Items)
	}
}

// checkRequired walks the feed's XML and reports what RFC 4287 requires and
// the feed lacks: atom:feed with one atom:id, atom:title and atom:updated
// (RFC 3339), an atom:author when an entry has none; each atom:entry with
// one atom:id, atom:title, atom:updated and an atom:link or atom:content.
func checkRequired(t *testing.T, data []byte) {
	t.Helper()
	if err := walk(data); err != nil {
		t.Errorf("%v\n%s", err, data)
	}
}

func walk(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	counts := []map[string]int{}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if len(path) == 0 && (el.Name.Space != atomNS || el.Name.Local != "feed") {
				return fmt.Errorf("root element %v, want atom:feed", el.Name)
			}
			if len(counts) > 0 && el.Name.Space == atomNS {
				counts[len(counts)-1][el.Name.Local]++
			}
			if el.Name.Local == "updated" {
				var s string
				if err := d.DecodeElement(&s, &el); err != nil {
					return err
				}
				if _, err := time.Parse(time.RFC3339, s); err != nil {
					return fmt.Errorf("updated %q is not an RFC 3339 date", s)
				}
				continue
			}
			path = append(path, el.Name.Local)
			counts = append(counts, map[string]int{})
		case xml.EndElement:
			c := counts[len(counts)-1]
			if err := required(path, c); err != nil {
				return err
			}
			if len(counts) > 1 && path[len(path)-1] == "entry" && c["author"] > 0 {
				counts[0]["entry-author"]++
			}
			path, counts = path[:len(path)-1], counts[:len(counts)-1]
		}
	}
	return nil
}

// required checks the children counted in c of the element at path.
func required(path []string, c map[string]int) error {
	name := strings.Join(path, "/")
	switch name {
	case "feed":
		if c["author"] == 0 && c["entry"] > c["entry-author"] {
			return errors.New("feed: no atom:author while entries have none")
		}
	case "feed/entry":
		if c["link"] == 0 && c["content"] == 0 {
			return errors.New("entry: neither atom:link nor atom:content")
		}
	default:
		return nil
	}
	for _, el := range []string{"id", "title", "updated"} {
		if c[el] != 1 {
			return fmt.Errorf("%s: %d atom:%s, want exactly one", name, c[el], el)
		}
	}
	return nil
}
