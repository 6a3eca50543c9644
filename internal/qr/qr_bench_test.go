package qr_test

import (
	"testing"

	"github.com/newsmirror/newsmirror/internal/qr"
)

// BenchmarkPNG draws the QR code of the reference page's public URL.
func BenchmarkPNG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := qr.PNG("https://github.com/begood0513/goodnews/blob/master/pages/p9/994979.md"); err != nil {
			b.Fatal(err)
		}
	}
}
