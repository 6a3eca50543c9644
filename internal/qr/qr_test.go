package qr_test

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/makiuchi-d/gozxing"
	qrreader "github.com/makiuchi-d/gozxing/qrcode"

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
