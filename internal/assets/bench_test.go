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

// BenchmarkLocalizePhotos localises six generated news photos (JPEG at
// quality 90, 600 to 1,400 px wide, as CDNs serve them) as stored
// originals ("keep_originals") and converted (the defaults: at most
// 1,000 px wide, JPEG quality 75), and reports the average stored image.
func BenchmarkLocalizePhotos(b *testing.B) {
	files := map[string][]byte{}
	var body strings.Builder
	for i, w := range []int{600, 800, 1000, 1100, 1200, 1400} {
		name := fmt.Sprintf("/%d.jpg", i)
		files[name] = jpegOf(b, photo(w, w*2/3, uint64(i+1)), 90)
		fmt.Fprintf(&body, `<p><img src="http://img.test%s" width="%d" height="%d"/></p>`, name, w, w*2/3)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(files[r.URL.Path]) }))
	defer srv.Close()
	d := &net.Dialer{}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	client := fetch.New(config.Default().Fetch, fetch.WithDial(dial), fetch.Allow("127.0.0.1"))
	for _, keep := range []bool{true, false} {
		name := map[bool]string{true: "originals", false: "converted"}[keep]
		b.Run(name, func(b *testing.B) {
			tree := &sizeTree{}
			l := assets.New(client, tree, assets.Options{Localize: true, KeepOriginals: keep})
			for b.Loop() {
				tree.bytes, tree.files = 0, 0
				if _, err := l.Localize(context.Background(), body.String()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(tree.bytes)/float64(tree.files), "B/image")
		})
	}
}

// sizeTree is a Writer that counts what it is given.
type sizeTree struct{ bytes, files int }

func (t *sizeTree) Write(_ string, data []byte) (bool, error) {
	t.bytes += len(data)
	t.files++
	return true, nil
}
