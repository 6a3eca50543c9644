package mirror_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/mirror"
)

func TestSyncWritesTraditionalVariantBesideSimplified(t *testing.T) {
	ar := variantArchive(t, "{enabled: true}", "")
	site := newFakeSite(t, ar)
	site.set("/a.png", string(solidPNG(t, 30, 20)))
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	cfg.Indexes.Length = 1 // page 302 overflows to the "earlier" page

	syncAt(t, cfg, site.client(), runTime)

	page := readFile(t, out, "zh-Hant/pages/photo/301.md")
	for _, want := range []string{"### 第一組圖片", "[首頁](../../README.md?301)", "[看圖](../../indexes/P看图.md?301)", `src="../../../assets/`, "正文。",
		"https://github.com/o/r/blob/master/zh-Hant/pages/photo/301.md <br/>", "<img src='https://cdn.jsdelivr.net/gh/o/r/zh-Hant/pages/photo/301.md.png'/>"} {
		if !strings.Contains(page, want) {
			t.Errorf("converted page lacks %q:\n%s", want, page)
		}
	}
	html := readFile(t, out, "zh-Hant/pages/photo/301.html")
	if !strings.Contains(html, "<h1>第一組圖片</h1>") || !strings.Contains(html, `<html lang="zh-Hant">`) || !strings.Contains(html, `href="../../style.css"`) || !strings.Contains(html, `src="../../../assets/`) {
		t.Errorf("converted HTML page is wrong:\n%s", html)
	}
	earlier := readFile(t, out, "zh-Hant/indexes/P看图-earlier.md")
	if !strings.Contains(earlier, "[第二組圖片](../pages/photo/302.md?t=01130820)") {
		t.Errorf("converted overflow page does not list the converted pages:\n%s", earlier)
	}
	index := readFile(t, out, "indexes/P看图.html")
	if !strings.Contains(index, `href="../pages/photo/301.html?t=01130820">第一组图片</a>`) || !strings.Contains(index, `href="../indexes/P%e7%9c%8b%e5%9b%be-earlier.html?t=01130820"`) {
		t.Errorf("HTML index lacks its entry or its link to the overflow page:\n%s", index)
	}
	readFile(t, out, "zh-Hant/indexes/P看图-earlier.html")
	home := readFile(t, out, "zh-Hant/README.md")
	if !strings.Contains(home, "#### 圖片網") || !strings.Contains(home, "(indexes/P看图.md?t=01130820)") {
		t.Errorf("converted home page:\n%s", home)
	}
	files := gitOut(t, out, "-c", "core.quotepath=off", "ls-files", "zh-Hant")
	for _, want := range []string{"zh-Hant/README.md", "zh-Hant/index.html", "zh-Hant/style.css", "zh-Hant/pages/photo/301.md.png", "zh-Hant/indexes/热点推荐.md"} {
		if !strings.Contains(files, want) {
			t.Errorf("commit lacks %s; zh-Hant holds:\n%s", want, files)
		}
	}
	if simplified := readFile(t, out, "pages/photo/301.md"); !strings.Contains(simplified, "### 第一组图片") {
		t.Errorf("the original page changed:\n%s", simplified)
	}
	// Readers can move between the two: pages and home pages link each other.
	for file, want := range map[string]string{
		"pages/photo/301.md":           "#### [繁體中文](../../zh-Hant/pages/photo/301.md?301)",
		"zh-Hant/pages/photo/301.md":   "#### [簡體中文](../../../pages/photo/301.md?301)",
		"pages/photo/301.html":         `<a href="../../zh-Hant/pages/photo/301.html?301">繁體中文</a>`,
		"zh-Hant/pages/photo/301.html": `<a href="../../../pages/photo/301.html?301">簡體中文</a>`,
		"README.md":                    "#### [繁體中文](zh-Hant/README.md?t=01130820)",
		"zh-Hant/README.md":            "#### [簡體中文](../README.md?t=01130820)",
		"index.html":                   `<a href="zh-Hant/index.html?t=01130820">繁體中文</a>`,
		"zh-Hant/index.html":           `<a href="../index.html?t=01130820">簡體中文</a>`,
	} {
		if got := readFile(t, out, file); !strings.Contains(got, want) {
			t.Errorf("%s lacks %s:\n%s", file, want, got)
		}
	}
}

