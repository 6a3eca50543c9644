package jpegcoef

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"testing"
)

// TestCompleteTablesWriteOtherImages makes tables from one image and
// writes others with them, among them a busier photo than the one the
// tables were made from: every image decodes to the pixels Encode's own
// tables give, and costs at most a few percent more.
func TestCompleteTablesWriteOtherImages(t *testing.T) {
	made, err := Decode(goJPEG(t, photoLike(320, 240, 4), 80))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := made.CompleteTables()
	if err != nil {
		t.Fatal(err)
	}
	flat, err := Decode(goJPEG(t, gray(flatGrey(96, 64)), 80))
	if err != nil {
		t.Fatal(err)
	}
	flatTables, err := flat.CompleteTables()
	if err != nil {
		t.Fatal(err)
	}
	busy, err := Decode(goJPEG(t, photoLike(333, 211, 5), 95))
	if err != nil {
		t.Fatal(err)
	}
	noisy, _ := Decode(goJPEG(t, photoLike(320, 240, 4), 80))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range noisy.Components[0].Coef {
		noisy.Components[0].Coef[i] += int16(rng.IntN(3)) - 1
	}
	greyBusy, _ := Decode(goJPEG(t, gray(photoLike(200, 150, 6)), 90))
	for _, tc := range []struct {
		name   string
		m      *Image
		t      *Tables
		within float64 // of Encode's size
	}{
		{"same image", made, tables, 1.02},
		{"noised everywhere", noisy, tables, 1.10},
		{"busier, other quality", busy, tables, 1.15},
		{"grey photo, tables of a flat grey", greyBusy, flatTables, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			own := encoded(t, tc.m)
			var with bytes.Buffer
			if err := tc.m.EncodeWith(&with, tc.t); err != nil {
				t.Fatal(err)
			}
			assertSamePixels(t, own, with.Bytes())
			if r := float64(with.Len()) / float64(len(own)); r > tc.within {
				t.Errorf("%d bytes with the given tables, %d with its own: ×%.3f, want ≤ ×%.2f", with.Len(), len(own), r, tc.within)
			}
		})
	}
}

// TestEncodeWithRefusesTablesOfFewerComponents: grey tables have no
// chroma codes, so a colour image is refused rather than miscoded.
func TestEncodeWithRefusesTablesOfFewerComponents(t *testing.T) {
	grey, err := Decode(goJPEG(t, gray(photoLike(64, 64, 7)), 80))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := grey.CompleteTables()
	if err != nil {
		t.Fatal(err)
	}
	colour, err := Decode(goJPEG(t, photoLike(64, 64, 7), 80))
	if err != nil {
		t.Fatal(err)
	}
	var u *UnsupportedError
	if err := colour.EncodeWith(&bytes.Buffer{}, tables); !errors.As(err, &u) {
		t.Errorf("colour image with grey tables: %v, want an *UnsupportedError", err)
	}
}

func BenchmarkEncodeWith(b *testing.B) {
	m, err := Decode(goJPEG(b, photoLike(1080, 608, 8), 80))
	if err != nil {
		b.Fatal(err)
	}
	tables, err := m.CompleteTables()
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	b.Run("own tables", func(b *testing.B) {
		for b.Loop() {
			out.Reset()
			m.Encode(&out)
		}
	})
	b.Run("given tables", func(b *testing.B) {
		for b.Loop() {
			out.Reset()
			m.EncodeWith(&out, tables)
		}
	})
}

// flatGrey is a w×h picture of one grey: its JPEG uses a handful of
// Huffman symbols.
func flatGrey(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{Y: 128}), image.Point{}, draw.Src)
	return img
}

// TestShuffledTablesWriteOtherBitsOfTheSameSize: the same coefficients
// written with shuffled tables decode to the same pixels, take as many
// bytes but for the stuffing of 0xFF bytes, and share hardly a run of
// bytes with the first writing.
func TestShuffledTablesWriteOtherBitsOfTheSameSize(t *testing.T) {
	m, err := Decode(goJPEG(t, photoLike(320, 240, 9), 80))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := m.CompleteTables()
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := m.EncodeWith(&a, tables); err != nil {
		t.Fatal(err)
	}
	if err := m.EncodeWith(&b, tables.Shuffled(rand.New(rand.NewPCG(3, 4)).Shuffle)); err != nil {
		t.Fatal(err)
	}
	assertSamePixels(t, a.Bytes(), b.Bytes())
	if d := a.Len() - b.Len(); d*500 > a.Len() || -d*500 > a.Len() {
		t.Errorf("%d bytes with shuffled tables, %d without: more than 0xFF bytes' stuffing apart", b.Len(), a.Len())
	}
	const run = 16
	seen := map[string]bool{}
	for i := 0; i+run <= a.Len(); i++ {
		seen[string(a.Bytes()[i:i+run])] = true
	}
	shared, runs := 0, 0
	scan := bytes.Index(b.Bytes(), []byte{0xFF, 0xDA})
	for i := scan; i+run <= b.Len(); i += 4 {
		runs++
		if seen[string(b.Bytes()[i:i+run])] {
			shared++
		}
	}
	if shared*100 > runs {
		t.Errorf("%d of %d runs of %d coded bytes are in the first writing too", shared, runs, run)
	}
}
