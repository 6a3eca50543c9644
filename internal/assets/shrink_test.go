package assets_test

import (
	"bytes"
	"context"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/jpegcoef"
	"github.com/newsmirror/newsmirror/internal/publish"
	"golang.org/x/image/draw"
)

// photo draws a w×h picture that compresses like a photograph: a smooth
// sky-to-ground gradient with soft blobs, sharp-edged shapes (buildings,
// a horizon) and sensor noise; neither flat colour nor pure noise.
func photo(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	type blob struct{ x, y, r, dr, dg, db float64 }
	blobs := make([]blob, 6)
	for i := range blobs {
		blobs[i] = blob{rng.Float64() * float64(w), rng.Float64() * float64(h), (0.1 + 0.3*rng.Float64()) * float64(w),
			rng.Float64()*80 - 40, rng.Float64()*80 - 40, rng.Float64()*80 - 40}
	}
	type box struct {
		x0, y0, x1, y1 int
		c              [3]float64
	}
	boxes := make([]box, 12)
	horizon := h * (45 + rng.IntN(20)) / 100
	for i := range boxes {
		x0, bw := rng.IntN(w), w/20+rng.IntN(w/8)
		boxes[i] = box{x0, horizon - rng.IntN(h/3), x0 + bw, horizon + 1, [3]float64{rng.Float64() * 200, rng.Float64() * 200, rng.Float64() * 200}}
	}
	for y := range h {
		for x := range w {
			t := float64(y) / float64(h)
			r, g, b := 90+100*t, 140+60*t, 230-120*t // sky
			if y > horizon {
				r, g, b = 70+60*t, 110-30*t, 50+20*t // ground
			}
			for _, bl := range blobs {
				d := math.Hypot(float64(x)-bl.x, float64(y)-bl.y) / bl.r
				f := math.Exp(-d * d)
				r, g, b = r+bl.dr*f, g+bl.dg*f, b+bl.db*f
			}
			for _, bx := range boxes {
				if x >= bx.x0 && x < bx.x1 && y >= bx.y0 && y < bx.y1 {
					shade := 0.8 + 0.2*math.Sin(float64(x)/7) // windows, texture
					r, g, b = bx.c[0]*shade, bx.c[1]*shade, bx.c[2]*shade
				}
			}
			n := rng.NormFloat64() * 6
			img.SetRGBA(x, y, color.RGBA{clamp(r + n), clamp(g + n), clamp(b + n), 255})
		}
	}
	return img
}

