package golden

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func pngOf(t *testing.T, w, h int, fill func(x, y int) color.Gray) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetGray(x, y, fill(x, y))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImageDiffToleratesSpecksNotAnotherPicture(t *testing.T) {
	white := func(x, y int) color.Gray { return color.Gray{255} }
	speck := func(x, y int) color.Gray {
		if x == 3 && y == 3 {
			return color.Gray{0}
		}
		return color.Gray{255}
	}
	half := func(x, y int) color.Gray {
		if x < 50 {
			return color.Gray{0}
		}
		return color.Gray{255}
	}
	base := pngOf(t, 100, 100, white)
	if d, err := imageDiff(pngOf(t, 100, 100, speck), base); err != nil || d > 0.001 {
		t.Errorf("one dark pixel: diff %v, %v", d, err)
	}
	if d, err := imageDiff(pngOf(t, 100, 100, half), base); err != nil || d < 0.4 {
		t.Errorf("half the picture dark: diff %v, %v", d, err)
	}
	if _, err := imageDiff(pngOf(t, 100, 90, white), base); err == nil {
		t.Error("pictures of two sizes compared")
	}
}
