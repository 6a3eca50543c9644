package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

// TestTransientTellsOutagesFromAnswersAboutTheDocument fetches from
// loopback servers that fail in every way a host can, and checks which
// failures say something about the document itself.
func TestTransientTellsOutagesFromAnswersAboutTheDocument(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cut":
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		case "/big":
			w.Write(make([]byte, 2048))
		default:
			var code int
			fmt.Sscanf(r.URL.Path, "/%d", &code)
			w.WriteHeader(code)
		}
	}))
	defer srv.Close()
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler()) // a certificate no one trusts
	defer tlsSrv.Close()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + closed.Addr().String() + "/"
	closed.Close()

	c := fetch.New(fetch.Options{Retries: 0, Timeout: 100 * time.Millisecond, MaxBodyBytes: 1024}, fetch.Allow("127.0.0.1"))
	for url, want := range map[string]bool{
		srv.URL + "/404":       false,
		srv.URL + "/410":       false,
		srv.URL + "/403":       false,
		srv.URL + "/big":       false,
		"ftp://example.test/x": false,
		srv.URL + "/500":       true,
		srv.URL + "/503":       true,
		srv.URL + "/429":       true,
		srv.URL + "/408":       true,
		srv.URL + "/cut":       true,
		srv.URL + "/slow":      true,
		tlsSrv.URL + "/":       true,
		refused:                true,
	} {
		_, err := c.Get(context.Background(), url)
		if err == nil {
			t.Errorf("%s: no error", url)
			continue
		}
		if got := fetch.Transient(err); got != want {
			t.Errorf("Transient(%v) = %v, want %v", err, got, want)
		}
	}
	dns := fmt.Errorf("fetch http://gone.example.test/: %w", &net.DNSError{Err: "no such host", Name: "gone.example.test", IsNotFound: true})
	if !fetch.Transient(dns) {
		t.Errorf("a DNS failure is not transient")
	}
	blocked := &fetch.BlockedError{Host: "metadata.test"}
	if fetch.Transient(blocked) || fetch.Transient(nil) {
		t.Errorf("a guarded address or no error is transient")
	}
}

func TestHostBackoffDoublesUpToItsCapWithJitter(t *testing.T) {
	o := fetch.Options{HostBackoff: time.Minute, MaxHostBackoff: 10 * time.Minute}
	for streak, limit := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 4: 8 * time.Minute, 5: 10 * time.Minute, 60: 10 * time.Minute} {
		for range 20 {
			if d := o.HostBackoffFor(streak); d < limit/2 || d > limit {
				t.Errorf("streak %d: backoff %s outside [%s, %s]", streak, d, limit/2, limit)
			}
		}
	}
}

func TestDeferringClientNeverSleepsOutARetryAfter(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c := fetch.New(fetch.Options{Retries: 2, MaxRetryWait: time.Minute}, fetch.Allow("127.0.0.1")).Deferring()
	_, err := c.Get(context.Background(), srv.URL+"/a")
	var later *fetch.RetryLaterError
	if !errors.As(err, &later) || !later.Asked || time.Until(later.At) < 25*time.Second || !fetch.Transient(err) {
		t.Fatalf("err = %v; want a transient *RetryLaterError about 30 s ahead, asked by the answer", err)
	}
	if p := c.PausedUntil(srv.URL + "/b"); p.Before(later.At.Add(-time.Second)) {
		t.Errorf("host paused until %v, want about %v", p, later.At)
	}
	// Another page of the paused host is not even asked for.
	if _, err := c.Get(context.Background(), srv.URL+"/b"); !errors.As(err, &later) || later.Asked || hits.Load() != 1 {
		t.Errorf("second fetch: %v after %d requests; want a RetryLaterError and no request", err, hits.Load())
	}
}
