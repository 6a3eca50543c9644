package assets

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"

	"github.com/newsmirror/newsmirror/internal/jpegcoef"

	"golang.org/x/image/draw"
)

// Shrink is how Shrink treats an image; the zero value takes the defaults.
type Shrink struct {
	// MaxWidth is the widest image kept; a wider one is scaled down to it.
	MaxWidth int
	// Quality is the JPEG quality of a re-encoded JPEG (1-100).
	Quality int
	// MaxPixels is the largest image (width × height) decoded at all; a
	// larger one is kept as it is, with a warning: a few bytes can claim
	// a picture that would take gigabytes to decode.
	MaxPixels int
}

// Shrunk is what Shrink made of an image.
type Shrunk struct {
	// Data are the bytes to store: the converted image, or the original
	// when converting would not save bytes or is not done.
	Data []byte
	// Width and Height are the original's size, NewWidth and NewHeight
	// the stored image's; all zero when the size is unknown.
	Width, Height, NewWidth, NewHeight int
	// Warning says why an image that should have been converted was kept
	// as it is ("" when none).
	Warning string
}

// Scaled reports whether the stored image is narrower than the original.
func (s Shrunk) Scaled() bool { return s.NewWidth > 0 && s.NewWidth < s.Width }

// Apply converts data, an image of a kept type: a JPEG or PNG wider than
// MaxWidth is scaled down to it (height in proportion), a JPEG is
// re-encoded at Quality, a PNG re-compressed losslessly at the best
// compression; the result replaces the original only when it is smaller.
// GIFs (animated ones above all) and WebP are kept as they are, as are a
// JPEG whose EXIF says to rotate it (decoding would lose the rotation)
// and a CMYK JPEG (re-encoding would shift its colours), with a warning
// when they needed converting.
//
// A JPEG that needs no scaling is never turned into pixels: one whose
// quantisation tables say it is at or below Quality, with little
// metadata, is kept byte for byte once its structure is checked whole (a
// truncated or broken one is kept with a warning); a sequential one
// above Quality is requantised in the DCT domain (jpegcoef), which is
// several times faster than decoding and encoding and loses nothing but
// the coarser steps. Progressive ones, and ones whose coefficients would
// take more memory than decoding MaxPixels to pixels, are decoded and
// re-encoded.
func (o Shrink) Apply(data []byte) Shrunk {
	out := Shrunk{Data: data}
	ctype := http.DetectContentType(data)
	if ctype != "image/jpeg" && ctype != "image/png" {
		return out
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		out.Warning = fmt.Sprintf("kept as is: unreadable %s header: %v", ctype, err)
		return out
	}
	out.Width, out.Height, out.NewWidth, out.NewHeight = cfg.Width, cfg.Height, cfg.Width, cfg.Height
	if int64(cfg.Width)*int64(cfg.Height) > int64(o.MaxPixels) {
		out.Warning = fmt.Sprintf("kept as is: %d×%d is over %d pixels, too large to decode safely", cfg.Width, cfg.Height, o.MaxPixels)
		return out
	}
	if ctype == "image/jpeg" && o.jpeg(data, cfg, &out) {
		return out
	}
	o.viaPixels(data, ctype, &out)
	return out
}

// viaPixels decodes the image to pixels, scales them and encodes them
// again (a PNG losslessly), storing the result in out when it is smaller.
func (o Shrink) viaPixels(data []byte, ctype string, out *Shrunk) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		out.Warning = fmt.Sprintf("kept as is: %s does not decode: %v", ctype, err)
		return
	}
	img = o.scale(img)
	var b bytes.Buffer
	if ctype == "image/jpeg" {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: o.Quality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img)
	}
	if err != nil || b.Len() >= len(data) {
		return // would grow: the original it is
	}
	out.Data, out.NewWidth, out.NewHeight = b.Bytes(), img.Bounds().Dx(), img.Bounds().Dy()
}

// metadataSlack is the metadata (EXIF, XMP, comments) a JPEG may carry
// and still be kept byte for byte when its quality is within the budget.
const metadataSlack = 8 << 10

