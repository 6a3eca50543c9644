package qr_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"testing"

	"github.com/makiuchi-d/gozxing"
	qrreader "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/newsmirror/newsmirror/internal/qr"
)

// decode reads the QR code in a PNG back to its text.
func decode(t *testing.T, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrreader.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.GetText()
}

func TestPNGDecodesToPageURL(t *testing.T) {
	url := "https://github.com/begood0513/goodnews/blob/master/pages/p9/994979.md"
	data, err := qr.PNG(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != qr.Size || cfg.Height != qr.Size {
		t.Errorf("png %dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, qr.Size, qr.Size)
	}
	if got := decode(t, data); got != url {
		t.Errorf("decoded %q, want %q", got, url)
	}
}

func TestPNGEncodesChineseURL(t *testing.T) {
	url := "https://github.com/o/r/blob/master/indexes/S看世界.md"
	data, err := qr.PNG(url)
	if err != nil {
		t.Fatal(err)
	}
	if got := decode(t, data); got != url {
		t.Errorf("decoded %q, want %q", got, url)
	}
}

// reference is the PNG image/png's Encoder writes for content's QR code,
// drawn as an image: the modules scaled to qr.Size, centred.
func reference(t *testing.T, content string) []byte {
	t.Helper()
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bitmap := q.Bitmap()
	n := len(bitmap)
	scale := max(qr.Size/n, 1)
	offset := (qr.Size - n*scale) / 2
	img := image.NewPaletted(image.Rect(0, 0, qr.Size, qr.Size), color.Palette{color.White, color.Black})
	for y, row := range bitmap {
		for x, black := range row {
			if black {
				draw.Draw(img, image.Rect(offset+x*scale, offset+y*scale, offset+(x+1)*scale, offset+(y+1)*scale), image.Black, image.Point{}, draw.Src)
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A page's QR code is the same bytes whoever draws it: a mirror rebuilt
// by a newer newsmirror commits no change to its QR codes.
func TestPNGIsWhatImagePNGWritesByteForByte(t *testing.T) {
	contents := []string{
		"x",
		"https://github.com/begood0513/goodnews/blob/master/pages/p9/994979.md",
		"https://github.com/o/r/blob/master/indexes/S看世界.md",
		"https://cdn.jsdelivr.net/gh/someone/a-mirror-with-a-long-name@main/pages/channel-with-a-long-name/2026/12/01/" + strings.Repeat("长标题", 20) + ".html",
	}
	for n := 1; n < 1200; n = n*3 + 7 { // every few QR versions, up to 1,200 bytes
		contents = append(contents, "https://example.org/"+strings.Repeat("p", n))
	}
	for _, c := range contents {
		got, err := qr.PNG(c)
		if err != nil {
			t.Fatal(err)
		}
		if want := reference(t, c); !bytes.Equal(got, want) {
			t.Errorf("QR code of %d bytes: %d bytes of PNG differ from image/png's %d", len(c), len(got), len(want))
		}
	}
}

func TestPNGOfManyPagesAtOnceDecodeToEach(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 4 {
				url := fmt.Sprintf("https://github.com/o/r/blob/main/pages/c%d/%d.md", i, j)
				data, err := qr.PNG(url)
				if err != nil {
					t.Error(err)
					return
				}
				if got := decode(t, data); got != url {
					t.Errorf("decoded %q, want %q", got, url)
				}
			}
		})
	}
	wg.Wait()
}
