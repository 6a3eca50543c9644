package main

import (
	"bytes"
	"compress/flate"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// TestPhotoIsSizedAndCompressesLikeANewsPhoto checks the generated photos
// against real news JPEGs: 600–1200 px wide, 60–250 KB, and neither flat
// (which would compress to almost nothing) nor noise (which deflate could
// not shrink at all, and which would be far larger).
func TestPhotoIsSizedAndCompressesLikeANewsPhoto(t *testing.T) {
	c := newPhotoCache()
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 6; seed++ {
		b, err := c.Photo(seed)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("seed %d: not a JPEG: %v", seed, err)
		}
		if cfg.Width < minPhotoW || cfg.Width > maxPhotoW {
			t.Errorf("seed %d: width %d outside %d–%d", seed, cfg.Width, minPhotoW, maxPhotoW)
		}
		if n := len(b); n < 60<<10 || n > 250<<10 {
			t.Errorf("seed %d: %d KB outside 60–250 KB (%dx%d)", seed, n>>10, cfg.Width, cfg.Height)
		}
		bpp := float64(len(b)*8) / float64(cfg.Width*cfg.Height)
		if bpp < 0.8 || bpp > 4 {
			t.Errorf("seed %d: %.2f bits per pixel, a news photo has about 1–3", seed, bpp)
		}
		var z bytes.Buffer
		w, _ := flate.NewWriter(&z, flate.BestSpeed)
		w.Write(b)
		w.Close()
		if r := float64(z.Len()) / float64(len(b)); r < 0.9 {
			t.Errorf("seed %d: deflate shrinks the JPEG to %.2f of its size: entropy too low", seed, r)
		}
		again, _ := newPhotoCache().Photo(seed)
		if !bytes.Equal(again, b) {
			t.Errorf("seed %d: not deterministic", seed)
		}
		seen[string(b)] = true
	}
	if len(seen) != 6 {
		t.Errorf("%d distinct photos of 6 seeds", len(seen))
	}
}

// TestPhotosShareNoRunOfBytes cuts photos from one scene at overlapping
// offsets: no 16-byte run of one appears in another (git's delta search
// indexes runs of 16 bytes) but by chance (one in a thousand), so each is
// stored whole, as real photos are.
func TestPhotosShareNoRunOfBytes(t *testing.T) {
	c := newPhotoCache()
	const window = 16
	seen := map[string]int{}
	photos := 0
	for seed := uint64(1); photos < 6; seed++ {
		rng := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
		if rng.IntN(baseScenes) != 0 {
			continue // only photos of scene 0
		}
		b, err := c.Photo(seed)
		if err != nil {
			t.Fatal(err)
		}
		photos++
		shared, runs := 0, 0
		hdr := bytes.Index(b, []byte{0xFF, 0xDA}) + 14 // past the scan header
		for i := hdr; i+window <= len(b)-2; i += 4 {
			runs++
			if p, ok := seen[string(b[i:i+window])]; ok && p != photos {
				shared++
			}
		}
		if shared*1000 > runs {
			t.Errorf("photo %d (seed %d) shares %d of %d runs of %d bytes with earlier photos of its scene", photos, seed, shared, runs, window)
		}
		for i := hdr; i+window <= len(b)-2; i++ {
			seen[string(b[i:i+window])] = photos
		}
	}
}

func BenchmarkPhoto(b *testing.B) {
	c := newPhotoCache()
	for i := range baseScenes {
		if _, err := c.scene(i); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; b.Loop(); i++ {
		if _, err := c.Photo(uint64(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPhotosMadeAheadAreThoseOfTheirSeeds makes batches of photos partly
// on the low-priority thread and partly in finish: the cache then holds
// each seed's own photo, byte for byte, and forgets them after.
func TestPhotosMadeAheadAreThoseOfTheirSeeds(t *testing.T) {
	c := newPhotoCache()
	if err := c.paintScenes(); err != nil {
		t.Fatal(err)
	}
	a, err := newAhead(c)
	if err != nil {
		t.Logf("made between the syncs only: %v", err)
	}
	defer a.stop()
	for round := range 3 {
		seeds := []uint64{uint64(round*10 + 1), uint64(round*10 + 2), uint64(round*10 + 3), uint64(round*10 + 4)}
		if err := a.finish(a.start(seeds)); err != nil {
			t.Fatal(err)
		}
		for _, s := range seeds {
			c.mu.Lock()
			got, ok := c.mem[s]
			c.mu.Unlock()
			want, err := newPhotoCache().Photo(s)
			if err != nil {
				t.Fatal(err)
			}
			if !ok || !bytes.Equal(got, want) {
				t.Errorf("seed %d: cached %t, %d bytes; made alone %d bytes", s, ok, len(got), len(want))
			}
		}
		c.forget(seeds)
		if n := len(c.mem); n != 0 {
			t.Errorf("%d photos kept after forget", n)
		}
	}
}
