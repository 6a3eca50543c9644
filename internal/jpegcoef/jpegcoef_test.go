package jpegcoef

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// stdlibJPEGs are the JPEGs of the Go distribution's image tests: every
// chroma subsampling, restart intervals, greyscale, RGB, CMYK and
// progressive files, written by libjpeg. They ship with every Go
// installation that can run this test.
func stdlibJPEGs(t *testing.T) map[string][]byte {
	t.Helper()
	dir := filepath.Join(runtime.GOROOT(), "src", "image", "testdata")
	names, err := filepath.Glob(filepath.Join(dir, "*.jpeg"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no JPEGs in %s (a Go installation without its sources?): %v", dir, err)
	}
	files := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(n)] = b
	}
	return files
}

// TestRewrittenJPEGDecodesToTheSamePixels decodes coefficients and
// writes them back with tables of their own: image/jpeg must decode the
// rewritten file to exactly the pixels of the original, for every layout
// the package reads; the others must be reported as unsupported.
func TestRewrittenJPEGDecodesToTheSamePixels(t *testing.T) {
	files := stdlibJPEGs(t)
	files["go-420-q90.jpeg"] = goJPEG(t, photoLike(333, 211, 1), 90)
	files["go-gray-q60.jpeg"] = goJPEG(t, gray(photoLike(170, 97, 2)), 60)
	supported := 0
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			m, err := Decode(data)
			var u *UnsupportedError
			if errors.As(err, &u) {
				if !strings.Contains(name, "progressive") && !strings.Contains(name, "cmyk") && !strings.Contains(name, "separate") {
					t.Errorf("%s: %v", name, err)
				}
				return
			}
			if strings.Contains(name, "truncated") {
				if err == nil {
					t.Errorf("truncated file decoded without error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := m.Encode(&out); err != nil {
				t.Fatal(err)
			}
			assertSamePixels(t, data, out.Bytes())
			supported++
		})
	}
	if supported < 12 {
		t.Errorf("only %d files rewritten", supported)
	}
}

func assertSamePixels(t *testing.T, a, b []byte) {
	t.Helper()
	ia, err := jpeg.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("rewritten JPEG does not decode: %v", err)
	}
	if ia.Bounds() != ib.Bounds() {
		t.Fatalf("bounds %v, rewritten %v", ia.Bounds(), ib.Bounds())
	}
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ia.At(x, y) != ib.At(x, y) {
				t.Fatalf("pixel (%d,%d): %v, rewritten %v", x, y, ia.At(x, y), ib.At(x, y))
			}
		}
	}
}

// TestOwnTablesAreNoLargerThanStandardOnes: tables made for the image
// never lose to the standard tables image/jpeg writes.
func TestOwnTablesAreNoLargerThanStandardOnes(t *testing.T) {
	data := goJPEG(t, photoLike(640, 427, 3), 80)
	m, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := m.Encode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Len() > len(data) {
		t.Errorf("rewritten %d bytes, image/jpeg wrote %d", out.Len(), len(data))
	}
}

// TestQualityIsReadFromTheTables: a table scaled by libjpeg's rule gives
// its quality back; image/jpeg uses the same rule.
func TestQualityIsReadFromTheTables(t *testing.T) {
	for _, q := range []int{30, 50, 75, 80, 92} {
		if got := Quality(StandardTable(q, false)); got != q {
			t.Errorf("table of quality %d read as %d", q, got)
		}
		h, err := ReadHeader(goJPEG(t, photoLike(64, 48, 4), q))
		if err != nil {
			t.Fatal(err)
		}
		if got := Quality(h.LumaTable); got != q {
			t.Errorf("image/jpeg at quality %d read as %d", q, got)
		}
		if !h.Supported || h.Width != 64 || h.Height != 48 || h.Components != 3 {
			t.Errorf("header %+v", h)
		}
	}
	h, err := ReadHeader(stdlibJPEGs(t)["video-001.progressive.jpeg"])
	if err != nil || !h.Progressive || h.Supported {
		t.Errorf("progressive header: %+v, %v", h, err)
	}
}

