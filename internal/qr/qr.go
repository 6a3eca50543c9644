// Package qr draws the QR code PNG that sits beside every page, so a reader
// can pass a page on by scanning a phone screen.
package qr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// Size is the PNG's width and height in pixels.
const Size = 256

// palette is white (the background, index 0) and black.
var palette = color.Palette{color.White, color.Black}

// encoder reuses its compressor between pages (building one allocates about
// a megabyte); the pool is the package's only state, safe for concurrent use.
var encoder = png.Encoder{BufferPool: make(bufferPool, 8)}

// bufferPool keeps up to cap(p) compressors alive. A sync.Pool is emptied
// by every other garbage collection, and a sync allocates enough to
// collect often: one compressor in seven was built anew.
type bufferPool chan *png.EncoderBuffer

func (p bufferPool) Get() *png.EncoderBuffer {
	select {
	case buf := <-p:
		return buf
	default:
		return nil
	}
}

func (p bufferPool) Put(buf *png.EncoderBuffer) {
	select {
	case p <- buf:
	default:
	}
}

// PNG encodes content (the page's public URL) as a QR code PNG: a two-colour
// (1 bit per pixel) image, the modules centred as go-qrcode draws them. It
// draws the image itself because go-qrcode's own PNG is 8 bits per pixel
// and, with a new compressor per page, took about half of the QR code's
// time (see BENCHMARKS.md).
func PNG(content string) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code for %q: %w", content, err)
	}
	var b bytes.Buffer
	if err := encoder.Encode(&b, draw(q.Bitmap())); err != nil {
		return nil, fmt.Errorf("qr code for %q: %w", content, err)
	}
	return b.Bytes(), nil
}

// draw scales the module bitmap (border included) to Size, centred.
func draw(bitmap [][]bool) *image.Paletted {
	n := len(bitmap)
	scale := max(Size/n, 1)
	size := max(Size, n)
	offset := (size - n*scale) / 2
	img := image.NewPaletted(image.Rect(0, 0, size, size), palette)
	for y, row := range bitmap {
		for x, black := range row {
			if !black {
				continue
			}
			for dy := range scale {
				start := img.PixOffset(offset+x*scale, offset+y*scale+dy)
				for i := range scale {
					img.Pix[start+i] = 1
				}
			}
		}
	}
	return img
}
