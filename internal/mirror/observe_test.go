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

func TestSyncCountsFetchesPagesAndRunInMetrics(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	cfg := loadConfig(t, ar, t.TempDir())
	m := metrics.New()
	var last mirror.Progress
	_, err = mirror.Sync(context.Background(), cfg, mirror.Deps{
		Client: site.client(), Now: func() time.Time { return runTime }, Metrics: m,
		Progress: func(p mirror.Progress) { last = p },
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	scrape := rec.Body.String()
	for _, want := range []string{
		// 2 feeds and 6 article pages, one of them missing (HTTP 404).
		`newsmirror_fetches_total{result="ok",source="ex"} 7`,
		`newsmirror_fetches_total{result="http_4xx",source="ex"} 1`,
		`newsmirror_pages_total{change="written"} 4`,
		"newsmirror_run_duration_seconds_count 1",
		"newsmirror_fetch_bytes_total{source=\"ex\"} ",
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("metrics lack %q in\n%s", want, scrape)
		}
	}
	if want := (mirror.Progress{Channels: 2, ChannelsRead: 2, Articles: 6, ArticlesDone: 6}); last != want {
		t.Errorf("last progress = %+v, want %+v", last, want)
	}
}
