package fetch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

// BenchmarkFetch1000ArticlesOver10Hosts fetches 1,000 articles spread over
// 10 loopback hosts (distinct ports), each answer delayed 200 ms, with the
// default politeness (2 requests in flight per host). The ideal is
// 1000 / (10 × 2) × 0.2 s = 10 s; the run reports its time as a ratio of it.
//
//	go test ./internal/fetch -run '^$' -bench Fetch1000 -benchtime 1x
func BenchmarkFetch1000ArticlesOver10Hosts(b *testing.B) {
	const hosts, articles, latency = 10, 1000, 200 * time.Millisecond
	page := []byte(`<html><body><div class="article"><p>正文。</p></div></body></html>`)
	var urls []string
	for h := range hosts {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			time.Sleep(latency)
			w.Write(page)
		}))
		b.Cleanup(srv.Close)
		for a := range articles / hosts {
			urls = append(urls, fmt.Sprintf("%s/news/%d-%d.html", srv.URL, h, a))
		}
	}
	o := fetch.DefaultOptions()
	o.Allow = []string{"127.0.0.1"}
	ideal := time.Duration(articles/(hosts*o.PerHost)) * latency
	// "per-article": one goroutine per article, in host-by-host order, so
	// that the gates alone keep every host busy. "pool": 20 workers take
	// the articles interleaved over hosts, as the mirror's run does
	// (fetch.workers: 20).
	b.Run("per-article", func(b *testing.B) {
		for b.Loop() {
			report(b, ideal, func(c *fetch.Client) {
				var wg sync.WaitGroup
				for _, u := range urls {
					wg.Go(func() { get(b, c, u) })
				}
				wg.Wait()
			}, o)
		}
	})
	b.Run("pool", func(b *testing.B) {
		queue := make([]string, 0, len(urls))
		for a := range articles / hosts {
			for h := range hosts {
				queue = append(queue, urls[h*articles/hosts+a])
			}
		}
		for b.Loop() {
			report(b, ideal, func(c *fetch.Client) {
				ch := make(chan string)
				var wg sync.WaitGroup
				for range 20 {
					wg.Go(func() {
						for u := range ch {
							get(b, c, u)
						}
					})
				}
				for _, u := range queue {
					ch <- u
				}
				close(ch)
				wg.Wait()
			}, o)
		}
	})
}

func get(b *testing.B, c *fetch.Client, u string) {
	resp, err := c.Get(context.Background(), u)
	if err != nil {
		b.Error(err)
		return
	}
	io.Discard.Write(resp.Body)
}

func report(b *testing.B, ideal time.Duration, run func(*fetch.Client), o fetch.Options) {
	start := time.Now()
	run(fetch.New(o))
	took := time.Since(start)
	b.ReportMetric(took.Seconds(), "s/fetch")
	b.ReportMetric(took.Seconds()/ideal.Seconds(), "x-ideal")
}