// jpeg stores a JPEG without decoding it to pixels where it can, and
// reports whether it did: as it is when it needs no scaling, its quality
// is at or below o.Quality and it has little metadata, once jpegcoef
// checked it whole; else requantised to o.Quality (its metadata but the
// colour profile dropped) when that is smaller. A broken one, and a
// rotated or CMYK one that needed converting, is kept with a warning. It
// returns false for a JPEG to be decoded to pixels.
func (o Shrink) jpeg(data []byte, cfg image.Config, out *Shrunk) bool {
	h, err := jpegcoef.ReadHeader(data)
	if err != nil {
		out.Warning = fmt.Sprintf("kept as is: image/jpeg does not decode: %v", err)
		return true
	}
	narrow := cfg.Width <= o.MaxWidth
	if narrow && jpegcoef.Quality(h.LumaTable) <= o.Quality && h.Metadata <= metadataSlack {
		if err := jpegcoef.Check(data); err != nil {
			out.Warning = fmt.Sprintf("kept as is: image/jpeg does not decode: %v", err)
		}
		return true
	}
	if why := untouchable(data, cfg); why != "" {
		out.Warning = "kept as is: " + why
		return true
	}
	if !h.Supported {
		return false
	}
	if !narrow {
		return o.wideJPEG(data, cfg, h, out)
	}
	// Coefficients take two bytes a sample, twice what pixels take: past
	// what decoding MaxPixels to pixels would take (three bytes a pixel,
	// 4:4:4), the image is decoded to pixels instead.
	m, err := jpegcoef.DecodeLimit(data, 3*o.MaxPixels)
	if failed, handled := decodeFailed(err, out); failed {
		return handled
	}
	m.Requantize(o.Quality)
	var b bytes.Buffer
	if err := m.Encode(&b); err == nil && b.Len() < len(data) {
		out.Data = b.Bytes()
	}
	return true
}

// decodeFailed says what a jpegcoef decode error means for a JPEG:
// nothing when err is nil; over the memory limit or beyond what jpegcoef
// reads, the JPEG is to be decoded to pixels (failed, not handled);
// broken, it is kept as is with a warning (failed and handled).
func decodeFailed(err error, out *Shrunk) (failed, handled bool) {
	var limit *jpegcoef.LimitError
	var unsupported *jpegcoef.UnsupportedError
	switch {
	case err == nil:
		return false, false
	case errors.As(err, &limit) || errors.As(err, &unsupported):
		return true, false
	}
	out.Warning = fmt.Sprintf("kept as is: image/jpeg does not decode: %v", err)
	return true, true
}

// wideJPEG scales a sequential JPEG wider than MaxWidth down to it
// without image/jpeg, and reports whether it did (false for one to be
// decoded to pixels): jpegcoef decodes it in YCbCr, at the smallest
// eighth of its size at least four times MaxWidth wide (a block's
// lowest frequencies only; in practice whole: see scaledDecodeMargin), its planes are scaled to
// the exact size, Cb and Cr sampled 4:2:0 as image/jpeg writes them, and
// jpegcoef codes them at Quality with Huffman tables made for them,
// keeping the segments that say how to read the colours. The planes take
// at most 3 bytes a pixel of the original, as its decode to pixels would.
func (o Shrink) wideJPEG(data []byte, cfg image.Config, h jpegcoef.Header, out *Shrunk) bool {
	w, ht := o.MaxWidth, o.height(cfg.Width, cfg.Height)
	img, err := jpegcoef.DecodeScaled(data, scaledDecodeMargin*w, 3*o.MaxPixels)
	if failed, handled := decodeFailed(err, out); failed {
		return handled
	}
	switch src := img.(type) {
	case *image.YCbCr:
		img = scaleYCbCr(src, w, ht, image.YCbCrSubsampleRatio420)
	case *image.Gray:
		img = scaleGray(src, w, ht)
	}
	m, err := jpegcoef.FromImage(img, o.Quality)
	if err != nil {
		return false
	}
	m.Keep = h.Keep
	var b bytes.Buffer
	if err := m.Encode(&b); err == nil && b.Len() < len(data) {
		out.Data, out.NewWidth, out.NewHeight = b.Bytes(), w, ht
	}
	return true
}

