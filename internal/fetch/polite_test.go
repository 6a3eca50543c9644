package fetch_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

func TestPerHostCapLimitsRequestsInFlight(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c := fetch.New(testOptions())
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), srv.URL); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Errorf("peak %d requests in flight to one host, want the default cap 2", p)
	}
	// A source with its own cap.
	peak.Store(0)
	one := 1
	sc := c.With(fetch.SourceOptions{PerHost: 1, Retries: &one})
	srv2 := httptest.NewServer(srv.Config.Handler)
	defer srv2.Close()
	for range 6 {
		wg.Go(func() { sc.Get(context.Background(), srv2.URL) })
	}
	wg.Wait()
	if p := peak.Load(); p != 1 {
		t.Errorf("peak %d with per_host 1", p)
	}
}

func TestMinIntervalSpacesRequestStarts(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	o := testOptions()
	o.MinInterval = 50 * time.Millisecond
	c := fetch.New(o)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { c.Get(context.Background(), srv.URL) })
	}
	wg.Wait()
	// A lower bound only: four starts 50 ms apart span at least 150 ms
	// (less some slack for where the server reads its clock).
	if span := starts[len(starts)-1].Sub(starts[0]); len(starts) != 4 || span < 120*time.Millisecond {
		t.Errorf("%d requests spanning %s, want 4 spaced by the interval", len(starts), span)
	}
}

func TestHTTPProxyCarriesRequestsAndIsAllowedByTheGuard(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "via proxy for "+r.URL.Host)
	}))
	defer proxy.Close()
	o := testOptions()
	o.Allow = nil // the proxy's own address passes: the operator chose it
	c := fetch.New(o).With(fetch.SourceOptions{Proxy: proxy.URL})
	resp, err := c.Get(context.Background(), "http://news.example.test/a.html")
	if err != nil || string(resp.Body) != "via proxy for news.example.test" {
		t.Fatalf("got %v, %v", resp, err)
	}
}

func TestSourceOptionsValidate(t *testing.T) {
	for _, bad := range []fetch.SourceOptions{{Proxy: "ftp://x"}, {Charset: "klingon"}, {PerHost: 100}, {Timeout: -1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v validated", bad)
		}
	}
	if err := (fetch.SourceOptions{Proxy: "socks5://127.0.0.1:1080", Charset: "gb2312"}).Validate(); err != nil {
		t.Error(err)
	}
}
