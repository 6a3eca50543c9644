package main

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"

	"github.com/newsmirror/newsmirror/internal/assets"
)

// phoneWidth is the width, in device pixels, at which a phone shows a
// photo across its screen: 390 CSS pixels at a device pixel ratio of 2.
const phoneWidth = 780

// budget is one image budget of the before/after pair.
type budget struct {
	name              string
	maxWidth, quality int
}

// pairBudgets are the budgets the pair shows: the defaults, and the
// budget the year runs with to meet the size goals.
var pairBudgets = []budget{
	{"stored-1000px-q75", 1000, 75},
	{"stored-720px-q65", 720, 65},
}

// writePair writes a before/after pair into dir: a simulated news photo
// at least 1,000 px wide as the source serves it, and what the mirror
// stores of it under each budget, with a table of sizes and of how far
// each stored photo is from the original once both are shown at phone
// width (PSNR of luma, and the largest difference).
func writePair(dir string, seed uint64, w io.Writer) error {
	cache := newPhotoCache()
	var orig []byte
	for s := seed; ; s++ {
		p, err := cache.Photo(s)
		if err != nil {
			return err
		}
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(p)); err == nil && cfg.Width >= 1000 {
			orig = p
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "photo-original.jpg"), orig, 0o644); err != nil {
		return err
	}
	ref, refColour, err := atPhoneWidth(orig)
	if err != nil {
		return fmt.Errorf("original: %w", err)
	}
	crops := []*image.RGBA{refColour}
	cfg, _ := jpeg.DecodeConfig(bytes.NewReader(orig))
	fmt.Fprintf(w, "| file | size | bytes | PSNR at %d px (luma) | largest difference |\n|---|---|---:|---:|---:|\n", phoneWidth)
	fmt.Fprintf(w, "| photo-original.jpg | %d×%d | %d | — | — |\n", cfg.Width, cfg.Height, len(orig))
	for _, b := range pairBudgets {
		s := assets.Shrink{MaxWidth: b.maxWidth, Quality: b.quality, MaxPixels: 50_000_000}.Apply(orig)
		if s.Warning != "" {
			return fmt.Errorf("%s: %s", b.name, s.Warning)
		}
		name := "photo-" + b.name + ".jpg"
		if err := os.WriteFile(filepath.Join(dir, name), s.Data, 0o644); err != nil {
			return err
		}
		got, colour, err := atPhoneWidth(s.Data)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		crops = append(crops, colour)
		psnr, worst := compareLuma(ref, got)
		fmt.Fprintf(w, "| %s | %d×%d | %d | %.1f dB | %d |\n", name, s.NewWidth, s.NewHeight, len(s.Data), psnr, worst)
	}
	return writeSideBySide(filepath.Join(dir, "photo-pair-phone.png"), crops)
}

// writeSideBySide writes the same region of each picture (shown at
// phone width), side by side, as a PNG: what a reader's phone shows of
// the original and of each stored photo, pixel for pixel.
func writeSideBySide(path string, pics []*image.RGBA) error {
	const cw, ch, gap = 360, 300, 8
	out := image.NewRGBA(image.Rect(0, 0, len(pics)*(cw+gap)-gap, ch))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	for i, p := range pics {
		r := p.Bounds()
		at := image.Pt((r.Dx()-cw)/2, (r.Dy()-ch)/2)
		draw.Draw(out, image.Rect(i*(cw+gap), 0, i*(cw+gap)+cw, ch), p, at, draw.Src)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, out); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// atPhoneWidth decodes a JPEG and scales it to phoneWidth, as a phone's
// browser shows it; it returns that picture and its grey (luma), where
// the eye sees detail.
func atPhoneWidth(data []byte) (*image.Gray, *image.RGBA, error) {
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	r := m.Bounds()
	h := (r.Dy()*phoneWidth + r.Dx()/2) / r.Dx()
	rgba := image.NewRGBA(image.Rect(0, 0, phoneWidth, h))
	draw.CatmullRom.Scale(rgba, rgba.Bounds(), m, r, draw.Src, nil)
	g := image.NewGray(rgba.Bounds())
	draw.Draw(g, g.Bounds(), rgba, image.Point{}, draw.Src)
	return g, rgba, nil
}

// compareLuma returns the PSNR of b against a and the largest
// difference of one pixel; their sizes may differ by a row of rounding.
func compareLuma(a, b *image.Gray) (psnr float64, worst int) {
	w, h := min(a.Rect.Dx(), b.Rect.Dx()), min(a.Rect.Dy(), b.Rect.Dy())
	var sum float64
	for y := range h {
		for x := range w {
			d := int(a.Pix[y*a.Stride+x]) - int(b.Pix[y*b.Stride+x])
			sum += float64(d * d)
			worst = max(worst, d, -d)
		}
	}
	mse := sum / float64(w*h)
	if mse == 0 {
		return math.Inf(1), 0
	}
	return 10 * math.Log10(255*255/mse), worst
}
