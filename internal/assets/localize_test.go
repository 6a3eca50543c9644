package assets_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/golden"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/site"
)

// imageHost serves images on loopback as http://img.test/: a.png and
// a-copy.png (the same bytes), b.jpg, big.png (over the test cap),
// wide.jpg (1200×600, scaled down when stored), page.html (not an
// image); anything else is 404.
func imageHost(t *testing.T) (*fetch.Client, *int) {
	t.Helper()
	files := map[string][]byte{
		"/a.png":      encodePNG(t, 40, 30, color.RGBA{200, 30, 30, 255}),
		"/a-copy.png": encodePNG(t, 40, 30, color.RGBA{200, 30, 30, 255}),
		"/b.jpg":      encodeJPEG(t, 60, 20),
		"/wide.jpg":   encodeJPEG(t, 1200, 600),
		"/big.png":    noisyPNG(t, 200, 200),
		"/page.html":  []byte("<!doctype html><html><body>not an image</body></html>"),
	}
	hits := new(int)
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*hits++
		mu.Unlock()
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png") // lies for page.html: the bytes decide
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	d := &net.Dialer{}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	return fetch.New(config.Default().Fetch, fetch.WithDial(dial), fetch.Allow("127.0.0.1")), hits
}

func encodePNG(t *testing.T, w, h int, c color.Color) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w * h {
		img.Set(i%w, i/w, c)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// noisyPNG is a PNG that does not compress: well over 16 KiB.
func noisyPNG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	x := uint32(1)
	for i := range img.Pix {
		x = x*1664525 + 1013904223
		img.Pix[i] = byte(x >> 24)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func localizer(t *testing.T) (*assets.Localizer, string, *int) {
	client, hits := imageHost(t)
	dir := t.TempDir()
	return assets.New(client, publish.Tree{Dir: dir}, assets.Options{Localize: true, MaxBytes: 16 << 10}), dir, hits
}

// TestLocalizeRewritesBodies runs every testdata/<case>.html through
// Localize and Rewrite (as the page pages/ch/1.md) and compares the body
// and the list of failures with <case>.golden.
func TestLocalizeRewritesBodies(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.html")
	if len(cases) == 0 {
		t.Fatal("no test cases")
	}
	for _, in := range cases {
		name := strings.TrimSuffix(filepath.Base(in), ".html")
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			l, _, _ := localizer(t)
			res, err := l.Localize(context.Background(), string(body))
			if err != nil {
				t.Fatal(err)
			}
			fitted, err := assets.Fit(string(body), res.Sizes)
			if err != nil {
				t.Fatal(err)
			}
			out, err := assets.Rewrite(fitted, res.Local, func(a string) string { return site.At("pages/ch/1.md").To(site.At(a)) })
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			got.WriteString(out)
			got.WriteString("\n-- assets --\n" + strings.Join(res.Assets, "\n"))
			got.WriteString("\n-- failed --\n")
			for _, e := range res.Failed {
				got.WriteString(e.Error() + "\n")
			}
			golden.Compare(t, strings.TrimSuffix(in, ".html")+".golden", got.String())
		})
	}
}

func TestLocalizeStoresADuplicateImageOnce(t *testing.T) {
	l, dir, hits := localizer(t)
	body := `<p><img src="http://img.test/a.png"/><img src="http://img.test/a-copy.png"/><img src="http://img.test/a.png"/></p>`
	res, err := l.Localize(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	if *hits != 2 {
		t.Errorf("fetched %d times, want 2 (one per distinct URL)", *hits)
	}
	if len(res.Assets) != 1 || len(res.Written) != 1 {
		t.Fatalf("assets = %v, written = %v; want one asset for the two identical images", res.Assets, res.Written)
	}
	files := countFiles(t, filepath.Join(dir, assets.Dir))
	if files != 1 {
		t.Errorf("assets folder holds %d files, want 1", files)
	}
	again, err := l.Localize(context.Background(), `<img src="http://img.test/a-copy.png"/>`)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Written) != 0 || again.Assets[0] != res.Assets[0] {
		t.Errorf("second article: written %v, assets %v; want the stored asset reused", again.Written, again.Assets)
	}
}

func TestLocalizeKeepsFailingImagesAndSaysWhy(t *testing.T) {
	l, _, _ := localizer(t)
	body := `<p><img src="http://img.test/big.png"/><img src="http://img.test/page.html"/><img src="http://img.test/missing.png"/></p>`
	res, err := l.Localize(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != 3 || len(res.Local) != 0 {
		t.Fatalf("failed = %v, local = %v; want three failures", res.Failed, res.Local)
	}
	var big *fetch.TooLargeError
	var notImage *assets.NotImageError
	var status *fetch.StatusError
	if !errors.As(res.Failed[0], &big) || !errors.As(res.Failed[1], &notImage) || !errors.As(res.Failed[2], &status) {
		t.Errorf("failures = %v; want too large, not an image, HTTP 404", res.Failed)
	}
	out, err := assets.Rewrite(body, res.Local, func(a string) string { return a })
	if err != nil || out != body {
		t.Errorf("body changed without a localised image: %q, %v", out, err)
	}
}

func TestPathIsContentAddressed(t *testing.T) {
	p, err := assets.Path(encodePNG(t, 1, 1, color.Black))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p, "assets/"+p[len("assets/xx/"):len("assets/xx/")+2]+"/") || !strings.HasSuffix(p, ".png") || len(p) != len("assets/xx/")+64+len(".png") {
		t.Errorf("path = %q, want assets/<2 hex>/<sha256>.png", p)
	}
}

func countFiles(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// mapKnown is a Known over a map, as the state database is in the mirror.
type mapKnown map[string]string

func (m mapKnown) Asset(_ context.Context, url string) (string, bool) {
	a, ok := m[url]
	return a, ok
}

func (m mapKnown) Remember(_ context.Context, url, asset string) { m[url] = asset }

func TestLocalizeReusesKnownImagesWithoutDownloading(t *testing.T) {
	l, _, hits := localizer(t)
	known := mapKnown{}
	l.WithKnown(known)
	body := `<p><img src="http://img.test/a.png"/><img src="http://img.test/missing.png"/></p>`
	first, err := l.Localize(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	fetched := *hits
	again, err := l.Localize(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	if *hits != fetched+1 {
		t.Errorf("second pass fetched %d times, want 1 (only the failing image again)", *hits-fetched)
	}
	if again.Local["http://img.test/a.png"] != first.Local["http://img.test/a.png"] || len(again.Assets) != 1 || len(again.Written) != 0 {
		t.Errorf("second pass: local %v, assets %v, written %v; want the known asset reused", again.Local, again.Assets, again.Written)
	}
	if len(known) != 1 {
		t.Errorf("known = %v, want only the stored image", known)
	}
}
