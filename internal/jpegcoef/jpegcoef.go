// Package jpegcoef reads and writes baseline JPEGs as their quantised DCT
// coefficients: it can tell a JPEG's quality from its quantisation tables
// alone, lower that quality by requantising the coefficients (no inverse
// and forward DCT, no colour conversion, no generation loss beyond the
// coarser steps), and write the result with Huffman tables made for the
// image. To scale one, DecodeScaled turns it into YCbCr or grey planes,
// at an eighth of its size to whole (each block's N×N lowest frequencies
// through an N×N inverse DCT), a row of blocks at a time, and FromImage
// turns planes back into coefficients at a given quality.
//
// It handles what most of the web serves and what image/jpeg writes:
// 8-bit baseline or extended sequential Huffman JPEGs, greyscale or three
// components in one interleaved scan. Anything else (progressive,
// arithmetic-coded, lossless, 12-bit, CMYK, components in separate scans)
// is an *UnsupportedError, and the caller decodes it the usual way.
package jpegcoef

import (
	"errors"
	"fmt"
)

// Image is a JPEG as quantised DCT coefficients.
type Image struct {
	Width, Height int
	// Components are one (grey) or three (Y, Cb, Cr) planes of blocks.
	Components []Component
	// Quant are the quantisation tables by id (0–3), in zigzag order;
	// a component's Table names its own.
	Quant [4][64]uint16
	// Keep are the segments written back as they are, markers included:
	// JFIF (APP0), ICC profiles (APP2) and Adobe (APP14), which say how
	// to read the colours. EXIF, XMP and comments are dropped.
	Keep       [][]byte
	hmax, vmax int
}

// Component is one colour plane.
type Component struct {
	ID    byte
	H, V  int // sampling factors
	Table int // quantisation table id
	// BlocksW and BlocksH are the plane's blocks across and down, padded
	// to whole MCUs when the scan is interleaved.
	BlocksW, BlocksH int
	// Coef holds 64 coefficients a block in zigzag order, blocks in
	// raster order.
	Coef []int16
}

// Block returns the 64 coefficients of the block at (bx, by).
func (c *Component) Block(bx, by int) []int16 {
	i := (by*c.BlocksW + bx) * 64
	return c.Coef[i : i+64 : i+64]
}

// UnsupportedError is a JPEG this package does not read: Reason says
// which feature.
type UnsupportedError struct{ Reason string }

func (e *UnsupportedError) Error() string { return "jpegcoef: unsupported JPEG: " + e.Reason }

// FormatError is a JPEG whose bytes are broken.
type FormatError struct{ Reason string }

func (e *FormatError) Error() string { return "jpegcoef: invalid JPEG: " + e.Reason }

var errShort = &FormatError{"truncated"}

// LimitError is a JPEG whose coefficients would take more memory than
// the caller allows: Bytes are what they would take.
type LimitError struct{ Bytes, Limit int }

func (e *LimitError) Error() string {
	return fmt.Sprintf("jpegcoef: coefficients would take %d bytes, over the limit of %d", e.Bytes, e.Limit)
}

// zigzag maps a zigzag position (the order of coefficients in the file
// and in Coef) to its row-major position in the 8×8 block.
var zigzag = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// The example tables of the JPEG standard (Annex K), row-major, that
// libjpeg, image/jpeg and most encoders scale by quality.
var stdTables = [2][64]uint16{{
	16, 11, 10, 16, 24, 40, 51, 61,
	12, 12, 14, 19, 26, 58, 60, 55,
	14, 13, 16, 24, 40, 57, 69, 56,
	14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77,
	24, 35, 55, 64, 81, 104, 113, 92,
	49, 64, 78, 87, 103, 121, 120, 101,
	72, 92, 95, 98, 112, 100, 103, 99,
}, {
	17, 18, 24, 47, 99, 99, 99, 99,
	18, 21, 26, 66, 99, 99, 99, 99,
	24, 26, 56, 99, 99, 99, 99, 99,
	47, 66, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
}}