func clamp(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

func jpegOf(t testing.TB, img image.Image, quality int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func defaultShrink() assets.Shrink { return assets.DefaultOptions().Shrink() }

func TestShrinkScalesWidePhotosToTheMaximumWidth(t *testing.T) {
	for _, size := range [][2]int{{1400, 933}, {1200, 800}, {1001, 700}} {
		orig := jpegOf(t, photo(size[0], size[1], uint64(size[0])), 90)
		got := defaultShrink().Apply(orig)
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(got.Data))
		if err != nil {
			t.Fatal(err)
		}
		wantH := (size[1]*1000 + size[0]/2) / size[0]
		if cfg.Width != 1000 || cfg.Height != wantH || got.NewWidth != 1000 || got.NewHeight != wantH || !got.Scaled() {
			t.Errorf("%v: stored %d×%d (reported %d×%d), want 1000×%d", size, cfg.Width, cfg.Height, got.NewWidth, got.NewHeight, wantH)
		}
		if len(got.Data) >= len(orig)*3/4 {
			t.Errorf("%v: %d bytes from %d, want at least a quarter saved", size, len(got.Data), len(orig))
		}
	}
}

func TestShrinkReencodesANarrowPhotoOnlyWhenThatSavesBytes(t *testing.T) {
	img := photo(700, 467, 7)
	heavy := jpegOf(t, img, 97)
	if got := defaultShrink().Apply(heavy); len(got.Data) >= len(heavy) || got.Scaled() {
		t.Errorf("a quality-97 JPEG: %d bytes from %d, scaled %v; want re-encoded smaller at the same size", len(got.Data), len(heavy), got.Scaled())
	}
	light := jpegOf(t, img, 40)
	if got := defaultShrink().Apply(light); !bytes.Equal(got.Data, light) {
		t.Errorf("a quality-40 JPEG that re-encoding would grow was changed (%d bytes from %d)", len(got.Data), len(light))
	}
}

func TestShrinkRecompressesPNGsLosslessly(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 640, 400)) // a screenshot: text-like strokes on flat colour
	for y := range 400 {
		for x := range 640 {
			c := color.NRGBA{245, 245, 240, 255}
			if (x/3+y/11)%7 == 0 && y%11 < 8 {
				c = color.NRGBA{30, 30, uint8(x), 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	got := defaultShrink().Apply(b.Bytes())
	if len(got.Data) >= b.Len() {
		t.Fatalf("%d bytes from %d, want the PNG re-compressed smaller", len(got.Data), b.Len())
	}
	back, err := png.Decode(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	for y := range 400 {
		for x := range 640 {
			if r1, g1, b1, a1 := back.At(x, y).RGBA(); [4]uint32{r1, g1, b1, a1} != rgba(img.At(x, y)) {
				t.Fatalf("pixel (%d,%d) changed: the PNG is not lossless", x, y)
			}
		}
	}
}

func rgba(c color.Color) [4]uint32 {
	r, g, b, a := c.RGBA()
	return [4]uint32{r, g, b, a}
}

func TestShrinkKeepsGIFsAsTheyAre(t *testing.T) {
	anim := &gif.GIF{}
	for i := range 3 {
		f := image.NewPaletted(image.Rect(0, 0, 1600, 200), palette.Plan9)
		for x := range 1600 {
			f.SetColorIndex(x, 100, uint8(x+i))
		}
		anim.Image, anim.Delay = append(anim.Image, f), append(anim.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, anim); err != nil {
		t.Fatal(err)
	}
	if got := defaultShrink().Apply(b.Bytes()); !bytes.Equal(got.Data, b.Bytes()) {
		t.Errorf("an animated GIF 1600 px wide was changed")
	}
}

func TestShrinkRefusesToDecodeHugeImages(t *testing.T) {
	bomb := pngHeader(100_000, 100_000) // ten gigapixels claimed in 33 bytes
	got := defaultShrink().Apply(bomb)
	if !bytes.Equal(got.Data, bomb) || !strings.Contains(got.Warning, "too large to decode") {
		t.Errorf("a 100000×100000 PNG header: warning %q; want it kept as is with a warning", got.Warning)
	}
	s := defaultShrink()
	s.MaxPixels = 100_000
	orig := jpegOf(t, photo(1200, 800, 3), 90)
	if got := s.Apply(orig); !bytes.Equal(got.Data, orig) || got.Warning == "" {
		t.Errorf("a 1200×800 photo over max_pixels 100000 was converted or not warned of")
	}
}

// pngHeader is the signature and IHDR chunk of a w×h RGBA PNG, no pixels.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte{'I', 'H', 'D', 'R', byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h), 8, 6, 0, 0, 0}
	sum := crc32.ChecksumIEEE(ihdr)
	out := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...)
	return append(out, byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum))
}

func TestShrinkKeepsAJPEGItsEXIFRotates(t *testing.T) {
	orig := jpegOf(t, photo(1400, 933, 5), 90)
	// APP1 Exif, big-endian TIFF, IFD0 with one entry: Orientation = 6.
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00")
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xFF, 0xE1, byte((len(app1) + 2) >> 8), byte(len(app1) + 2)}, app1...)
	rotated := append(append(append([]byte{}, orig[:2]...), seg...), orig[2:]...)
	got := defaultShrink().Apply(rotated)
	if !bytes.Equal(got.Data, rotated) {
		t.Errorf("a JPEG with EXIF orientation 6 was re-encoded: it would lose its rotation")
	}
	if !strings.Contains(got.Warning, "orientation 6") {
		t.Errorf("a 1400 px JPEG with EXIF orientation 6 kept unscaled: warning %q, want one naming the orientation", got.Warning)
	}
	narrow := jpegOf(t, photo(600, 400, 5), 70)
	narrow = append(append(append([]byte{}, narrow[:2]...), seg...), narrow[2:]...)
	if got := defaultShrink().Apply(narrow); !bytes.Equal(got.Data, narrow) || got.Warning != "" {
		t.Errorf("a rotated JPEG needing no conversion: warning %q, changed %v; want kept silently", got.Warning, !bytes.Equal(got.Data, narrow))
	}
}

// TestShrinkWarnsOfACMYKJPEGItCannotScale: a CMYK JPEG wider than the
// maximum is kept as it is (re-encoding would shift its colours), and
// says so.
func TestShrinkWarnsOfACMYKJPEGItCannotScale(t *testing.T) {
	cmyk, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "image", "testdata", "video-001.cmyk.jpeg"))
	if err != nil {
		t.Fatalf("the Go distribution's CMYK JPEG: %v", err)
	}
	s := defaultShrink()
	s.MaxWidth = 100
	got := s.Apply(cmyk)
	if !bytes.Equal(got.Data, cmyk) || !strings.Contains(got.Warning, "CMYK") {
		t.Errorf("a 150 px CMYK JPEG, max width 100: warning %q, changed %v; want kept with a warning", got.Warning, !bytes.Equal(got.Data, cmyk))
	}
}

