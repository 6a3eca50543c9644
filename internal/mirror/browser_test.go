package mirror_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/store"
)

// TestSyncPublishesWhatABrowserShows: an article inside an unclosed form
// keeps every paragraph, an <object>'s fallback text is published, and the
// hidden ad boxes, hidden text and form controls are not; the retention
// guard stays quiet and the health counts no text lost.
func TestSyncPublishesWhatABrowserShows(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/browser.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site, out := newFakeSite(t, ar), t.TempDir()
	cfg := loadConfig(t, ar, out)
	rep := syncAt(t, cfg, site.client(), runTime)
	if len(rep.Failures) != 0 || len(rep.Written) != 2 {
		t.Fatalf("written %v, failures %v", rep.Written, rep.Failures)
	}
	form := readFile(t, out, "pages/local/501.md")
	for _, want := range []string{"十二票对五票", "二十年没有翻修", "周末开放时间", "公开听证"} {
		if !strings.Contains(form, want) {
			t.Errorf("form page lacks %q:\n%s", want, form)
		}
	}
	for _, not := range []string{"VIEWSTATE", "搜索", "隐藏的关键词", "height", "ad-1", "<input", "<form"} {
		if strings.Contains(form, not) {
			t.Errorf("form page keeps %q:\n%s", not, form)
		}
	}
	if object := readFile(t, out, "pages/local/502.md"); !strings.Contains(object, "片中可以看到当年的码头和电车") || strings.Contains(object, "swf") {
		t.Errorf("object page without its fallback, or with the plugin:\n%s", object)
	}
	for _, w := range rep.Warnings {
		if strings.Contains(w, "text lost") {
			t.Errorf("retention guard fires: %s", w)
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
	if h := table.Of(store.SubjectExtract, "ex", "local"); h.OK != 2 || h.Warned != 0 || h.LastWarning != "" {
		t.Errorf("extract health = %+v", h)
	}
}
