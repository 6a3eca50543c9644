package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

// testOptions are short timeouts and waits, so that every fault ends fast.
func testOptions() fetch.Options {
	o := fetch.DefaultOptions()
	o.Timeout = 500 * time.Millisecond
	o.ConnectTimeout = 500 * time.Millisecond
	o.Retries = 2
	o.RetryWait = 10 * time.Millisecond
	o.MaxRetryWait = 2 * time.Second
	o.MaxBodyBytes = 1 << 20
	o.Allow = []string{"127.0.0.1"}
	return o
}

// faultServer serves the faults of the issue on loopback.
type faultServer struct {
	*httptest.Server
	hits map[string]*atomic.Int32
}

func newFaultServer(t *testing.T) *faultServer {
	t.Helper()
	fs := &faultServer{hits: map[string]*atomic.Int32{}}
	mux := http.NewServeMux()
	handle := func(path string, h func(w http.ResponseWriter, r *http.Request, n int32)) {
		c := &atomic.Int32{}
		fs.hits[path] = c
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { h(w, r, c.Add(1)) })
	}
	handle("/500-then-200", func(w http.ResponseWriter, _ *http.Request, n int32) {
		if n == 1 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	})
	handle("/always-503", func(w http.ResponseWriter, _ *http.Request, _ int32) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	handle("/404", func(w http.ResponseWriter, r *http.Request, _ int32) { http.NotFound(w, r) })
	handle("/stall", func(w http.ResponseWriter, r *http.Request, _ int32) {
		<-r.Context().Done() // never answers
	})
	handle("/drip", func(w http.ResponseWriter, r *http.Request, _ int32) {
		w.Header().Set("Content-Length", "100")
		for range 100 {
			w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return
			}
		}
	})
	handle("/429", func(w http.ResponseWriter, _ *http.Request, n int32) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	})
	handle("/429-forever", func(w http.ResponseWriter, _ *http.Request, _ int32) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "come back in an hour", http.StatusTooManyRequests)
	})
	handle("/gzip-bomb", func(w http.ResponseWriter, _ *http.Request, _ int32) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBomb)
	})
	handle("/redirect-loop", func(w http.ResponseWriter, r *http.Request, _ int32) {
		http.Redirect(w, r, "/redirect-loop", http.StatusFound)
	})
	handle("/huge", func(w http.ResponseWriter, r *http.Request, _ int32) {
		chunk := bytes.Repeat([]byte("y"), 64<<10)
		for range 50 << 20 / len(chunk) { // 50 MiB, no Content-Length
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	handle("/to-metadata", func(w http.ResponseWriter, r *http.Request, _ int32) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	handle("/to-private", func(w http.ResponseWriter, r *http.Request, _ int32) {
		http.Redirect(w, r, "http://10.1.2.3/admin", http.StatusFound)
	})
	handle("/etag", func(w http.ResponseWriter, r *http.Request, _ int32) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "<rss/>")
	})
	fs.Server = httptest.NewServer(mux)
	t.Cleanup(fs.Close)
	return fs
}

// gzipBomb inflates to 64 MiB of zeros.
var gzipBomb = func() []byte {
	var b bytes.Buffer
	z, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 {
		z.Write(zeros)
	}
	z.Close()
	return b.Bytes()
}()

func TestClientRetries500ThenSucceeds(t *testing.T) {
	fs := newFaultServer(t)
	resp, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/500-then-200")
	if err != nil || string(resp.Body) != "ok" {
		t.Fatalf("got %v, %v; want ok after a retry", resp, err)
	}
	if n := fs.hits["/500-then-200"].Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestOnRetryIsCalledBeforeEachRepeatedAttempt(t *testing.T) {
	fs := newFaultServer(t)
	retries := 0
	fetch.New(testOptions(), fetch.OnRetry(func() { retries++ })).Get(context.Background(), fs.URL+"/always-503")
	if retries != 2 {
		t.Errorf("OnRetry called %d times, want 2 (1 + 2 retries)", retries)
	}
}

func TestClientGivesUpOnPersistent5xxWithStatusError(t *testing.T) {
	fs := newFaultServer(t)
	_, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/always-503")
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != 503 {
		t.Fatalf("err = %v, want a *StatusError 503", err)
	}
	if n := fs.hits["/always-503"].Load(); n != 3 {
		t.Errorf("%d requests, want 1 + 2 retries", n)
	}
}

func TestClientDoesNotRetry404(t *testing.T) {
	fs := newFaultServer(t)
	_, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/404")
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != 404 || fs.hits["/404"].Load() != 1 {
		t.Fatalf("err = %v after %d requests, want one 404", err, fs.hits["/404"].Load())
	}
}

func TestClientTimesOutOnStalledConnectionAndRetries(t *testing.T) {
	fs := newFaultServer(t)
	o := testOptions()
	o.Timeout, o.Retries = 200*time.Millisecond, 1
	_, err := fetch.New(o).Get(context.Background(), fs.URL+"/stall")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if n := fs.hits["/stall"].Load(); n != 2 {
		t.Errorf("%d requests, want 2 (timeouts are retried)", n)
	}
}

func TestClientTimeoutBoundsADrippingBody(t *testing.T) {
	fs := newFaultServer(t)
	o := testOptions()
	o.Timeout, o.Retries = 300*time.Millisecond, 0
	_, err := fetch.New(o).Get(context.Background(), fs.URL+"/drip")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the total timeout to end the body", err)
	}
}

func TestClientHonoursRetryAfter(t *testing.T) {
	fs := newFaultServer(t)
	start := time.Now()
	resp, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/429")
	if err != nil || string(resp.Body) != "ok" {
		t.Fatalf("got %v, %v; want ok after waiting", resp, err)
	}
	// Not a timing assertion on speed: the client must not retry before
	// the second the server asked for.
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("retried after %s, before Retry-After: 1", waited)
	}
}