func TestSyncWritesOnlyHTMLWhenItReplacesMarkdown(t *testing.T) {
	ar := variantArchive(t, "{enabled: true, only: true}", "")
	site := newFakeSite(t, ar)
	site.set("/a.png", string(solidPNG(t, 30, 20)))
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)

	rep := syncAt(t, cfg, site.client(), runTime)

	if len(rep.Written) != 2 || !strings.HasSuffix(rep.Written[0], ".html") {
		t.Errorf("written = %v, want the two HTML pages", rep.Written)
	}
	files := gitOut(t, out, "-c", "core.quotepath=off", "ls-files")
	if strings.Contains(files, ".md\n") || strings.HasSuffix(files, ".md") {
		t.Errorf("a Markdown file was committed:\n%s", files)
	}
	for _, want := range []string{"index.html", "style.css", "pages/photo/301.html", "pages/photo/301.md.png", "indexes/P看图.html",
		"zh-Hant/index.html", "zh-Hant/pages/photo/302.html", "zh-Hant/indexes/P看图.html"} {
		if !strings.Contains(files, want+"\n") {
			t.Errorf("commit lacks %s:\n%s", want, files)
		}
	}
	if index := readFile(t, out, "zh-Hant/indexes/P看图.html"); !strings.Contains(index, "第二組圖片") {
		t.Errorf("converted HTML index lists no converted page:\n%s", index)
	}
	if home := readFile(t, out, "zh-Hant/index.html"); !strings.Contains(home, "P%e7%9c%8b%e5%9b%be.html") {
		t.Errorf("converted home page does not link the channel index:\n%s", home)
	}
}

func TestVariantCopiesResolveNavLinksLikeTheOriginal(t *testing.T) {
	ar := variantArchive(t, "{enabled: true}", "site:\n  nav:\n    - {label: 关于, url: about.md}\n    - {label: 邮件, url: \"mailto:x@example.test\"}\n"+
		"    - {label: 顶部, url: \"#top\"}\n    - {label: 热点, url: \"/indexes/热点推荐.md\"}\n")
	site := newFakeSite(t, ar)
	site.set("/a.png", string(solidPNG(t, 30, 20)))
	out := t.TempDir()
	syncAt(t, loadConfig(t, ar, out), site.client(), runTime)

	for file, want := range map[string][]string{
		"pages/photo/301.md":           {"[关于](../../about.md?301)", "[邮件](mailto:x@example.test)", "[顶部](#top)", "[热点](../../indexes/热点推荐.md?301)"},
		"zh-Hant/pages/photo/301.md":   {"[關於](../../../about.md?301)", "[郵件](mailto:x@example.test)", "[頂部](#top)", "[熱點](../../indexes/热点推荐.md?301)"},
		"pages/photo/301.html":         {`<a href="../../about.md?301">`, `<a href="mailto:x@example.test">`, `<a href="#top">`, `<a href="../../indexes/%e7%83%ad%e7%82%b9%e6%8e%a8%e8%8d%90.html?301">`},
		"zh-Hant/pages/photo/301.html": {`<a href="../../../about.md?301">`, `<a href="mailto:x@example.test">`, `<a href="#top">`, `<a href="../../indexes/%e7%83%ad%e7%82%b9%e6%8e%a8%e8%8d%90.html?301">`},
		"zh-Hant/README.md":            {"[關於](../about.md?t=01130820)", "[頂部](#top)", "[熱點](indexes/热点推荐.md?t=01130820)"},
	} {
		got := readFile(t, out, file)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %s:\n%s", file, w, got)
			}
		}
	}
}

// variantArchive is testdata/images.txtar with a zh-Hant (s2t) variant,
// output.html set to html, and extra appended to the configuration.
func variantArchive(t *testing.T, html, extra string) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/images.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range ar.Files {
		if f.Name == "config.yaml" {
			text := strings.Replace(string(f.Data), "    images: {localize: true, max_bytes: 20000}\n",
				"    images: {localize: true, max_bytes: 20000}\n    variants: [{convert: s2t, dir: zh-Hant}]\n", 1)
			text = strings.Replace(text, "  dir: OUT\n", "  dir: OUT\n  html: "+html+"\n", 1)
			ar.Files[i].Data = []byte(text + extra)
		}
	}
	return ar
}

func TestEarlierPageGoesFromEveryTreeAndFormatWhenTheIndexShrinks(t *testing.T) {
	site := newFakeSite(t, variantArchive(t, "{enabled: true}", ""))
	site.set("/a.png", string(solidPNG(t, 30, 20)))
	out := t.TempDir()
	cfg := loadConfig(t, variantArchive(t, "{enabled: true}", ""), out)
	cfg.Indexes.Length = 1
	syncAt(t, cfg, site.client(), runTime)
	files := []string{"indexes/P看图-earlier.md", "indexes/P看图-earlier.html", "zh-Hant/indexes/P看图-earlier.md", "zh-Hant/indexes/P看图-earlier.html"}
	for _, f := range files {
		readFile(t, out, f) // fails the test when missing
	}

	cfg.Indexes.Length = 10
	if _, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: site.client(), Now: func() time.Time { return runTime.Add(time.Hour) }, Rebuild: true}); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(out, f)); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", f, err)
		}
	}
}
