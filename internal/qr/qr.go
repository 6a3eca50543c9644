// Package qr draws the QR code PNG that sits beside every page, so a reader
// can pass a page on by scanning a phone screen.
package qr

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	qrcode "github.com/skip2/go-qrcode"
)

// Size is the PNG's width and height in pixels.
const Size = 256

// rowBytes is one scanline of the PNG: its filter byte (0, none) and Size
// pixels at 1 bit each.
const rowBytes = 1 + (Size+7)/8

// compressors reuses zlib writers between pages (building one allocates
// about a megabyte); the pool is the package's only state, safe for
// concurrent use. A sync.Pool is emptied by every other garbage collection,
// and a sync allocates enough to collect often.
var compressors = make(compressorPool, 8)

// compressorPool keeps up to cap(p) zlib writers alive.
type compressorPool chan *zlib.Writer

func (p compressorPool) get(w *bytes.Buffer) *zlib.Writer {
	select {
	case zw := <-p:
		zw.Reset(w)
		return zw
	default:
		return zlib.NewWriter(w)
	}
}

func (p compressorPool) put(zw *zlib.Writer) {
	select {
	case p <- zw:
	default:
	}
}

// PNG encodes content (the page's public URL) as a QR code PNG: a two-colour
// (1 bit per pixel) image, the modules centred as go-qrcode draws them.
//
// It writes the PNG itself, straight from the module bitmap: the bytes
// image/png's Encoder writes for that image at its default compression
// (the tests compare them), without building the image and reading it
// back a pixel at a time through image.Image's interface, which took a
// third of a QR code's time (see BENCHMARKS.md).
func PNG(content string) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code for %q: %w", content, err)
	}
	b := bytes.NewBuffer(make([]byte, 0, 2048))
	if err := writePNG(b, q.Bitmap()); err != nil {
		return nil, fmt.Errorf("qr code for %q: %w", content, err)
	}
	return b.Bytes(), nil
}

// pngHeader is the PNG signature, the header of a Size × Size image of 1
// bit per pixel indexed by a palette, and that palette: white (index 0,
// the background) and black.
var pngHeader = func() []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, Size)
	ihdr = binary.BigEndian.AppendUint32(ihdr, Size)
	ihdr = append(ihdr, 1, 3, 0, 0, 0) // bit depth, colour type, compression, filter, interlace
	b = appendChunk(b, "IHDR", ihdr)
	return appendChunk(b, "PLTE", []byte{0xff, 0xff, 0xff, 0, 0, 0})
}()

// writePNG writes the module bitmap (border included) scaled to Size,
// centred, as a PNG.
func writePNG(w *bytes.Buffer, bitmap [][]bool) error {
	var data bytes.Buffer
	zw := compressors.get(&data)
	defer compressors.put(zw)
	n := len(bitmap)
	scale := max(Size/n, 1)
	offset := (Size - n*scale) / 2
	var blank, row [rowBytes]byte
	for y := range Size {
		line := blank[:]
		if m := y - offset; m >= 0 && m < n*scale {
			if m%scale == 0 {
				packRow(&row, bitmap[m/scale], offset, scale)
			}
			line = row[:]
		}
		// One write per scanline, as image/png writes them.
		if _, err := zw.Write(line); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	w.Write(pngHeader)
	w.Write(appendChunk(nil, "IDAT", data.Bytes()))
	w.Write(appendChunk(nil, "IEND", nil))
	return nil
}

// packRow fills row (filter byte 0, then 8 pixels a byte, the leftmost in
// the high bit) with the modules of one bitmap row, each scale pixels
// wide, starting offset pixels in.
func packRow(row *[rowBytes]byte, modules []bool, offset, scale int) {
	clear(row[:])
	for x, black := range modules {
		if !black {
			continue
		}
		for px := offset + x*scale; px < offset+(x+1)*scale && px < Size; px++ {
			row[1+px/8] |= 0x80 >> (px % 8)
		}
	}
}

// appendChunk appends a PNG chunk: length, type, data and their CRC.
func appendChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	start := len(b)
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}