// TestRequantizedJPEGIsSmallerAndClose lowers a quality-92 image to 75:
// smaller, decodable, its tables no finer than either, and its pixels
// close to the original.
func TestRequantizedJPEGIsSmallerAndClose(t *testing.T) {
	src := photoLike(480, 320, 5)
	data := goJPEG(t, src, 92)
	m, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	m.Requantize(75)
	var out bytes.Buffer
	if err := m.Encode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Len() >= len(data)*8/10 {
		t.Errorf("requantised to %d bytes from %d", out.Len(), len(data))
	}
	h, err := ReadHeader(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if q := Quality(h.LumaTable); q != 75 {
		t.Errorf("requantised quality %d, want 75", q)
	}
	img, err := jpeg.Decode(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if d := meanAbsDiff(src, img); d > 6 {
		t.Errorf("mean difference %.2f levels from the source", d)
	}
}

// TestBrokenJPEGsAreErrorsNotPanics cuts and corrupts a JPEG at many
// places: each is decoded or refused, never a panic or a hang.
func TestBrokenJPEGsAreErrorsNotPanics(t *testing.T) {
	data := goJPEG(t, photoLike(100, 60, 6), 80)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		b := bytes.Clone(data)
		if i%2 == 0 {
			b = b[:rng.IntN(len(b))]
		} else {
			for range 1 + rng.IntN(4) {
				b[rng.IntN(len(b))] = byte(rng.IntN(256))
			}
		}
		if m, err := Decode(b); err == nil {
			m.Encode(&bytes.Buffer{})
		}
		ReadHeader(b)
	}
}

// FuzzDecode: whatever Decode accepts, Encode writes a JPEG that Decode
// reads again and image/jpeg decodes, at the same size, unless image/jpeg
// does not support the original either; Check accepts what Decode
// accepts whole.
func FuzzDecode(f *testing.F) {
	seed := goJPEG(f, photoLike(40, 30, 7), 80)
	f.Add(seed)
	f.Add(undefinedTable(f, seed))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := m.Encode(&out); err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(out.Bytes()); err != nil {
			t.Fatalf("rewritten JPEG unreadable: %v", err)
		}
		if err := Check(out.Bytes()); err != nil {
			t.Fatalf("rewritten JPEG fails the check: %v", err)
		}
		img, err := jpeg.Decode(bytes.NewReader(out.Bytes()))
		if err != nil {
			if _, orig := jpeg.Decode(bytes.NewReader(b)); errors.As(err, new(jpeg.UnsupportedError)) && errors.As(orig, new(jpeg.UnsupportedError)) {
				return
			}
			t.Fatalf("image/jpeg does not decode the rewritten JPEG: %v", err)
		}
		if img.Bounds().Dx() != m.Width || img.Bounds().Dy() != m.Height {
			t.Fatalf("image/jpeg reads %v, Decode read %d×%d", img.Bounds(), m.Width, m.Height)
		}
	})
}

// undefinedTable points data's second component at quantisation table 3,
// which it never defines.
func undefinedTable(t testing.TB, data []byte) []byte {
	t.Helper()
	sof := bytes.Index(data, []byte{0xFF, 0xC0})
	if sof < 0 || data[sof+9] < 2 {
		t.Fatal("no three-component baseline frame")
	}
	b := bytes.Clone(data)
	b[sof+10+3+2] = 3
	return b
}

// TestUndefinedQuantisationTableIsAFormatError: a component whose table
// is never defined (libjpeg refuses it; requantising it would blank the
// plane) is refused by ReadHeader, Decode and Check alike.
func TestUndefinedQuantisationTableIsAFormatError(t *testing.T) {
	orig := goJPEG(t, photoLike(64, 48, 8), 90)
	data := undefinedTable(t, orig)
	var f *FormatError
	if _, err := ReadHeader(data); !errors.As(err, &f) || !strings.Contains(err.Error(), "never defined") {
		t.Errorf("ReadHeader: %v, want a FormatError naming the undefined table", err)
	}
	if _, err := Decode(data); !errors.As(err, &f) {
		t.Errorf("Decode: %v, want a FormatError", err)
	}
	if err := Check(data); !errors.As(err, &f) {
		t.Errorf("Check: %v, want a FormatError", err)
	}
	// A table defined after the frame header but before the scan is fine.
	dqt := bytes.Index(orig, []byte{0xFF, 0xDB})
	sof := bytes.Index(orig, []byte{0xFF, 0xC0})
	sofEnd := sof + 2 + (int(orig[sof+2])<<8 | int(orig[sof+3]))
	moved := slices.Concat(orig[:dqt], orig[sof:sofEnd], orig[dqt:sof], orig[sofEnd:])
	if _, err := Decode(moved); err != nil {
		t.Errorf("tables after the frame header: %v", err)
	}
}