func TestClientDoesNotWaitForAnHourLongRetryAfter(t *testing.T) {
	fs := newFaultServer(t)
	_, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/429-forever")
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want a *StatusError 429 asking for an hour", err)
	}
	if n := fs.hits["/429-forever"].Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestRetryWaitEndsWithContext(t *testing.T) {
	fs := newFaultServer(t)
	o := testOptions()
	o.RetryWait, o.MaxRetryWait = time.Hour, time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for fs.hits["/always-503"].Load() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	_, err := fetch.New(o).Get(ctx, fs.URL+"/always-503")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the cancelled wait", err)
	}
}

func TestGzipBombStopsAtTheCap(t *testing.T) {
	fs := newFaultServer(t)
	_, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/gzip-bomb")
	var tl *fetch.TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 1<<20 {
		t.Fatalf("err = %v, want a *TooLargeError at 1 MiB", err)
	}
}

func TestFiftyMiBBodyIsCapped(t *testing.T) {
	fs := newFaultServer(t)
	_, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/huge")
	var tl *fetch.TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("err = %v, want a *TooLargeError", err)
	}
	if n := fs.hits["/huge"].Load(); n != 1 {
		t.Errorf("%d requests: a too large body is not retried", n)
	}
}

func TestRedirectLoopStopsAfterTenRedirects(t *testing.T) {
	fs := newFaultServer(t)
	_, err := fetch.New(testOptions()).Get(context.Background(), fs.URL+"/redirect-loop")
	if !errors.Is(err, fetch.ErrTooManyRedirects) {
		t.Fatalf("err = %v, want ErrTooManyRedirects", err)
	}
	if n := fs.hits["/redirect-loop"].Load(); n != 10 {
		t.Errorf("%d requests, want 10", n)
	}
}

func TestAddressGuardRefusesRedirectsToMetadataAndPrivateAddresses(t *testing.T) {
	fs := newFaultServer(t)
	c := fetch.New(testOptions())
	for _, path := range []string{"/to-metadata", "/to-private"} {
		_, err := c.Get(context.Background(), fs.URL+path)
		var be *fetch.BlockedError
		if !errors.As(err, &be) {
			t.Errorf("%s: err = %v, want a *BlockedError", path, err)
		}
	}
}

func TestAddressGuardRefusesLoopbackUnlessAllowed(t *testing.T) {
	fs := newFaultServer(t)
	o := testOptions()
	o.Allow = nil
	_, err := fetch.New(o).Get(context.Background(), fs.URL+"/404")
	var be *fetch.BlockedError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("err = %v, want a *BlockedError naming 127.0.0.1", err)
	}
	if fs.hits["/404"].Load() != 0 {
		t.Error("the guard let a request through")
	}
}

func TestAddressGuardChecksTheAddressACustomDialReaches(t *testing.T) {
	fs := newFaultServer(t)
	o := testOptions()
	o.Allow = []string{"news.example"} // the name, not the address
	dialled := 0
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialled++
		return (&net.Dialer{}).DialContext(ctx, network, fs.Listener.Addr().String())
	}
	// A name that is not allowed, "rebound" to loopback by the dial function.
	_, err := fetch.New(o, fetch.WithDial(dial)).Get(context.Background(), "http://other.example/404")
	var be *fetch.BlockedError
	if !errors.As(err, &be) || dialled != 1 {
		t.Fatalf("err = %v after %d dials, want a *BlockedError", err, dialled)
	}
	// An allowed name reaches it.
	_, err = fetch.New(o, fetch.WithDial(dial)).Get(context.Background(), "http://news.example/404")
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != 404 {
		t.Fatalf("err = %v, want the allowed host's 404", err)
	}
}

func TestConditionalGetReportsNotModified(t *testing.T) {
	fs := newFaultServer(t)
	c := fetch.New(testOptions())
	resp, err := c.Get(context.Background(), fs.URL+"/etag")
	if err != nil || resp.NotModified {
		t.Fatalf("first fetch: %v, %v", resp, err)
	}
	v := resp.Validators()
	if v.ETag != `"v1"` {
		t.Fatalf("validators %+v", v)
	}
	resp, err = c.GetIfChanged(context.Background(), fs.URL+"/etag", v)
	if err != nil || !resp.NotModified || len(resp.Body) != 0 {
		t.Fatalf("conditional fetch: %+v, %v; want NotModified", resp, err)
	}
}

func TestUserAgentIsSent(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r.UserAgent() }))
	defer srv.Close()
	o := testOptions()
	o.UserAgent = "newsmirror-test/1"
	if _, err := fetch.New(o).Get(context.Background(), srv.URL); err != nil {
		t.Fatal(err)
	}
	if ua := <-got; ua != "newsmirror-test/1" {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestAbsurdRetryAfterEndsTheRequestInsteadOfRetrying(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "9223372037")
		http.Error(w, "never", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	_, err := fetch.New(testOptions()).Get(context.Background(), srv.URL)
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != 503 || se.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want a 503 asking for (at most) an hour", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests: an absurd Retry-After was retried on the short backoff", n)
	}
}
