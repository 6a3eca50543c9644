package mirror_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/tools/txtar"
)

// readFeed parses the Atom feed at rel in the mirror out.
func readFeed(t *testing.T, out, rel string) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(readFile(t, out, rel))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if f.FeedType != "atom" {
		t.Fatalf("%s: feed type %q", rel, f.FeedType)
	}
	return f
}

func titles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestSyncPublishesFeedsInEveryTree(t *testing.T) {
	ar := variantArchive(t, "{enabled: true}", "")
	site := newFakeSite(t, ar)
	site.set("/a.png", string(solidPNG(t, 30, 20)))
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	cfg.Output.Feeds.Enabled = true
	syncAt(t, cfg, site.client(), runTime)

	const base = "https://github.com/o/r/blob/master/"
	for _, tt := range []struct {
		file, tree string
		want       []string
	}{
		{"indexes/P看图.xml", "", []string{"第一组图片", "第二组图片"}},
		{"index.xml", "", []string{"第一组图片", "第二组图片"}},
		{"zh-Hant/indexes/P看图.xml", "zh-Hant/", []string{"第一組圖片", "第二組圖片"}},
		{"zh-Hant/index.xml", "zh-Hant/", []string{"第一組圖片", "第二組圖片"}},
	} {
		f := readFeed(t, out, tt.file)
		if got := titles(f); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: entries %q, want %q", tt.file, got, tt.want)
			continue
		}
		if link := f.Items[0].Link; link != base+tt.tree+"pages/photo/301.md" || f.Items[0].GUID != link {
			t.Errorf("%s: first entry link %q id %q", tt.file, link, f.Items[0].GUID)
		}
		if f.Items[0].Updated != "2022-01-13T02:00:00Z" || f.Updated != "2022-01-13T02:00:00Z" {
			t.Errorf("%s: entry updated %q, feed updated %q; want the article's published time", tt.file, f.Items[0].Updated, f.Updated)
		}
	}
	for file, want := range map[string]string{
		"indexes/P看图.html":         `<link rel="alternate" type="application/atom+xml" title="看图" href="../indexes/P%e7%9c%8b%e5%9b%be.xml">`,
		"index.html":               `<link rel="alternate" type="application/atom+xml" title="新闻镜像" href="index.xml">`,
		"zh-Hant/index.html":       `<link rel="alternate" type="application/atom+xml" title="新聞鏡像" href="index.xml">`,
		"zh-Hant/indexes/P看图.html": `href="../indexes/P%e7%9c%8b%e5%9b%be.xml">`,
	} {
		if html := readFile(t, out, file); !strings.Contains(html, want) {
			t.Errorf("%s does not link its feed (%s):\n%s", file, want, html)
		}
	}
	if page := readFile(t, out, "pages/photo/301.html"); strings.Contains(page, "application/atom+xml") {
		t.Errorf("a page links a feed:\n%s", page)
	}
	files := gitOut(t, out, "-c", "core.quotepath=off", "ls-files")
	for _, want := range []string{"index.xml", "indexes/P看图.xml", "zh-Hant/index.xml", "zh-Hant/indexes/P看图.xml"} {
		if !strings.Contains(files, want+"\n") {
			t.Errorf("commit lacks %s:\n%s", want, files)
		}
	}
	if strings.Contains(files, "pages/photo/301.xml") || strings.Contains(files, "热点推荐.xml") {
		t.Errorf("a page or the hot list has a feed:\n%s", files)
	}

	before := readFile(t, out, "index.xml")
	syncAt(t, cfg, site.client(), runTime.Add(2*time.Hour))
	if after := readFile(t, out, "index.xml"); after != before {
		t.Errorf("a run with nothing new changed the home feed:\n%s\n%s", before, after)
	}
}

func TestHomeFeedMergesChannelsNewestFirst(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	cfg.Output.Feeds.Enabled = true
	cfg.Output.Feeds.Length = 3
	syncAt(t, cfg, site.client(), runTime)

	home := readFeed(t, out, "index.xml")
	world := readFeed(t, out, "indexes/X看世界.xml")
	if len(home.Items) != 3 || len(world.Items) == 0 {
		t.Fatalf("home feed %q, world feed %q", titles(home), titles(world))
	}
	for i := 1; i < len(home.Items); i++ {
		if home.Items[i-1].UpdatedParsed.Before(*home.Items[i].UpdatedParsed) {
			t.Errorf("home feed not newest first: %q", titles(home))
		}
	}
	channels := map[string]bool{}
	for _, it := range home.Items {
		channels[strings.Split(strings.TrimPrefix(it.Link, "https://github.com/o/r/blob/master/pages/"), "/")[0]] = true
	}
	if len(channels) != 2 {
		t.Errorf("home feed does not draw from both channels: %q", titles(home))
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err == nil {
		t.Errorf("the HTML site was written though it is off")
	}
}
