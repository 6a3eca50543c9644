package mirror_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/outage"
	"github.com/newsmirror/newsmirror/internal/store"
)

// outageConfig reads one channel whose feed is on feeds.example.test and
// whose articles are on news.example.test; fetches are not retried within
// a run, so that each run is one attempt per article.
const outageConfig = `output: {dir: OUT}
fetch: {retries: 0, give_up_after: 168h, host_backoff: 10m, max_host_backoff: 4h}
sources:
  - id: ex
    rules: {body: div.article}
    channels:
      - {id: world, name: 看世界, feed: "http://feeds.example.test/world.xml"}
`

// outageFeed lists ids as articles of news.example.test.
func outageFeed(ids ...int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>W</title>`)
	for _, id := range ids {
		fmt.Fprintf(&b, `<item><title>新闻 %d</title><link>http://news.example.test/news/%d.html</link><pubDate>Thu, 13 Jan 2022 0%d:00:00 +0000</pubDate></item>`, id, id, id%10)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// articleHost serves news pages, cutting every connection (hijacked and
// closed without an answer) while down is set; a page listed in gone is
// answered 404. It counts the requests it got.
type articleHost struct {
	down     atomic.Bool
	gone     map[string]bool
	requests atomic.Int64
	srv      *httptest.Server
}

func newArticleHost(t *testing.T, gone ...string) *articleHost {
	h := &articleHost{gone: map[string]bool{}}
	for _, g := range gone {
		h.gone[g] = true
	}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		if h.down.Load() {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		if h.gone[r.URL.Path] {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><body><div class="article"><p>正文 %s。</p></div></body></html>`, r.URL.Path)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// routedClient dials each host name to its own loopback server.
func routedClient(t testing.TB, cfg *config.Config, routes map[string]*httptest.Server) *fetch.Client {
	t.Helper()
	d := &net.Dialer{}
	return fetch.New(cfg.Fetch, fetch.WithDial(func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		srv, ok := routes[host]
		if !ok {
			return nil, fmt.Errorf("no route to %s", host)
		}
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}), fetch.Allow("127.0.0.1"))
}

func outageSetup(t *testing.T, feedText string, gone ...string) (*config.Config, *fetch.Client, *articleHost) {
	t.Helper()
	out := t.TempDir()
	cfg, err := config.Parse("config.yaml", []byte(strings.Replace(outageConfig, "dir: OUT", "dir: "+out, 1)))
	if err != nil {
		t.Fatal(err)
	}
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(feedText))
	}))
	t.Cleanup(feeds.Close)
	news := newArticleHost(t, gone...)
	c := routedClient(t, cfg, map[string]*httptest.Server{"feeds.example.test": feeds, "news.example.test": news.srv})
	return cfg, c, news
}

func TestAnOutageOfTheArticleHostCostsNoArticle(t *testing.T) {
	cfg, client, news := outageSetup(t, outageFeed(1, 2, 3))
	news.down.Store(true)
	day := 24 * time.Hour
	for run := range 7 {
		rep := syncAt(t, cfg, client, runTime.Add(time.Duration(run)*day))
		if len(rep.Written) != 0 || len(rep.Failures) != 3 {
			t.Fatalf("run %d while down: wrote %v, %d failures; want none and 3", run+1, rep.Written, len(rep.Failures))
		}
	}
	news.down.Store(false)
	rep := syncAt(t, cfg, client, runTime.Add(7*day))
	if len(rep.Written) != 3 || len(rep.Failures) != 0 {
		t.Errorf("after the outage: wrote %v, failures %v; want 3 of 3", rep.Written, rep.Failures)
	}
	for _, id := range []string{"1", "2", "3"} {
		if _, err := os.Stat(filepath.Join(cfg.Output.Dir, "pages/world", id+".md")); err != nil {
			t.Errorf("article %s not mirrored: %v", id, err)
		}
	}
}

func TestADownHostIsNotHammeredAndIsBackedOffAcrossRuns(t *testing.T) {
	cfg, client, news := outageSetup(t, outageFeed(1, 2, 3, 4, 5, 6))
	cfg.Fetch.Workers = 1 // one article at a time: the count of requests is exact
	news.down.Store(true)
	rep := syncAt(t, cfg, client, runTime)
	// Found down after outage.MinDown cut connections: the rest is skipped.
	if n := news.requests.Load(); n != 2 {
		t.Errorf("requests while finding the host down = %d, want 2", n)
	}
	var skipped int
	for _, f := range rep.Failures {
		var down *outage.HostDownError
		if errors.As(f.Err, &down) {
			skipped++
		}
	}
	if skipped != 4 || len(rep.Failures) != 6 {
		t.Errorf("failures %v: want 6, 4 of them skipped as host down", rep.Failures)
	}
	// A minute later the host is still backed off (host_backoff 10m, the
	// upper half jittered: 5–10 min): no request at all.
	news.requests.Store(0)
	syncAt(t, cfg, client, runTime.Add(time.Minute))
	if n := news.requests.Load(); n != 0 {
		t.Errorf("requests during the backoff = %d, want 0", n)
	}
	db, err := store.Open(context.Background(), cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	hosts, err := db.Hosts(context.Background())
	db.Close()
	if h, ok := hosts["news.example.test"]; err != nil || !ok || !h.DownSince.Equal(runTime) || h.Streak != 1 {
		t.Errorf("hosts down = %+v, %v", hosts, err)
	}
	// After the backoff, the host is back: every article comes through and
	// the host is forgotten.
	news.down.Store(false)
	rep = syncAt(t, cfg, client, runTime.Add(5*time.Hour))
	if len(rep.Written) != 6 {
		t.Errorf("after the backoff wrote %v, failures %v; want 6 pages", rep.Written, rep.Failures)
	}
	db, _ = store.Open(context.Background(), cfg.StatePath())
	hosts, _ = db.Hosts(context.Background())
	db.Close()
	if len(hosts) != 0 {
		t.Errorf("hosts still down: %+v", hosts)
	}
}

func TestAMissingArticleIsGivenUpOnlyAfterTheGiveUpAge(t *testing.T) {
	cfg, client, news := outageSetup(t, outageFeed(1, 2), "/news/2.html")
	day := 24 * time.Hour
	for run := range 7 { // days 0–6: younger than give_up_after (7 days)
		syncAt(t, cfg, client, runTime.Add(time.Duration(run)*day))
	}
	news.requests.Store(0)
	rep := syncAt(t, cfg, client, runTime.Add(7*day-time.Hour))
	if n := news.requests.Load(); n != 1 || len(rep.Failures) != 1 {
		t.Fatalf("an hour before the give-up age: %d requests, failures %v; want the 404 tried once more", n, rep.Failures)
	}
	if f := rep.Failures[0].String(); f != "ex/world http://news.example.test/news/2.html: HTTP 404 Not Found" {
		t.Errorf("failure line %q names its URL more than once", f)
	}
	news.requests.Store(0)
	rep = syncAt(t, cfg, client, runTime.Add(7*day+time.Hour))
	if n := news.requests.Load(); n != 0 || len(rep.Failures) != 0 {
		t.Errorf("an hour after the give-up age: %d requests, failures %v; want the 404 given up", n, rep.Failures)
	}
	db, err := store.Open(context.Background(), cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stats, err := db.ChannelArticles(context.Background(), runTime.Add(7*day+time.Hour).Add(-cfg.Fetch.GiveUpAfter))
	if st := stats["world"]; err != nil || st.GaveUp != 1 || st.Retrying != 0 || !st.GaveUpSince.Equal(runTime) {
		t.Errorf("stats = %+v, %v; want 1 given up since the first run", st, err)
	}
	// retry puts it back: the next run asks for it again.
	if list, err := db.Requeue(context.Background(), "world", nil); err != nil || len(list) != 1 {
		t.Fatalf("requeue = %v, %v", list, err)
	}
	news.requests.Store(0)
	syncAt(t, cfg, client, runTime.Add(7*day+2*time.Hour))
	if n := news.requests.Load(); n != 1 {
		t.Errorf("after retry: %d requests, want 1", n)
	}
}

// TestFirstRunMirrorsOnlyTheNewestKeepPages: a feed of 30 items with
// publish.keep 5 makes 5 pages, the newest, and asks for nothing else; no
// page is written to be removed in the same run.
func TestFirstRunMirrorsOnlyTheNewestKeepPages(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>W</title>`)
	base := time.Date(2022, 1, 12, 0, 0, 0, 0, time.UTC)
	for _, i := range []int{3, 29, 0, 17, 28, 5, 27, 26, 25, 1, 2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24} {
		fmt.Fprintf(&b, `<item><title>新闻 %d</title><link>http://news.example.test/news/%d.html</link><pubDate>%s</pubDate></item>`,
			i, i, base.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	cfg, client, news := outageSetup(t, b.String())
	cfg.Publish.Keep = 5
	rep := syncAt(t, cfg, client, runTime)
	if len(rep.Written) != 5 || len(rep.Removed) != 0 || news.requests.Load() != 5 {
		t.Errorf("wrote %v, removed %v, %d article requests; want the 5 newest, nothing removed, 5 requests",
			rep.Written, rep.Removed, news.requests.Load())
	}
	for _, id := range []string{"25", "26", "27", "28", "29"} {
		if _, err := os.Stat(filepath.Join(cfg.Output.Dir, "pages/world", id+".md")); err != nil {
			t.Errorf("newest article %s not mirrored: %v", id, err)
		}
	}
}