// TestShrinkNeverKeepsABrokenJPEGSilently cuts JPEGs of every layout
// (baseline, progressive, greyscale, restart intervals, subsamplings)
// short, by their end-of-image marker alone up to half their bytes: each
// is either stored converted (and decodes) or kept as it is with a
// warning that it does not decode, never kept silently.
func TestShrinkNeverKeepsABrokenJPEGSilently(t *testing.T) {
	files := map[string][]byte{
		"q60":  jpegOf(t, photo(900, 600, 21), 60),
		"q75":  jpegOf(t, photo(640, 480, 22), 75),
		"q90":  jpegOf(t, photo(700, 400, 23), 90),
		"wide": jpegOf(t, photo(1300, 700, 24), 70),
	}
	dir := filepath.Join(runtime.GOROOT(), "src", "image", "testdata")
	for _, n := range []string{"video-001.jpeg", "video-001.progressive.jpeg", "video-001.restart2.jpeg", "video-001.q50.444.jpeg", "video-005.gray.q50.jpeg", "video-001.q50.410.progressive.jpeg"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatalf("the Go distribution's %s: %v", n, err)
		}
		files[n] = b
	}
	for name, data := range files {
		if got := defaultShrink().Apply(data); got.Warning != "" {
			t.Errorf("%s whole: warning %q", name, got.Warning)
		}
		for _, cut := range []int{2, 3, 100, len(data) / 3, len(data) / 2} {
			b := data[:len(data)-cut]
			got := defaultShrink().Apply(b)
			switch {
			case bytes.Equal(got.Data, b) && !strings.Contains(got.Warning, "does not decode"):
				t.Errorf("%s cut by %d bytes: kept as is, warning %q", name, cut, got.Warning)
			case !bytes.Equal(got.Data, b):
				if _, err := jpeg.Decode(bytes.NewReader(got.Data)); err != nil {
					t.Errorf("%s cut by %d bytes: stored bytes do not decode: %v", name, cut, err)
				}
			}
		}
	}
}

// TestShrinkKeepsAJPEGWithAnUndefinedTable: a JPEG whose chroma points
// at a quantisation table it never defines (image/jpeg decodes it with
// zero steps, libjpeg refuses it) is kept as it is with a warning,
// whether it needed requantising or scaling: never replaced by a wrong
// image.
func TestShrinkKeepsAJPEGWithAnUndefinedTable(t *testing.T) {
	for _, w := range []int{800, 1300} {
		data := jpegOf(t, photo(w, 500, uint64(w)), 90)
		sof := bytes.Index(data, []byte{0xFF, 0xC0})
		data[sof+10+3+2] = 3 // Cb's table
		got := defaultShrink().Apply(data)
		if !bytes.Equal(got.Data, data) || !strings.Contains(got.Warning, "never defined") {
			t.Errorf("%d px wide: warning %q, changed %v; want kept with a warning", w, got.Warning, !bytes.Equal(got.Data, data))
		}
	}
}

// TestShrinkBoundsTheMemoryOfATallJPEG: a tall 4:4:4 JPEG within
// MaxPixels whose coefficients would take twice what its pixels take is
// decoded to pixels instead, and Apply allocates no more than decoding
// MaxPixels to pixels would (three bytes a pixel) and a few copies of
// the file.
func TestShrinkBoundsTheMemoryOfATallJPEG(t *testing.T) {
	data := tall444(t, 96, 6000)
	s := defaultShrink()
	s.MaxPixels = 96 * 6000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := s.Apply(data)
	runtime.ReadMemStats(&after)
	if got.Warning != "" || len(got.Data) >= len(data) {
		t.Errorf("warning %q, %d bytes from %d; want it re-encoded smaller", got.Warning, len(got.Data), len(data))
	}
	limit := uint64(3*s.MaxPixels + 2*len(data) + 256<<10)
	if n := after.TotalAlloc - before.TotalAlloc; n > limit {
		t.Errorf("Apply allocated %d bytes, over %d (coefficients would take %d)", n, limit, 6*s.MaxPixels)
	}
}

