package jpegcoef

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"
)

// TestFDCTIsTheOrthonormalDCT: the scaled forward DCT, divided by its
// divisors at step 1, is the DCT of the definition, rounded.
func TestFDCTIsTheOrthonormalDCT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ones [64]uint16
	for k := range ones {
		ones[k] = 1
	}
	div := fdctDivisors(&ones)
	for range 20 {
		var px, blk [64]float32
		for k := range px {
			px[k] = float32(rng.IntN(256) - 128)
		}
		blk = px
		fdct(&blk)
		got := make([]int16, 64)
		quantize(&blk, &div, got)
		for k, z := range zigzag {
			v, u := z>>3, z&7
			var sum float64
			for y := range 8 {
				for x := range 8 {
					sum += float64(px[y*8+x]) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16) * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16)
				}
			}
			sum *= alpha8(u) * alpha8(v)
			if d := math.Abs(float64(got[k]) - sum); d > 0.51 {
				t.Fatalf("frequency (%d,%d): %d, the definition gives %.3f", u, v, got[k], sum)
			}
		}
	}
}

func alpha8(u int) float64 {
	if u == 0 {
		return math.Sqrt(1.0 / 8)
	}
	return 0.5
}

// TestDecodeScaledAtFullSizeIsImageJPEGsDecode: at N = 8 every layout
// Decode reads (the stdlib files: each subsampling, odd sizes, restart
// intervals, grey) decodes to image/jpeg's planes within the rounding
// of two different inverse DCTs.
func TestDecodeScaledAtFullSizeIsImageJPEGsDecode(t *testing.T) {
	for name, data := range stdlibJPEGs(t) {
		want, err := jpeg.Decode(bytes.NewReader(data))
		got, gerr := DecodeScaled(data, 1<<20, 1<<30)
		var u *UnsupportedError
		switch {
		case errors.As(gerr, &u):
			continue
		case gerr != nil || err != nil:
			t.Errorf("%s: DecodeScaled: %v, image/jpeg: %v", name, gerr, err)
			continue
		}
		if got.Bounds() != want.Bounds() {
			t.Errorf("%s: %v, image/jpeg %v", name, got.Bounds(), want.Bounds())
			continue
		}
		for i, pair := range planePairs(got, want) {
			if mean, worst := planeDiff(pair[0], pair[1]); mean > 0.1 || worst > 2 {
				t.Errorf("%s plane %d: mean difference %.3f, worst %d levels from image/jpeg", name, i, mean, worst)
			}
		}
	}
}

// TestDecodeScaledIsTheBlockAverageAtOneEighth: at N = 1 each pixel is
// its block's mean (its DC), so within a level of the mean of image/jpeg's
// decoded block, for a photo 4:2:0 and grey.
func TestDecodeScaledIsTheBlockAverageAtOneEighth(t *testing.T) {
	src := photoLike(333, 201, 5)
	grey := image.NewGray(src.Bounds())
	for y := range 201 {
		for x := range 333 {
			grey.Set(x, y, src.At(x, y))
		}
	}
	for _, img := range []image.Image{src, grey} {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
		full, _ := jpeg.Decode(bytes.NewReader(b.Bytes()))
		small, err := DecodeScaled(b.Bytes(), 40, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if r := small.Bounds(); r.Dx() != 42 || r.Dy() != 26 {
			t.Fatalf("%T at 1/8: %v, want 42×26 (333×201 rounded up)", img, r)
		}
		fp, sp := planesOf(full)[0], planesOf(small)[0]
		for by := range 201 / 8 {
			for bx := range 333 / 8 {
				var sum float64
				for y := range 8 {
					for x := range 8 {
						sum += float64(fp.pix[(by*8+y)*fp.stride+bx*8+x])
					}
				}
				if d := math.Abs(sum/64 - float64(sp.pix[by*sp.stride+bx])); d > 1 {
					t.Fatalf("%T block (%d,%d): %d, its decoded mean %.2f", img, bx, by, sp.pix[by*sp.stride+bx], sum/64)
				}
			}
		}
	}
}

// TestDecodeScaledPicksTheSmallestScaleAtLeastTheWidth: the width asked
// for is reached with the fewest eighths, rounded up as libjpeg does.
func TestDecodeScaledPicksTheSmallestScaleAtLeastTheWidth(t *testing.T) {
	var b bytes.Buffer
	jpeg.Encode(&b, photoLike(1081, 611, 3), &jpeg.Options{Quality: 80})
	for _, c := range []struct{ width, w, h int }{
		{1000, 1081, 611}, {946, 946, 535}, {945, 946, 535}, {720, 811, 459}, {700, 811, 459}, {676, 676, 382}, {100, 136, 77}, {1, 136, 77}, {5000, 1081, 611},
	} {
		img, err := DecodeScaled(b.Bytes(), c.width, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if r := img.Bounds(); r.Dx() != c.w || r.Dy() != c.h {
			t.Errorf("1081×611 for width %d: %d×%d, want %d×%d", c.width, r.Dx(), r.Dy(), c.w, c.h)
		}
	}
}

// TestDecodeScaledRefusesWhatItCannotSay: RGB, CMYK and progressive
// JPEGs are unsupported, planes over the limit a *LimitError, a cut scan
// a *FormatError.
func TestDecodeScaledRefusesWhatItCannotSay(t *testing.T) {
	files := stdlibJPEGs(t)
	for _, name := range []string{"video-001.rgb.jpeg", "video-001.cmyk.jpeg", "video-001.progressive.jpeg"} {
		var u *UnsupportedError
		if _, err := DecodeScaled(files[name], 100, 1<<30); !errors.As(err, &u) {
			t.Errorf("%s: %v, want an UnsupportedError", name, err)
		}
	}
	data := files["video-001.q50.444.jpeg"] // 150×103: 19×13 blocks, three planes
	var l *LimitError
	if _, err := DecodeScaled(data, 150, 3*19*13*64-1); !errors.As(err, &l) || l.Bytes != 3*19*13*64 {
		t.Errorf("planes one byte over the limit: %v", err)
	}
	var f *FormatError
	if _, err := DecodeScaled(data[:len(data)/2], 150, 1<<30); !errors.As(err, &f) {
		t.Errorf("half a JPEG: %v, want a FormatError", err)
	}
}

// TestFromImageCodesLikeImageJPEGInFewerBytes: a photo coded by
// FromImage and Encode decodes to what image/jpeg's own encoding at the
// same quality decodes to, within a level on average, and takes no more
// bytes, whatever its sampling and size.
func TestFromImageCodesLikeImageJPEGInFewerBytes(t *testing.T) {
	for _, size := range [][2]int{{640, 360}, {333, 201}, {17, 9}} {
		src := photoLike(size[0], size[1], uint64(size[0]))
		var ref bytes.Buffer
		jpeg.Encode(&ref, src, &jpeg.Options{Quality: 70})
		refImg, _ := jpeg.Decode(bytes.NewReader(ref.Bytes()))
		ycc := refImg.(*image.YCbCr)
		for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio440} {
			in := resample(ycc, ratio)
			m, err := FromImage(in, 70)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := m.Encode(&b); err != nil {
				t.Fatal(err)
			}
			got, err := jpeg.Decode(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatalf("%v %v: %v", size, ratio, err)
			}
			var again bytes.Buffer
			jpeg.Encode(&again, in, &jpeg.Options{Quality: 70})
			want, _ := jpeg.Decode(bytes.NewReader(again.Bytes()))
			if mean, _ := planeDiff(planesOf(got)[0], planesOf(want)[0]); mean > 1 {
				t.Errorf("%v %v: luma %.2f levels from image/jpeg's coding", size, ratio, mean)
			}
			if ratio == image.YCbCrSubsampleRatio420 && b.Len() > again.Len() {
				t.Errorf("%v: %d bytes, image/jpeg's %d", size, b.Len(), again.Len())
			}
		}
	}
}

// resample is src with its chroma planes sampled at ratio (nearest).
func resample(src *image.YCbCr, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	dst := image.NewYCbCr(src.Rect, ratio)
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			dst.Y[dst.YOffset(x, y)] = src.Y[src.YOffset(x, y)]
			dst.Cb[dst.COffset(x, y)] = src.Cb[src.COffset(x, y)]
			dst.Cr[dst.COffset(x, y)] = src.Cr[src.COffset(x, y)]
		}
	}
	return dst
}