// TestDecodeLimitRefusesCoefficientsOverTheBudget: a tall 4:4:4 image
// takes six bytes a pixel as coefficients; DecodeLimit refuses it before
// allocating them when that is over its limit, and reads it within.
func TestDecodeLimitRefusesCoefficientsOverTheBudget(t *testing.T) {
	data := encoded(t, flat444(64, 4096))
	var l *LimitError
	if _, err := DecodeLimit(data, 3*64*4096); !errors.As(err, &l) || l.Bytes != 6*64*4096 {
		t.Errorf("DecodeLimit(3 bytes a pixel): %v, want a LimitError of %d bytes", err, 6*64*4096)
	}
	if _, err := DecodeLimit(data, 6*64*4096); err != nil {
		t.Errorf("DecodeLimit(6 bytes a pixel): %v", err)
	}
}

// TestCheckWantsTheWholeJPEG: Check accepts every whole file Decode reads
// or refuses as unsupported, and refuses each of them cut short, even by
// its end-of-image marker alone.
func TestCheckWantsTheWholeJPEG(t *testing.T) {
	files := stdlibJPEGs(t)
	// A progressive file cut short with its end-of-image marker put back
	// passes: Check does not decode progressive scans (image/jpeg and
	// libjpeg show what it has).
	delete(files, "video-001.progressive.truncated.jpeg")
	files["go-gray.jpeg"] = goJPEG(t, gray(photoLike(170, 97, 2)), 60)
	for name, data := range files {
		if err := Check(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for _, cut := range []int{2, 3, 100, len(data) / 2} {
			var f *FormatError
			if err := Check(data[:len(data)-cut]); !errors.As(err, &f) {
				t.Errorf("%s cut by %d bytes: %v, want a FormatError", name, cut, err)
			}
		}
	}
}

// TestBytesBeforeAMarkerAreSkipped: stray bytes between segments, which
// libjpeg and image/jpeg skip, do not make a JPEG unreadable.
func TestBytesBeforeAMarkerAreSkipped(t *testing.T) {
	orig := goJPEG(t, photoLike(64, 48, 9), 90)
	dqt := bytes.Index(orig, []byte{0xFF, 0xDB})
	data := slices.Concat(orig[:dqt], []byte{0, 0x20, 0x0A}, orig[dqt:])
	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("image/jpeg: %v", err)
	}
	if _, err := Decode(data); err != nil {
		t.Errorf("Decode: %v", err)
	}
}

// flat444 is a w×h three-component image sampled 4:4:4, at quality 90,
// its blocks a gradient of DC values.
func flat444(w, h int) *Image {
	m := &Image{Width: w, Height: h}
	m.Quant[0], m.Quant[1] = StandardTable(90, false), StandardTable(90, true)
	for i := range 3 {
		c := Component{ID: byte(i + 1), H: 1, V: 1, Table: min(i, 1), BlocksW: (w + 7) / 8, BlocksH: (h + 7) / 8}
		c.Coef = make([]int16, c.BlocksW*c.BlocksH*64)
		for b := range c.BlocksW * c.BlocksH {
			c.Coef[b*64] = int16(b%64 - 32)
			c.Coef[b*64+1] = int16(b % 7)
		}
		m.Components = append(m.Components, c)
	}
	return m
}

func encoded(t testing.TB, m *Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func goJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// photoLike paints gradients, edges and noise.
func photoLike(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 9))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := rng.IntN(w), rng.IntN(h)
	for y := range h {
		for x := range w {
			v := uint8(x * 255 / w)
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) < w*h/9 {
				v = 255 - v
			}
			n := uint8(rng.IntN(24))
			img.Set(x, y, color.RGBA{v + n, uint8(y*255/h) + n, uint8((x+y)%256) / 2, 255})
		}
	}
	return img
}

func gray(src image.Image) *image.Gray {
	g := image.NewGray(src.Bounds())
	for y := src.Bounds().Min.Y; y < src.Bounds().Max.Y; y++ {
		for x := src.Bounds().Min.X; x < src.Bounds().Max.X; x++ {
			g.Set(x, y, src.At(x, y))
		}
	}
	return g
}

func meanAbsDiff(a, b image.Image) float64 {
	var sum float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1 := color.GrayModel.Convert(a.At(x, y)).(color.Gray)
			c2 := color.GrayModel.Convert(b.At(x, y)).(color.Gray)
			d := int(c1.Y) - int(c2.Y)
			if d < 0 {
				d = -d
			}
			sum += float64(d)
		}
	}
	return sum / float64(r.Dx()*r.Dy())
}