func TestLocalizeNamesAnImageByTheBytesStored(t *testing.T) {
	orig := jpegOf(t, photo(1300, 866, 11), 90)
	client, _ := serve(t, config.Default().Fetch, func(w http.ResponseWriter, _ *http.Request) { w.Write(orig) })
	dir := t.TempDir()
	l := assets.New(client, publish.Tree{Dir: dir}, assets.Options{Localize: true})
	res, err := l.Localize(context.Background(), `<img src="http://img.test/p.jpg" width="1300" height="866">`)
	if err != nil || len(res.Assets) != 1 {
		t.Fatalf("assets %v, failed %v, err %v", res.Assets, res.Failed, err)
	}
	stored, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(res.Assets[0])))
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := assets.Path(stored); want != res.Assets[0] || bytes.Equal(stored, orig) {
		t.Errorf("stored as %s, the converted bytes name %s; want the name of the bytes stored, not the original's", res.Assets[0], want)
	}
	if s := res.Sizes["http://img.test/p.jpg"]; s != (assets.Size{Width: 1300, Height: 866, NewWidth: 1000, NewHeight: 666}) {
		t.Errorf("size = %+v, want 1300×866 stored as 1000×666", s)
	}
}

// TestShrinkKeepsAJPEGWithinTheBudgetByteForByte: a narrow JPEG whose
// tables say quality 75 or less is stored as served, even when
// requantising or re-encoding could shave a few bytes.
func TestShrinkKeepsAJPEGWithinTheBudgetByteForByte(t *testing.T) {
	for _, q := range []int{50, 70, 75} {
		orig := jpegOf(t, photo(900, 600, uint64(q)), q)
		got := defaultShrink().Apply(orig)
		if !bytes.Equal(got.Data, orig) || got.Scaled() || got.Warning != "" {
			t.Errorf("quality %d: %d bytes from %d, scaled %v, warning %q; want kept as is", q, len(got.Data), len(orig), got.Scaled(), got.Warning)
		}
	}
}

// TestShrinkRequantisesANarrowJPEGAboveTheQuality: a quality-90 JPEG
// within the width comes back smaller at quality 75, same size, close to
// the original to a real decoder as a decode and re-encode at 75 is; one within quality but carrying a
// large EXIF block loses the block and nothing else.
func TestShrinkRequantisesANarrowJPEGAboveTheQuality(t *testing.T) {
	img := photo(800, 533, 11)
	orig := jpegOf(t, img, 90)
	got := defaultShrink().Apply(orig)
	if len(got.Data) >= len(orig)*3/4 || got.Scaled() || got.NewWidth != 800 || got.NewHeight != 533 {
		t.Errorf("%d bytes from %d, %d×%d; want a quarter saved at 800×533", len(got.Data), len(orig), got.NewWidth, got.NewHeight)
	}
	dec, err := jpeg.Decode(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatalf("requantised JPEG does not decode: %v", err)
	}
	pixels, _ := jpeg.Decode(bytes.NewReader(orig))
	again, _ := jpeg.Decode(bytes.NewReader(jpegOf(t, pixels, 75)))
	if d, ref := meanDiff(img, dec), meanDiff(img, again); d > ref*1.05 {
		t.Errorf("mean difference %.2f levels from the source, %.2f decoded and re-encoded", d, ref)
	}
	if q := quantStep(t, got.Data); q != 8 {
		t.Errorf("first luma step %d, want 8 (quality 75)", q)
	}

	light := jpegOf(t, img, 70)
	exif := append([]byte{0xFF, 0xE1, 0x50, 0x08}, "Exif\x00\x00"...) // 20 KiB
	exif = append(exif, make([]byte, 0x5008-8)...)
	fat := append(append([]byte{0xFF, 0xD8}, exif...), light[2:]...)
	got = defaultShrink().Apply(fat)
	if len(got.Data) >= len(light) {
		t.Errorf("a quality-70 JPEG with 20 KiB of EXIF: %d bytes, the JPEG alone is %d", len(got.Data), len(light))
	}
	a, _ := jpeg.Decode(bytes.NewReader(light))
	b, err := jpeg.Decode(bytes.NewReader(got.Data))
	if err != nil || meanDiff(a, b) != 0 {
		t.Errorf("stripping the metadata changed the pixels (%v)", err)
	}
}

// quantStep is the first step of a JPEG's first quantisation table.
func quantStep(t *testing.T, data []byte) int {
	i := bytes.Index(data, []byte{0xFF, 0xDB})
	if i < 0 || i+5 >= len(data) {
		t.Fatal("no quantisation table")
	}
	return int(data[i+5])
}