// scaledDecodeMargin is how much wider than the stored width a JPEG is
// decoded before its planes are scaled. Decoding a block to N×N pixels
// from its N×N lowest frequencies (N < 8) rings at sharp edges and
// leaves steps at block boundaries: decoded at just the stored width
// (libjpeg's choice), generated photos and the Go distribution's test
// JPEGs came out 0.5–3.7 dB further from a high-quality scaling than
// through image/jpeg; at twice or three times it, still up to 3 dB for
// small detailed images; at four times, the plane scaling that follows
// averages it away (within 0.4 dB of the way through pixels, 0.05 dB on
// average). So only a JPEG reduced 4× or more is decoded at N < 8 (a
// 4,000 px original at 1,000 px: N = 8; at 720 px: N = 6), which is
// where it saves most.
const scaledDecodeMargin = 4

// untouchable says why a JPEG may not be re-encoded ("" when it may): an
// EXIF orientation other than 1 (the pixels would lose their rotation)
// or CMYK (the colours would shift).
func untouchable(data []byte, cfg image.Config) string {
	if r := orientation(exif(data)); r > 1 {
		return fmt.Sprintf("its EXIF orientation %d would be lost by re-encoding", r)
	}
	if cfg.ColorModel == colorModelCMYK {
		return "a CMYK JPEG's colours would shift by re-encoding"
	}
	return ""
}

// scale returns img at most MaxWidth wide, its height in proportion. A
// decoded JPEG (YCbCr or grey) is scaled plane by plane and stays in its
// colour space, which spares a conversion each way; other images go
// through x/image/draw. Both filter bilinearly, the filter widening with
// the reduction.
func (o Shrink) scale(img image.Image) image.Image {
	r := img.Bounds()
	if r.Dx() <= o.MaxWidth {
		return img
	}
	h := o.height(r.Dx(), r.Dy())
	switch src := img.(type) {
	case *image.YCbCr:
		return scaleYCbCr(src, o.MaxWidth, h, src.SubsampleRatio)
	case *image.Gray:
		return scaleGray(src, o.MaxWidth, h)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, o.MaxWidth, h))
	draw.BiLinear.Scale(dst, dst.Bounds(), img, r, draw.Src, nil)
	return dst
}

// height is the height of a w×h image scaled to MaxWidth, in proportion.
func (o Shrink) height(w, h int) int { return max(1, (h*o.MaxWidth+w/2)/w) }

var colorModelCMYK = image.NewCMYK(image.Rect(0, 0, 1, 1)).ColorModel()

// exif returns the TIFF data of a JPEG's EXIF segment (nil when none).
func exif(data []byte) []byte {
	for i := 2; i+4 <= len(data) && data[i] == 0xFF; {
		marker, size := data[i+1], int(data[i+2])<<8|int(data[i+3])
		if marker == 0xDA || size < 2 { // start of scan: no more headers
			return nil
		}
		end := min(i+2+size, len(data))
		if marker == 0xE1 && bytes.HasPrefix(data[i+4:end], []byte("Exif\x00\x00")) {
			return data[i+10 : end]
		}
		i = end
	}
	return nil
}

// orientation reads the Orientation tag (0x0112) of IFD0 in a TIFF
// header; 0 when it is absent or unreadable.
func orientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 0
	}
	u16 := func(b []byte) int { return int(b[0])<<8 | int(b[1]) }
	u32 := func(b []byte) int { return int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3]) }
	if string(tiff[:2]) == "II" {
		u16 = func(b []byte) int { return int(b[1])<<8 | int(b[0]) }
		u32 = func(b []byte) int { return int(b[3])<<24 | int(b[2])<<16 | int(b[1])<<8 | int(b[0]) }
	} else if string(tiff[:2]) != "MM" {
		return 0
	}
	ifd := u32(tiff[4:8])
	if ifd < 8 || ifd+2 > len(tiff) {
		return 0
	}
	n := u16(tiff[ifd:])
	for e := ifd + 2; n > 0 && e+12 <= len(tiff); e, n = e+12, n-1 {
		if u16(tiff[e:]) == 0x0112 {
			return u16(tiff[e+8:])
		}
	}
	return 0
}
