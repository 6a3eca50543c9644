package assets_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// BenchmarkLocalizeHangingImages localises an article of 20 images whose
// host never answers (each request hangs until the client gives up), with
// fetch.timeout 1s and fetch.retries 1: what one such article costs a run.
func BenchmarkLocalizeHangingImages(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	d := &net.Dialer{}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	opts := config.Default().Fetch
	opts.Timeout, opts.Retries = time.Second, 1
	client := fetch.New(opts, fetch.WithDial(dial), fetch.Allow("127.0.0.1"))
	var body strings.Builder
	for i := range 20 {
		fmt.Fprintf(&body, `<p><img src="http://img.test/%d.jpg"/></p>`, i)
	}
	l := assets.New(client, publish.Tree{Dir: b.TempDir()}, assets.Options{Localize: true, MaxBytes: 5 << 20})
	for b.Loop() {
		res, err := l.Localize(context.Background(), body.String())
		if err != nil || len(res.Failed) != 20 {
			b.Fatalf("failed %d, err %v", len(res.Failed), err)
		}
	}
}
