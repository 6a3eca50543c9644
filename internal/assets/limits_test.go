package assets_test

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// server is a loopback image host reached as any http://*.test/ host name,
// counting the requests it gets and how many are in flight at once.
type server struct {
	requests, inFlight, most atomic.Int64
	// arrived gets a value as each request comes in.
	arrived chan struct{}
}

// serve starts a host whose requests run handle; opts are the client's.
func serve(t *testing.T, opts fetch.Options, handle http.HandlerFunc) (*fetch.Client, *server) {
	t.Helper()
	s := &server{arrived: make(chan struct{}, 1<<16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		n := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for m := s.most.Load(); n > m && !s.most.CompareAndSwap(m, n); m = s.most.Load() {
		}
		s.arrived <- struct{}{}
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	d := &net.Dialer{}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	return fetch.New(opts, fetch.WithDial(dial), fetch.Allow("127.0.0.1")), s
}

// hang blocks until the client goes away.
func hang(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// images is a body of n distinct images on host.
func images(host string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<p><img src="http://%s/%d.png"/></p>`, host, i)
	}
	return b.String()
}

// pngs serves a distinct small PNG for every path.
func pngs(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Write(encodePNG(t, 2, 2, color.RGBA{byte(len(r.URL.Path)), byte(r.URL.Path[1]), 7, 255}))
	}
}

func TestLocalizeCapsTheImagesOfAnArticle(t *testing.T) {
	client, srv := serve(t, config.Default().Fetch, pngs(t))
	l := assets.New(client, publish.Tree{Dir: t.TempDir()}, assets.Options{Localize: true, MaxPerArticle: 7})
	body := images("img.test", 500)
	res, err := l.Localize(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.requests.Load(); n > 7 {
		t.Errorf("%d requests for an article capped at 7 images", n)
	}
	if len(res.Local) != 7 || res.Skipped != 493 || len(res.Failed) != 0 {
		t.Errorf("local %d, skipped %d, failed %v; want 7 localised and 493 skipped", len(res.Local), res.Skipped, res.Failed)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "max_per_article (7)") {
		t.Errorf("warnings = %q, want one naming images.max_per_article", res.Warnings)
	}
	out, err := assets.Rewrite(body, res.Local, func(a string) string { return "/" + a })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, `src="/assets/`) != 7 || strings.Count(out, `src="http://img.test/`) != 493 {
		t.Errorf("the images over the cap do not keep their original URL")
	}
}

func TestLocalizeCountsDownloadsAgainstTheRunQuota(t *testing.T) {
	client, srv := serve(t, config.Default().Fetch, pngs(t))
	l := assets.New(client, publish.Tree{Dir: t.TempDir()}, assets.Options{Localize: true}).WithQuota(assets.NewQuota(5))
	first, err := l.Localize(context.Background(), images("a.test", 4))
	if err != nil {
		t.Fatal(err)
	}
	second, err := l.Localize(context.Background(), images("b.test", 4)+`<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="/>`)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Local) != 4 || first.Skipped != 0 {
		t.Errorf("first article: %d localised, %d skipped; want 4, 0", len(first.Local), first.Skipped)
	}
	if len(second.Local) != 2 || second.Skipped != 3 || len(second.Warnings) != 1 || !strings.Contains(second.Warnings[0], "max_per_run (5)") {
		t.Errorf("second article: %d localised (want the 1 left and the data: image), %d skipped (want 3), warnings %q",
			len(second.Local), second.Skipped, second.Warnings)
	}
	if n := srv.requests.Load(); n != 5 {
		t.Errorf("%d requests, want the quota's 5", n)
	}
}

func TestLocalizeFetchesAnArticlesImagesAtOnceWithinThePerHostLimit(t *testing.T) {
	opts := config.Default().Fetch
	opts.PerHost = 3
	release := make(chan struct{})
	client, srv := serve(t, opts, func(w http.ResponseWriter, r *http.Request) {
		<-release
		pngs(t)(w, r)
	})
	l := assets.New(client, publish.Tree{Dir: t.TempDir()}, assets.Options{Localize: true})
	done := make(chan *assets.Result)
	go func() {
		res, err := l.Localize(context.Background(), images("img.test", 12))
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	for range 3 { // three requests in flight before any is answered
		<-srv.arrived
	}
	close(release)
	res := <-done
	if got := srv.most.Load(); got != 3 {
		t.Errorf("at most %d requests in flight, want per_host's 3", got)
	}
	if len(res.Local) != 12 {
		t.Errorf("%d images localised, want 12", len(res.Local))
	}
}

func TestLocalizeStopsAskingAHostWhoseImagesHang(t *testing.T) {
	opts := config.Default().Fetch
	opts.Timeout, opts.Retries, opts.RetryWait = 200*time.Millisecond, 1, 10*time.Millisecond
	client, srv := serve(t, opts, hang)
	l := assets.New(client, publish.Tree{Dir: t.TempDir()}, assets.Options{Localize: true})
	res, err := l.Localize(context.Background(), images("img.test", 20))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != 20 || len(res.Local) != 0 {
		t.Fatalf("failed %d, local %d; want all 20 kept at their URL", len(res.Failed), len(res.Local))
	}
	var failing *assets.HostFailingError
	notAsked := 0
	for _, e := range res.Failed {
		if errors.As(e, &failing) {
			notAsked++
		}
	}
	if n := srv.requests.Load(); n >= 20 || notAsked == 0 {
		t.Errorf("%d requests, %d images not asked; want the host left alone after its first failures", n, notAsked)
	}
}

func TestLocalizeReturnsWhenItsContextEnds(t *testing.T) {
	client, srv := serve(t, config.Default().Fetch, hang) // 30 s timeout: only ctx ends it
	l := assets.New(client, publish.Tree{Dir: t.TempDir()}, assets.Options{Localize: true})
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("stopped by the test")
	type outcome struct {
		res *assets.Result
		err error
	}
	done := make(chan outcome)
	go func() {
		res, err := l.Localize(ctx, images("img.test", 20))
		done <- outcome{res, err}
	}()
	<-srv.arrived // the article is under way
	cancel(stop)
	select {
	case o := <-done:
		if !errors.Is(o.err, stop) || o.res != nil {
			t.Errorf("result %v, err %v; want nothing and the context's cause", o.res, o.err)
		}
	case <-time.After(30 * time.Second): // a deadlock guard, not a speed target
		t.Fatal("Localize still running 30 s after its context ended")
	}
}