// StandardTable returns the standard luminance (chroma false) or
// chrominance table scaled to quality (1–100) as libjpeg scales it, in
// zigzag order.
func StandardTable(quality int, chroma bool) [64]uint16 {
	quality = min(max(quality, 1), 100)
	scale := 200 - 2*quality
	if quality < 50 {
		scale = 5000 / quality
	}
	base := &stdTables[0]
	if chroma {
		base = &stdTables[1]
	}
	var t [64]uint16
	for k := range 64 {
		v := (int(base[zigzag[k]])*scale + 50) / 100
		t[k] = uint16(min(max(v, 1), 255))
	}
	return t
}

// Quality estimates the quality (1–100) a luminance table was made at:
// the quality whose scaled standard table has the nearest sum. Tables made
// by libjpeg's scaling give their quality exactly; others the nearest.
func Quality(luma [64]uint16) int {
	sum := func(t [64]uint16) (s int) {
		for _, v := range t {
			s += int(v)
		}
		return s
	}
	want, best, bestDiff := sum(luma), 1, -1
	for q := 1; q <= 100; q++ {
		d := sum(StandardTable(q, false)) - want
		if d < 0 {
			d = -d
		}
		if bestDiff < 0 || d < bestDiff {
			best, bestDiff = q, d
		}
	}
	return best
}

// Header is what a JPEG's segments before its first scan say.
type Header struct {
	Width, Height, Components int
	// Progressive is set for a progressive JPEG; Supported says whether
	// Decode reads the image.
	Progressive, Supported bool
	// LumaTable is the first component's quantisation table, zigzag order.
	LumaTable [64]uint16
	// Metadata counts the bytes of APPn and COM segments.
	Metadata int
	// Keep are the segments that say how to read the colours (JFIF,
	// ICC profile, Adobe), markers included, as Image.Keep holds them.
	Keep [][]byte
}

// ReadHeader reads a JPEG's header segments without decoding its scan.
func ReadHeader(data []byte) (Header, error) {
	var h Header
	var p parser
	p.data = data
	if err := p.headers(); err != nil {
		var u *UnsupportedError
		if !errors.As(err, &u) {
			return h, err
		}
	} else {
		h.Supported = true
	}
	if p.width == 0 {
		return h, &FormatError{"no frame header"}
	}
	h.Width, h.Height, h.Components = p.width, p.height, len(p.img.Components)
	h.Progressive, h.Metadata, h.Keep = p.progressive, p.metadata, p.img.Keep
	if len(p.img.Components) > 0 {
		h.LumaTable = p.img.Quant[p.img.Components[0].Table]
	}
	return h, nil
}

// Requantize lowers the image to quality: each table becomes, entry by
// entry, the coarser of its own and the standard table at quality, and
// every coefficient is rescaled to it, rounded to the nearest step. A
// table that is already coarser everywhere is left as it is.
func (m *Image) Requantize(quality int) {
	var scale [4][64]int32 // old step × 2^16 / new step
	used := [4]bool{}
	for i, c := range m.Components {
		if used[c.Table] {
			continue
		}
		used[c.Table] = true
		std := StandardTable(quality, i > 0)
		for k := range 64 {
			old := m.Quant[c.Table][k]
			nw := max(old, std[k])
			scale[c.Table][k] = int32(old) << 16 / int32(nw)
			m.Quant[c.Table][k] = nw
		}
	}
	for ci := range m.Components {
		c := &m.Components[ci]
		s := &scale[c.Table]
		for i := 0; i < len(c.Coef); i += 64 {
			b := c.Coef[i : i+64 : i+64]
			for k, v := range b {
				if v != 0 {
					b[k] = int16(roundShift(int32(v)*s[k], 16))
				}
			}
		}
	}
}

// roundShift is v / 2^n rounded half away from zero.
func roundShift(v int32, n uint) int32 {
	half := int32(1) << (n - 1)
	if v < 0 {
		return -((-v + half) >> n)
	}
	return (v + half) >> n
}

func formatErrorf(format string, a ...any) error {
	return &FormatError{fmt.Sprintf(format, a...)}
}
