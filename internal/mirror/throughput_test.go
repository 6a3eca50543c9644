package mirror_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

// twoHostConfig has one channel per article host, both feeds on
// feeds.example.test.
const twoHostConfig = `output: {dir: OUT}
fetch: {workers: 4, retries: 2}
sources:
  - id: slow
    rules: {body: div.article}
    channels: [{id: slow, name: 慢, feed: "http://feeds.example.test/slow.xml"}]
  - id: fine
    rules: {body: div.article}
    channels: [{id: fine, name: 快, feed: "http://feeds.example.test/fine.xml"}]
`

// hostFeed lists n articles of host.
func hostFeed(host string, n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>W</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>新闻 %d</title><link>http://%s/news/%d.html</link></item>`, i, host, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func articlePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<html><body><div class="article"><p>正文 %s。</p></div></body></html>`, r.URL.Path)
}

// rateLimited answers every request 429 with Retry-After: 4 until wait
// has passed since its first request, and then serves articles. It notes
// how many of the other host's articles were served when its wait ended.
type rateLimited struct {
	wait       time.Duration
	mu         sync.Mutex
	first      time.Time
	afterWait  int64 // the healthy host's count at the first request after the wait
	limited    atomic.Int64
	healthyNow func() int64
}

func (h *rateLimited) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	now := time.Now()
	if h.first.IsZero() {
		h.first = now
	}
	waiting := now.Sub(h.first) < h.wait
	if !waiting && h.afterWait < 0 {
		h.afterWait = h.healthyNow()
	}
	h.mu.Unlock()
	if waiting {
		h.limited.Add(1)
		w.Header().Set("Retry-After", "4")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	articlePage(w, r)
}

// TestAHostAskingToWaitDoesNotHoldTheOthers: a host answering 429
// Retry-After: 4 to every request for 4 s, beside a healthy host, with 12
// articles each on 4 workers. No worker sleeps out the wait: the healthy
// host's 12 articles are all served before the slow host's wait ends, and
// the slow host's articles come through after it.
func TestAHostAskingToWaitDoesNotHoldTheOthers(t *testing.T) {
	cfg, rep, slow, _ := twoHostRun(t, 4*time.Second)
	if slow.afterWait != 12 {
		t.Errorf("the healthy host had served %d of 12 articles when the slow host's wait ended; want all 12", slow.afterWait)
	}
	if len(rep.Written) != 24 || len(rep.Failures) != 0 {
		t.Errorf("wrote %d pages, failures %v; want all 24", len(rep.Written), rep.Failures)
	}
	// The slow host was asked once per worker that found it before the
	// first 429 paused it, not once per article per retry.
	if n := slow.limited.Load(); n > int64(cfg.Fetch.Workers) {
		t.Errorf("the slow host got %d requests during its wait; want at most one per worker (%d)", n, cfg.Fetch.Workers)
	}
}

// BenchmarkHealthyHostBesideA429Host measures when the healthy host's last
// article is served (healthy-last-s) and the whole run (run-s), with the
// other host answering 429 Retry-After: 4 for 4 s ("4s") or to every
// request ("always") (BENCHMARKS.md).
func BenchmarkHealthyHostBesideA429Host(b *testing.B) {
	for _, c := range []struct {
		name string
		wait time.Duration
	}{{"4s", 4 * time.Second}, {"always", time.Hour}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				_, _, _, took := twoHostRun(b, c.wait)
				b.ReportMetric(took.healthyLast.Seconds(), "healthy-last-s")
				b.ReportMetric(took.run.Seconds(), "run-s")
			}
		})
	}
}

type twoHostTimes struct{ healthyLast, run time.Duration }

// twoHostRun mirrors 12 articles of a host answering 429 Retry-After for
// wait and 12 of a healthy host, on 4 workers.
func twoHostRun(tb testing.TB, wait time.Duration) (*config.Config, *mirror.Report, *rateLimited, twoHostTimes) {
	cfg, err := config.Parse("config.yaml", []byte(strings.Replace(twoHostConfig, "dir: OUT", "dir: "+tb.TempDir(), 1)))
	if err != nil {
		tb.Fatal(err)
	}
	var healthy atomic.Int64
	var lastMu sync.Mutex
	var last time.Time
	slow := &rateLimited{wait: wait, afterWait: -1, healthyNow: healthy.Load}
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := "slow.example.test"
		if strings.Contains(r.URL.Path, "fine") {
			host = "fine.example.test"
		}
		w.Write([]byte(hostFeed(host, 12)))
	}))
	defer feeds.Close()
	slowSrv := httptest.NewServer(slow)
	defer slowSrv.Close()
	fine := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		articlePage(w, r)
		healthy.Add(1)
		lastMu.Lock()
		last = time.Now()
		lastMu.Unlock()
	}))
	defer fine.Close()
	client := routedClient(tb, cfg, map[string]*httptest.Server{
		"feeds.example.test": feeds, "slow.example.test": slowSrv, "fine.example.test": fine})
	began := time.Now()
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: client, Now: func() time.Time { return runTime }})
	if err != nil {
		tb.Fatal(err)
	}
	return cfg, rep, slow, twoHostTimes{healthyLast: last.Sub(began), run: time.Since(began)}
}

// TestFeedsAreReadAtOnce: every feed handler waits until all four feeds
// (on one host allowing 4 requests at once) have been asked for. Read one
// after another, the first would wait until it gives up; read at once,
// all four answer.
func TestFeedsAreReadAtOnce(t *testing.T) {
	out := t.TempDir()
	var chs strings.Builder
	for i := range 4 {
		fmt.Fprintf(&chs, "      - {id: c%d, name: 频道%d, feed: \"http://feeds.example.test/c%d.xml\"}\n", i, i, i)
	}
	cfg, err := config.Parse("config.yaml", []byte(fmt.Sprintf(`output: {dir: %s}
fetch: {workers: 4, per_host: 4, retries: 0, timeout: 5s}
sources:
  - id: ex
    rules: {body: div.article}
    channels:
%s`, out, chs.String())))
	if err != nil {
		t.Fatal(err)
	}
	var arrived sync.WaitGroup
	arrived.Add(4)
	all := make(chan struct{})
	go func() { arrived.Wait(); close(all) }()
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		select {
		case <-all:
		case <-time.After(4 * time.Second):
			http.Error(w, "the other feeds were not asked for", http.StatusGatewayTimeout)
			return
		}
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
		w.Write([]byte(strings.ReplaceAll(hostFeed("news.example.test", 1), "/news/0.html", "/news/"+name+".html")))
	}))
	defer feeds.Close()
	news := httptest.NewServer(http.HandlerFunc(articlePage))
	defer news.Close()
	client := routedClient(t, cfg, map[string]*httptest.Server{"feeds.example.test": feeds, "news.example.test": news})
	rep := syncAt(t, cfg, client, runTime)
	if len(rep.Written) != 4 || len(rep.Failures) != 0 {
		t.Errorf("wrote %v, failures %v; want one page from each of the 4 feeds", rep.Written, rep.Failures)
	}
}