func meanDiff(a, b image.Image) float64 {
	var sum float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1 := color.GrayModel.Convert(a.At(x, y)).(color.Gray)
			c2 := color.GrayModel.Convert(b.At(x, y)).(color.Gray)
			sum += math.Abs(float64(c1.Y) - float64(c2.Y))
		}
	}
	return sum / float64(r.Dx()*r.Dy())
}

// BenchmarkShrinkJPEG stores quality-90 photos at quality 75: an 800×533
// one (requantised by Apply, against image/jpeg's decode and encode) and
// a 1080×608 one (scaled to 1000 px); a 1080×608 quality-80 one, as the
// year benchmark's photos are, scaled to 1000 px at quality 75 and to
// 720 px at quality 65 (the year's budget); and an 800×533 quality-70
// one, kept as it is once its scan is checked whole. It reports the
// process's CPU time per operation beside the wall time, which a loaded
// machine inflates, and the bytes stored per image.
func BenchmarkShrinkJPEG(b *testing.B) {
	narrow := jpegOf(b, photo(800, 533, 12), 90)
	wide := jpegOf(b, photo(1080, 608, 13), 90)
	news := jpegOf(b, photo(1080, 608, 15), 80)
	light := jpegOf(b, photo(800, 533, 14), 70)
	year := defaultShrink()
	year.MaxWidth, year.Quality = 720, 65
	var stored int
	cases := []struct {
		name string
		f    func()
	}{
		{"wide", func() { stored = len(defaultShrink().Apply(wide).Data) }},
		{"wide-1080to1000", func() { stored = len(defaultShrink().Apply(news).Data) }},
		{"wide-1080to720", func() { stored = len(year.Apply(news).Data) }},
		{"requantise", func() { defaultShrink().Apply(narrow) }},
		{"keep", func() { defaultShrink().Apply(light) }},
		{"decode-encode", func() {
			img, _ := jpeg.Decode(bytes.NewReader(narrow))
			jpeg.Encode(io.Discard, img, &jpeg.Options{Quality: 75})
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			stored = 0
			cpu0 := cpuTime()
			for b.Loop() {
				c.f()
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			if stored > 0 {
				b.ReportMetric(float64(stored), "stored-B")
			}
		})
	}
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// TestShrinkScalesJPEGsPlaneByPlaneAsDrawWould: a wide JPEG scaled in its
// own colour space comes out as x/image/draw's bilinear scaling would
// make it, up to what quality 75 loses anyway.
func TestShrinkScalesJPEGsPlaneByPlaneAsDrawWould(t *testing.T) {
	for _, w := range []int{1080, 2600} {
		orig := jpegOf(t, photo(w, w*9/16, uint64(w)), 90)
		src, _ := jpeg.Decode(bytes.NewReader(orig))
		got := defaultShrink().Apply(orig)
		dec, err := jpeg.Decode(bytes.NewReader(got.Data))
		if err != nil {
			t.Fatal(err)
		}
		want := image.NewRGBA(dec.Bounds())
		draw.BiLinear.Scale(want, want.Bounds(), src, src.Bounds(), draw.Src, nil)
		again, _ := jpeg.Decode(bytes.NewReader(jpegOf(t, want, 75)))
		if d, ref := meanDiff(want, dec), meanDiff(want, again); d > ref+1 {
			t.Errorf("width %d: %.2f levels from draw's scaling, %.2f for draw's own re-encoded", w, d, ref)
		}
	}
}

// tall444 is a w×h photo as a quality-95 JPEG sampled 4:4:4, written by
// jpegcoef (image/jpeg writes 4:2:0 only): its own 4:2:0 encoding's
// coefficients with the chroma planes upsampled block for block.
func tall444(t *testing.T, w, h int) []byte {
	t.Helper()
	m, err := jpegcoef.Decode(jpegOf(t, photo(w, h, 31), 95))
	if err != nil {
		t.Fatal(err)
	}
	y := m.Components[0]
	for i := 1; i < 3; i++ {
		c := &m.Components[i]
		up := make([]int16, len(y.Coef))
		for by := range y.BlocksH {
			for bx := range y.BlocksW {
				copy(up[(by*y.BlocksW+bx)*64:][:64], c.Block(bx/2, by/2))
			}
		}
		c.H, c.V, c.BlocksW, c.BlocksH, c.Coef = 1, 1, y.BlocksW, y.BlocksH, up
	}
	m.Components[0].H, m.Components[0].V = 1, 1
	var b bytes.Buffer
	if err := m.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
