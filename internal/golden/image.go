package golden

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"testing"
)

// CompareImage fails t when the PNG got does not look like the PNG at
// path, or rewrites the file under -update. The comparison is loose, so
// that a screenshot survives a font's hinting or antialiasing: the sizes
// must be equal and the mean difference of the pixels' channels at most
// tolerance (0–1); a changed layout or text differs far more.
func CompareImage(t testing.TB, path string, got []byte, tolerance float64) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	diff, err := imageDiff(got, data)
	if err != nil {
		t.Fatalf("%s: %v (run go test -update if the page changed)", path, err)
	}
	if diff > tolerance {
		t.Errorf("%s: the new picture differs by %.1f%% (at most %.1f%%); run go test -update if the page changed", path, 100*diff, 100*tolerance)
	}
}

// imageDiff is the mean difference of the channels of two PNGs of one
// size, from 0 (the same) to 1.
func imageDiff(a, b []byte) (float64, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, fmt.Errorf("new picture: %w", err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, fmt.Errorf("kept picture: %w", err)
	}
	if ia.Bounds().Size() != ib.Bounds().Size() {
		return 0, fmt.Errorf("new picture is %v, the kept one %v", ia.Bounds().Size(), ib.Bounds().Size())
	}
	var sum, n float64
	pa, pb := ia.Bounds().Min, ib.Bounds().Min
	size := ia.Bounds().Size()
	for y := range size.Y {
		for x := range size.X {
			ra, ga, ba, _ := ia.At(pa.X+x, pa.Y+y).RGBA()
			rb, gb, bb, _ := ib.At(pb.X+x, pb.Y+y).RGBA()
			sum += absDiff(ra, rb) + absDiff(ga, gb) + absDiff(ba, bb)
			n += 3 * 0xffff
		}
	}
	return sum / n, nil
}

func absDiff(a, b uint32) float64 {
	if a > b {
		return float64(a - b)
	}
	return float64(b - a)
}
