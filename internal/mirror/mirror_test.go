package mirror_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

var runTime = time.Date(2022, 1, 13, 0, 20, 0, 0, time.UTC) // 8:20 in Shanghai

func TestSyncMirrorsSiteEndToEnd(t *testing.T) {
	eachState(t, testSyncMirrorsSite)
}

func testSyncMirrorsSite(t *testing.T, state string) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	if state != "" {
		cfg.Output.State = state
	}

	rep := syncAt(t, cfg, site.client(), runTime)

	wantPages := []string{"pages/china/201.md", "pages/world/101.md", "pages/world/102.md", "pages/world/103.md"}
	for _, p := range wantPages {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("page %s: %v", p, err)
		}
		if _, err := os.Stat(filepath.Join(out, p+".png")); err != nil {
			t.Errorf("qr code %s.png: %v", p, err)
		}
	}
	if len(rep.Written) != len(wantPages) {
		t.Errorf("written = %v, want %d pages", rep.Written, len(wantPages))
	}
	assertFailures(t, rep.Failures)
	if got := gitOut(t, out, "log", "--format=%s"); got != "同步于: 1月13日8时20分" {
		t.Errorf("commits = %q, want one with message 同步于: 1月13日8时20分", got)
	}
	if status := gitOut(t, out, "status", "--porcelain"); status != "" {
		t.Errorf("tree not clean after sync:\n%s", status)
	}

	index := readFile(t, out, "indexes/X看世界.md")
	assertOrder(t, index, "pages/world/102.md?t=01130820", "pages/world/101.md?t=01130820", "pages/world/103.md?t=01130820")
	home := readFile(t, out, "README.md")
	for _, want := range []string{"#### 示例网", "[看世界](indexes/X看世界.md?t=01130820)", "[看大陆](indexes/X看大陆.md?t=01130820)"} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q:\n%s", want, home)
		}
	}

	// A second run finds nothing new and makes no commit.
	rep = syncAt(t, cfg, site.client(), runTime.Add(time.Hour))
	if len(rep.Written) != 0 || rep.Commit != "" {
		t.Errorf("second run wrote %v, commit %q; want nothing", rep.Written, rep.Commit)
	}
	if n := gitOut(t, out, "rev-list", "--count", "HEAD"); n != "1" {
		t.Errorf("commits after second run = %s, want 1", n)
	}

	// A new feed item gives exactly one new page in one new commit.
	site.set("/feeds/china.xml", strings.Replace(string(site.Get("/feeds/china.xml")), "<entry>",
		`<entry><title>新增的一篇</title><link href="http://news.example.test/news/202.html"/><updated>2022-01-13T05:00:00Z</updated></entry><entry>`, 1))
	site.set("/news/202.html", `<div class="article"><p>新增正文。</p></div>`)
	rep = syncAt(t, cfg, site.client(), runTime.Add(2*time.Hour))
	if strings.Join(rep.Written, ",") != "pages/china/202.md" {
		t.Errorf("third run wrote %v, want just pages/china/202.md", rep.Written)
	}
	if n := gitOut(t, out, "rev-list", "--count", "HEAD"); n != "2" {
		t.Errorf("commits after third run = %s, want 2", n)
	}
	changed := gitOut(t, out, "-c", "core.quotepath=off", "show", "--name-only", "--format=", "HEAD")
	for _, want := range []string{"pages/china/202.md", "pages/china/202.md.png", "indexes/X看大陆.md"} {
		if !strings.Contains(changed, want) {
			t.Errorf("third commit lacks %s:\n%s", want, changed)
		}
	}
	assertOrder(t, readFile(t, out, "indexes/X看大陆.md"), "pages/china/202.md", "pages/china/201.md")
}

func assertFailures(t *testing.T, failures []mirror.Failure) {
	t.Helper()
	var status *fetch.StatusError
	var miss *extract.MissError
	got := map[string]bool{}
	for _, f := range failures {
		switch {
		case strings.HasSuffix(f.URL, "/104.html") && errors.As(f.Err, &status) && status.Code == 404:
			got["104"] = true
		case strings.HasSuffix(f.URL, "/105.html") && errors.As(f.Err, &miss):
			got["105"] = true
		default:
			t.Errorf("unexpected failure %v", f)
		}
	}
	if !got["104"] || !got["105"] {
		t.Errorf("failures = %v, want 104 (HTTP 404) and 105 (selector miss)", failures)
	}
}

func assertOrder(t *testing.T, text string, want ...string) {
	t.Helper()
	last := -1
	for _, w := range want {
		i := strings.Index(text, w)
		if i < 0 || i < last {
			t.Fatalf("want %q in order %v in:\n%s", w, want, text)
		}
		last = i
	}
}

var promoLine = regexp.MustCompile(`#### \[推广\]\(https://example.test/promo.md\?101\)`)

func TestSyncPageAnatomy(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	syncAt(t, loadConfig(t, ar, out), site.client(), runTime)
	page := readFile(t, out, "pages/world/101.md")
	for _, want := range []string{
		"### 第一篇 世界新闻\n------------------------",
		"#### [首页](../../README.md?101)",
		"[看世界](../../indexes/X看世界.md?101)",
		"[热点推荐](../../indexes/热点推荐.md?101)",
		"[教程](../../guides/README.md?101)",
		`<img src="https://img.example.test/101.jpg"/>`,
		`<span href="http://news.example.test/tag/新闻">新闻</span>`,
		"https://github.com/o/r/blob/master/pages/world/101.md <br/>",
		"<img src='https://cdn.jsdelivr.net/gh/o/r/pages/world/101.md.png'/>",
		"原文地址（需翻墙访问）：http://news.example.test/news/101.html",
		"<img src='http://counter.example.test/r/pages/world/101.md' width='0px' height='0px'/>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, banned := range []string{"<script", "<iframe", "相关", "页脚", "首页</a>", `<a href="`} {
		if strings.Contains(page, banned) {
			t.Errorf("page keeps %q", banned)
		}
	}
	if !promoLine.MatchString(page) {
		t.Errorf("page lacks the promo line")
	}
	if i, j := strings.Index(page, `<div class="ad">`), strings.Index(page, "#### [推广]"); i < 0 || j < i {
		t.Errorf("promo is not inside the anchor div")
	}
}
