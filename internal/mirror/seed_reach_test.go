package mirror_test

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/weigh"
)

// TestSeedArticleLoadsNothingFromItsSource mirrors the reference article
// with examples/goodnews.yaml, image localisation on and the HTML site on,
// its two body images served on loopback by stand-ins of the same size;
// neither the Markdown page nor the HTML page may load anything from the
// source's hosts any more. The weights are logged (go test -v) for
// BENCHMARKS.md.
func TestSeedArticleLoadsNothingFromItsSource(t *testing.T) {
	cfg, err := config.Load("../../examples/goodnews.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Output.Dir = t.TempDir()
	cfg.Output.AssetURL = "" // assets relative to the page
	cfg.Output.HTML.Enabled = true
	src := &cfg.Sources[0]
	src.Channels = src.Channels[8:9] // p9 看世界
	syncAt(t, cfg, seedClientWithImages(t), time.Date(2022, 1, 13, 0, 20, 0, 0, time.UTC))

	for _, page := range []string{"pages/p9/994979.md", "pages/p9/994979.html"} {
		r, err := weigh.Page(cfg.Output.Dir, page)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(r)
		for host := range r.Hosts() {
			if strings.HasSuffix(host, "secretchina.com") {
				t.Errorf("%s still loads from the source's host %s: %v", page, host, r.Remote)
			}
		}
		if len(r.Broken) > 0 || len(r.Local) < 2 {
			t.Errorf("%s: broken %v, local %v; want both body images local", page, r.Broken, r.Local)
		}
	}
}

// seedClientWithImages is seedClient's site plus stand-ins for the body's
// images: the 600×337 JPEG lead image and the 728×90 GIF banner.
func seedClientWithImages(t *testing.T) *fetch.Client {
	t.Helper()
	mux := seedMux(t)
	lead, banner := standIn(t, "jpeg", 600, 337), standIn(t, "gif", 728, 90)
	mux.HandleFunc("/pic/2022/1-1/p3070852a686610461-ss.jpg", func(w http.ResponseWriter, _ *http.Request) { w.Write(lead) })
	mux.HandleFunc("/kzgd/ad/kzgmembership-20210704_728.gif", func(w http.ResponseWriter, _ *http.Request) { w.Write(banner) })
	return loopbackAs(t, mux)
}

func standIn(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), []color.Color{color.White, color.RGBA{180, 20, 20, 255}})
	for i := range img.Pix {
		img.Pix[i] = uint8(i / w % 7 / 6)
	}
	var b bytes.Buffer
	var err error
	if format == "gif" {
		err = gif.Encode(&b, img, nil)
	} else {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