// testPlane is one plane of a decoded image.
type testPlane struct {
	pix          []byte
	w, h, stride int
}

// planesOf returns a grey or YCbCr image's planes.
func planesOf(img image.Image) []testPlane {
	r := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		return []testPlane{{m.Pix, r.Dx(), r.Dy(), m.Stride}}
	case *image.YCbCr:
		w, h := ChromaSize(m)
		return []testPlane{{m.Y, r.Dx(), r.Dy(), m.YStride}, {m.Cb, w, h, m.CStride}, {m.Cr, w, h, m.CStride}}
	}
	return nil
}

// planePairs pairs the planes of two images of one kind.
func planePairs(a, b image.Image) [][2]testPlane {
	pa, pb := planesOf(a), planesOf(b)
	var out [][2]testPlane
	for i := range min(len(pa), len(pb)) {
		out = append(out, [2]testPlane{pa[i], pb[i]})
	}
	return out
}

// planeDiff is the mean and largest absolute difference of two planes
// of one size.
func planeDiff(a, b testPlane) (float64, int) {
	var sum, worst int
	for y := range a.h {
		for x := range a.w {
			d := int(a.pix[y*a.stride+x]) - int(b.pix[y*b.stride+x])
			d = max(d, -d)
			sum += d
			worst = max(worst, d)
		}
	}
	return float64(sum) / float64(a.w*a.h), worst
}

// FuzzDecodeScaled: whatever DecodeScaled accepts has the size it
// promises, and FromImage and Encode turn it into a JPEG image/jpeg
// decodes at that size.
func FuzzDecodeScaled(f *testing.F) {
	seed := goJPEG(f, photoLike(40, 30, 7), 80)
	f.Add(seed, 20)
	f.Add(undefinedTable(f, seed), 5)
	f.Fuzz(func(t *testing.T, b []byte, width int) {
		img, err := DecodeScaled(b, width, 1<<22)
		if err != nil {
			return
		}
		h, _ := ReadHeader(b)
		n := scaleFor(h.Width, width)
		if r := img.Bounds(); r.Dx() != (h.Width*n+7)/8 || r.Dy() != (h.Height*n+7)/8 {
			t.Fatalf("%d×%d at %d/8: %v", h.Width, h.Height, n, r)
		}
		if ycc, ok := img.(*image.YCbCr); ok && ycc.SubsampleRatio != image.YCbCrSubsampleRatio420 && ycc.SubsampleRatio != image.YCbCrSubsampleRatio444 &&
			ycc.SubsampleRatio != image.YCbCrSubsampleRatio422 && ycc.SubsampleRatio != image.YCbCrSubsampleRatio440 {
			return // FromImage writes only these
		}
		m, err := FromImage(img, 75)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := m.Encode(&out); err != nil {
			t.Fatal(err)
		}
		dec, err := jpeg.Decode(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("image/jpeg does not decode the coded pixels: %v", err)
		}
		if dec.Bounds().Size() != img.Bounds().Size() {
			t.Fatalf("coded %v, decoded %v", img.Bounds(), dec.Bounds())
		}
	})
}
