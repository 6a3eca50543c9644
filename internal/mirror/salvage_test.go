package mirror_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

func TestTruncatedFeedMirrorsItsCompleteItemsAndRecordsTheSalvage(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/salvage.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)

	m := metrics.New()
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: site.client(), Now: func() time.Time { return runTime }, Metrics: m})
	if err != nil {
		t.Fatal(err)
	}

	if len(rep.Failures) != 0 {
		t.Fatalf("failures %v, want none: the feed is salvaged", rep.Failures)
	}
	written := strings.Join(rep.Written, " ")
	for _, p := range []string{"pages/yw/101.md", "pages/yw/102.md", "pages/yw/103.md"} {
		if !strings.Contains(written, p) {
			t.Errorf("page %s not written; written: %v", p, rep.Written)
		}
	}
	if strings.Contains(written, "104") {
		t.Errorf("the cut item was mirrored: %v", rep.Written)
	}
	if p := readFile(t, out, "pages/yw/102.md"); !strings.Contains(p, "广州楼市正文。") {
		t.Errorf("page 102:\n%s", p)
	}
	h := channelHealth(t, cfg)["yw"]
	want := "bytes of junk before the XML declaration ignored; feed truncated in item 4: kept 3 complete items"
	if h.Streak != 0 || h.Items != 3 || !strings.Contains(h.LastWarning, want) || h.Warned != 1 {
		t.Errorf("channel health %+v, want 3 items read and the warning %q", h, want)
	}

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{`newsmirror_feed_salvages_total{kind="truncated",source="xw"} 1`, `newsmirror_feed_salvages_total{kind="junk",source="xw"} 1`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	// The site repairs its feed: the next read has nothing to salvage,
	// and the warning is cleared.
	feed := string(site.Get("/rss.xml"))
	feed = strings.TrimSuffix(feed[strings.Index(feed, "<?xml"):], "\n") + `04.html</link></item></channel></rss>`
	site.set("/rss.xml", feed)
	rep = syncAt(t, cfg, site.client(), runTime.Add(time.Hour))
	if !strings.Contains(strings.Join(rep.Written, " "), "pages/yw/104.md") {
		t.Errorf("the repaired feed's fourth item not mirrored: %v", rep.Written)
	}
	if h := channelHealth(t, cfg)["yw"]; h.LastWarning != "" || h.Warned != 1 || h.Items != 4 {
		t.Errorf("health after a clean read %+v, want no warning", h)
	}
}
