package mirror_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/store"
)

// TestSyncFallsBackWhenTheLayoutChangedAndRaisesAnAlert: the page whose
// body selector now misses is still published, by readability, and the
// channel's extract health counts it under "selector broken?".
func TestSyncFallsBackWhenTheLayoutChangedAndRaisesAnAlert(t *testing.T) {
	ar, site, out := extractSite(t)
	cfg := loadConfig(t, ar, out)
	rep := syncAt(t, cfg, site.client(), runTime)
	if len(rep.Failures) != 0 || len(rep.Written) != 3 {
		t.Fatalf("written %v, failures %v; want all three pages", rep.Written, rep.Failures)
	}
	page := readFile(t, out, "pages/live/403.md")
	for _, want := range []string{"记者从现场了解到", "他说，安全检查流于形式。", "本台将继续关注事件进展。"} {
		if !strings.Contains(page, want) {
			t.Errorf("fallback page lacks %q:\n%s", want, page)
		}
	}
	for _, unwanted := range []string{"版权所有", "<nav"} {
		if strings.Contains(page, unwanted) {
			t.Errorf("fallback page keeps the site's furniture %q", unwanted)
		}
	}
	db, err := store.Open(context.Background(), cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table, err := db.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := table.Of(store.SubjectExtract, "ex", "live")
	if h.OK != 2 || h.Fallbacks != 1 || h.Failed != 0 || !strings.HasSuffix(h.LastURL, "/news/403.html") {
		t.Errorf("extract health = %+v, want 2 extracted, 1 fallback on 403", h)
	}
	if a := h.Alert(); !strings.Contains(a, "selector broken?") {
		t.Errorf("alert = %q", a)
	}
}

// TestSyncRerendersOnlyChangedStillUpdatingArticles: a second run with
// nothing changed commits nothing; a live report (title marked 更新) is
// fetched again and its page rewritten when its content changed, while an
// ordinary mirrored article is not fetched again at all.
func TestSyncRerendersOnlyChangedStillUpdatingArticles(t *testing.T) {
	ar, site, out := extractSite(t)
	cfg := loadConfig(t, ar, out)
	syncAt(t, cfg, site.client(), runTime)
	first401 := readFile(t, out, "pages/live/401.md")

	rep := syncAt(t, cfg, site.client(), runTime.Add(time.Hour))
	if len(rep.Written) != 0 || rep.Commit != "" {
		t.Errorf("unchanged second run wrote %v, commit %q; want no diff", rep.Written, rep.Commit)
	}

	site.set("/news/402.html", `<html><body><div class="article"><p>上午九时：暴雨已经持续了十二个小时，多条道路积水严重。</p><p>中午十二时：雨势减弱，部分道路恢复通车。</p></div></body></html>`)
	site.set("/news/401.html", `<html><body><div class="article"><p>这篇文章已经镜像过，改动不会再被抓取，因为它的标题没有更新标记。</p></div></body></html>`)
	rep = syncAt(t, cfg, site.client(), runTime.Add(2*time.Hour))
	if len(rep.Written) != 1 || rep.Written[0] != "pages/live/402.md" || rep.Commit == "" {
		t.Fatalf("third run wrote %v (commit %q), want only pages/live/402.md", rep.Written, rep.Commit)
	}
	if page := readFile(t, out, "pages/live/402.md"); !strings.Contains(page, "雨势减弱") {
		t.Errorf("live page not re-rendered:\n%s", page)
	}
	if readFile(t, out, "pages/live/401.md") != first401 {
		t.Error("an ordinary mirrored article was re-rendered")
	}
}

func extractSite(t *testing.T) (*txtar.Archive, *fakeSite, string) {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/extract.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return ar, newFakeSite(t, ar), t.TempDir()
}

// TestSyncTakesTheBodyFromTheFeedContent: with body_source: feed (the
// epochtimes preset) the feed's <content> is the body, sanitized, and the
// page gives only the lead image; an item without content uses the page.
func TestSyncTakesTheBodyFromTheFeedContent(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/feedbody.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site, out := newFakeSite(t, ar), t.TempDir()
	rep := syncAt(t, loadConfig(t, ar, out), site.client(), runTime)
	if len(rep.Failures) != 0 || len(rep.Written) != 2 {
		t.Fatalf("written %v, failures %v", rep.Written, rep.Failures)
	}
	p1 := readFile(t, out, "pages/nsc993/n501.md")
	for _, want := range []string{"这是来自订阅源的全文内容", `src="http://news.example.test/assets/lead-501.jpg"`, "图说：来信"} {
		if !strings.Contains(p1, want) {
			t.Errorf("page 501 lacks %q:\n%s", want, p1)
		}
	}
	for _, unwanted := range []string{"网页上的正文版本", "<script", "alert(1)", "noscript"} {
		if strings.Contains(p1, unwanted) {
			t.Errorf("page 501 holds %q:\n%s", unwanted, p1)
		}
	}
	if p2 := readFile(t, out, "pages/nsc993/n502.md"); !strings.Contains(p2, "正文从网页上的 artbody 中取得") {
		t.Errorf("page 502 did not fall back to the page body:\n%s", p2)
	}
}
