package main

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// Photo sizes: real news photos are 600–1200 px wide, 3:2 or 16:9; these
// stay inside, at 720–1080.
const (
	minPhotoW = 720
	maxPhotoW = 1080
	// photoQuality is the JPEG quality news sites commonly publish at.
	photoQuality = 80
)

// Photo returns a JPEG that compresses like a news photo: smooth
// gradients (sky, walls), hard edges (buildings, people, text boxes),
// mid-frequency texture and mild sensor noise. The same seed always gives
// the same bytes.
//
// Painting is the slow part, so the scenes are few (one of baseScenes,
// painted once and kept) and each photo is a crop of one at an offset
// that is not a multiple of the JPEG's 16-pixel blocks, at its own
// quality: no two photos share a coded block, so git can neither
// deduplicate nor delta them, as with real photos.
func (c *photoCache) Photo(seed uint64) ([]byte, error) {
	rng := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
	base := c.scene(rng.IntN(baseScenes))
	b := base.Bounds()
	dx, dy := 1+rng.IntN(maxCrop-1), 1+rng.IntN(maxCrop-1)
	if dx%16 == 0 {
		dx++
	}
	w := minPhotoW + rng.IntN(b.Dx()-dx-minPhotoW+1)
	h := w * 2 / 3 // the wide ones 16:9, so that sizes stay in 60–250 KB
	if w >= 900 {
		h = w * 9 / 16
	}
	crop := base.SubImage(image.Rect(dx, dy, dx+w, dy+h))
	var buf bytes.Buffer
	q := photoQuality - 3 + rng.IntN(7)
	if err := jpeg.Encode(&buf, crop, &jpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("encode photo %d: %w", seed, err)
	}
	return buf.Bytes(), nil
}

// baseScenes is how many scenes photos are cropped from; maxCrop the
// largest crop offset (the scenes are maxPhotoW+maxCrop wide, 3:4).
const (
	baseScenes = 24
	maxCrop    = 40
)

// scene returns scene i, painting it on first use.
func (c *photoCache) scene(i int) *image.RGBA {
	c.sceneMu.Lock()
	defer c.sceneMu.Unlock()
	if c.scenes == nil {
		c.scenes = map[int]*image.RGBA{}
	}
	if s, ok := c.scenes[i]; ok {
		return s
	}
	rng := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	w := maxPhotoW + maxCrop
	img := image.NewRGBA(image.Rect(0, 0, w, w*3/4))
	paintGradient(img, rng)
	for range 6 + rng.IntN(10) {
		paintShape(img, rng)
	}
	addTexture(img, rng)
	c.scenes[i] = img
	return img
}

// paintGradient fills img with a bilinear blend of a coarse grid of random
// colours.
func paintGradient(img *image.RGBA, rng *rand.Rand) {
	const gw, gh = 5, 4
	var grid [gh][gw][3]float64
	for y := range gh {
		for x := range gw {
			for k := range 3 {
				grid[y][x][k] = 30 + 200*rng.Float64()
			}
		}
	}
	b := img.Bounds()
	for y := 0; y < b.Dy(); y++ {
		fy := float64(y) / float64(b.Dy()) * (gh - 1)
		y0 := min(int(fy), gh-2)
		ty := fy - float64(y0)
		row := img.Pix[y*img.Stride:]
		for x := 0; x < b.Dx(); x++ {
			fx := float64(x) / float64(b.Dx()) * (gw - 1)
			x0 := min(int(fx), gw-2)
			tx := fx - float64(x0)
			for k := range 3 {
				top := grid[y0][x0][k]*(1-tx) + grid[y0][x0+1][k]*tx
				bot := grid[y0+1][x0][k]*(1-tx) + grid[y0+1][x0+1][k]*tx
				row[4*x+k] = uint8(top*(1-ty) + bot*ty)
			}
			row[4*x+3] = 0xff
		}
	}
}

// paintShape draws a rectangle or an ellipse with its own shaded colour:
// the hard edges a photo's subjects make.
func paintShape(img *image.RGBA, rng *rand.Rand) {
	b := img.Bounds()
	sw, sh := b.Dx()/12+rng.IntN(b.Dx()/3), b.Dy()/12+rng.IntN(b.Dy()/3)
	x0, y0 := rng.IntN(b.Dx()-sw), rng.IntN(b.Dy()-sh)
	ellipse := rng.IntN(2) == 0
	c := [3]float64{255 * rng.Float64(), 255 * rng.Float64(), 255 * rng.Float64()}
	shade := 0.4 + 0.6*rng.Float64()
	for y := y0; y < y0+sh; y++ {
		row := img.Pix[y*img.Stride:]
		dy := (float64(y-y0)/float64(sh))*2 - 1
		for x := x0; x < x0+sw; x++ {
			dx := (float64(x-x0)/float64(sw))*2 - 1
			if ellipse && dx*dx+dy*dy > 1 {
				continue
			}
			f := 1 - shade*(dx+1)/4 // lit from the left
			for k := range 3 {
				row[4*x+k] = uint8(c[k] * f)
			}
		}
	}
}

// addTexture adds value noise at a few pixels' scale (foliage, fabric,
// crowds) and mild per-pixel noise (the sensor's).
func addTexture(img *image.RGBA, rng *rand.Rand) {
	b := img.Bounds()
	const cell = 6
	cw, ch := b.Dx()/cell+2, b.Dy()/cell+2
	coarse := make([]float64, cw*ch)
	amp := 14 + 12*rng.Float64()
	for i := range coarse {
		coarse[i] = amp * (rng.Float64()*2 - 1)
	}
	state := rng.Uint64() | 1
	for y := 0; y < b.Dy(); y++ {
		row := img.Pix[y*img.Stride:]
		cy, ty := y/cell, float64(y%cell)/cell
		for x := 0; x < b.Dx(); x++ {
			cx, tx := x/cell, float64(x%cell)/cell
			top := coarse[cy*cw+cx]*(1-tx) + coarse[cy*cw+cx+1]*tx
			bot := coarse[(cy+1)*cw+cx]*(1-tx) + coarse[(cy+1)*cw+cx+1]*tx
			v := top*(1-ty) + bot*ty
			state ^= state << 13
			state ^= state >> 7
			state ^= state << 17
			n := (float64(int(state&31)) - 15.5) * 0.85
			for k := range 3 {
				row[4*x+k] = clamp8(float64(row[4*x+k]) + v + n)
			}
		}
	}
}

func clamp8(v float64) uint8 { return uint8(math.Max(0, math.Min(255, v))) }

// photoCache keeps generated photos by seed in memory and, when dir is
// set, on disk, so that a second run (images on and off, before and after
// a change) does not pay for generating them again.
type photoCache struct {
	dir string
	mu  sync.Mutex
	mem map[uint64][]byte

	sceneMu sync.Mutex
	scenes  map[int]*image.RGBA
}

func newPhotoCache(dir string) *photoCache {
	return &photoCache{dir: dir, mem: map[uint64][]byte{}}
}

// get returns the photo of seed, generating it on first use.
func (c *photoCache) get(seed uint64) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.mem[seed]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	path := ""
	if c.dir != "" {
		path = filepath.Join(c.dir, strconv.FormatUint(seed, 16)+".jpg")
		if b, err := os.ReadFile(path); err == nil {
			c.put(seed, b)
			return b, nil
		}
	}
	b, err := c.Photo(seed)
	if err != nil {
		return nil, err
	}
	if path != "" {
		if err := writeAtomic(path, b); err != nil {
			return nil, err
		}
	}
	c.put(seed, b)
	return b, nil
}

func (c *photoCache) put(seed uint64, b []byte) {
	c.mu.Lock()
	c.mem[seed] = b
	c.mu.Unlock()
}

// forget drops photos from memory (the disk copy stays).
func (c *photoCache) forget(seeds []uint64) {
	c.mu.Lock()
	for _, s := range seeds {
		delete(c.mem, s)
	}
	c.mu.Unlock()
}

// writeAtomic writes b to path through a temporary file and a rename.
func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
