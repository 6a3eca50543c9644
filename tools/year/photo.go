package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/newsmirror/newsmirror/internal/jpegcoef"
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
// Painting and encoding are the slow part, so they are done once for a
// few scenes (baseScenes, each painted and encoded by image/jpeg at its
// own quality, kept as DCT coefficients); a photo is a crop of one,
// taken block by block at an offset of whole MCUs, with its own sensor
// noise added to every luma block's low frequencies (±1 step, as a
// sensor's varies from shot to shot), written in one pass with its
// scene's Huffman tables (see sceneTables). No two photos share a run of
// coded bytes, so git can neither deduplicate nor delta them, as with
// real photos; a photo costs one entropy coding, not a paint and a DCT.
func (c *photoCache) Photo(seed uint64) ([]byte, error) {
	rng := rand.New(rand.NewPCG(seed, seed*0x9e3779b97f4a7c15+1))
	sc, err := c.scene(rng.IntN(baseScenes))
	if err != nil {
		return nil, err
	}
	base := sc.img
	w := minPhotoW + rng.IntN(maxPhotoW-minPhotoW+1)
	h := w * 2 / 3 // the wide ones 16:9, so that sizes stay in 60–250 KB
	if w >= 900 {
		h = w * 9 / 16
	}
	ox, oy := rng.IntN((sceneW-w)/mcu+1), rng.IntN((sceneH-h)/mcu+1)
	scratch, _ := c.coefs.Get().(*[]int16)
	if scratch == nil {
		scratch = new([]int16)
	}
	defer c.coefs.Put(scratch)
	m := crop(base, ox, oy, w, h, scratch)
	addSensorNoise(m, rng)
	buf := bytes.NewBuffer(make([]byte, 0, w*h/4)) // 2 bits a pixel, more than most need
	if err := m.EncodeWith(buf, sc.tables.Shuffled(rng.Shuffle)); err != nil {
		return nil, fmt.Errorf("encode photo %d: %w", seed, err)
	}
	return buf.Bytes(), nil
}

// crop copies the blocks of a w×h picture from base, from MCU (ox, oy),
// into *scratch (grown when short): the picture lives until scratch is
// used again.
func crop(base *jpegcoef.Image, ox, oy, w, h int, scratch *[]int16) *jpegcoef.Image {
	m := &jpegcoef.Image{Width: w, Height: h, Quant: base.Quant}
	mx, my := (w+mcu-1)/mcu, (h+mcu-1)/mcu
	need := 0
	for _, bc := range base.Components {
		need += mx * bc.H * my * bc.V * 64
	}
	if cap(*scratch) < need {
		*scratch = make([]int16, need)
	}
	free := (*scratch)[:need]
	for _, bc := range base.Components {
		c := bc
		c.BlocksW, c.BlocksH = mx*c.H, my*c.V
		c.Coef, free = free[:c.BlocksW*c.BlocksH*64:c.BlocksW*c.BlocksH*64], free[c.BlocksW*c.BlocksH*64:]
		for by := range c.BlocksH {
			src := bc.Coef[((oy*c.V+by)*bc.BlocksW+ox*c.H)*64:]
			copy(c.Coef[by*c.BlocksW*64:(by+1)*c.BlocksW*64], src)
		}
		m.Components = append(m.Components, c)
	}
	return m
}

// addSensorNoise moves the first noisyCoefs coefficients of every luma
// block by -1, 0 or +1 step.
func addSensorNoise(m *jpegcoef.Image, rng *rand.Rand) {
	y := m.Components[0].Coef
	for i := 0; i < len(y); i += 64 {
		r := rng.Uint64()
		for k := range noisyCoefs {
			y[i+k] += int16(r%3) - 1
			r /= 3
		}
	}
}

// Scenes: baseScenes of sceneW×sceneH (4:2:0, so MCUs of mcu pixels),
// each at its quality, photoQuality-3 to photoQuality+3; noisyCoefs is
// how many coefficients of a block the sensor noise moves.
const (
	baseScenes     = 24
	sceneW, sceneH = 1152, 864
	mcu            = 16
	noisyCoefs     = 6
)

// scene is one painted scene as coefficients and the Huffman tables its
// photos are written with.
type scene struct {
	img    *jpegcoef.Image
	tables *jpegcoef.Tables
}

// scene returns scene i, painting and encoding it on first use (scenes
// are painted in parallel, each once).
func (c *photoCache) scene(i int) (scene, error) {
	s := &c.scenes[i]
	s.once.Do(func() { s.scene, s.err = paintScene(i) })
	return s.scene, s.err
}

// paintScenes paints every scene, two at a time.
func (c *photoCache) paintScenes() error {
	var wg sync.WaitGroup
	errs := make([]error, baseScenes)
	for g := range 2 {
		wg.Go(func() {
			for i := g; i < baseScenes; i += 2 {
				_, errs[i] = c.scene(i)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// paintScene paints scene i and encodes it with image/jpeg.
func paintScene(i int) (scene, error) {
	rng := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	img := image.NewRGBA(image.Rect(0, 0, sceneW, sceneH))
	paintGradient(img, rng)
	for range 6 + rng.IntN(10) {
		paintShape(img, rng)
	}
	addTexture(img, rng)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: photoQuality - 3 + i%7}); err != nil {
		return scene{}, fmt.Errorf("encode scene %d: %w", i, err)
	}
	m, err := jpegcoef.Decode(buf.Bytes())
	if err != nil {
		return scene{}, fmt.Errorf("scene %d: %w", i, err)
	}
	t, err := sceneTables(m, rng)
	if err != nil {
		return scene{}, fmt.Errorf("scene %d: %w", i, err)
	}
	return scene{img: m, tables: t}, nil
}

// sceneTables makes the Huffman tables of a scene's photos: from the
// whole scene with sensor noise of its own (so that the codes fit what a
// noised crop holds), with a code for every symbol (so that any crop and
// any noise can be written). A photo written with them is a few percent
// larger than with tables of its own, and costs one pass instead of two.
func sceneTables(m *jpegcoef.Image, rng *rand.Rand) (*jpegcoef.Tables, error) {
	noisy := crop(m, 0, 0, m.Width, m.Height, new([]int16))
	addSensorNoise(noisy, rng)
	return noisy.CompleteTables()
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

// photoCache holds the photos of the current sync (made while the
// previous one ran, or between the two: see ahead) and the scenes they
// are cut from; a photo it does not hold is made when asked for.
type photoCache struct {
	mu  sync.Mutex
	mem map[uint64][]byte

	coefs sync.Pool // *[]int16: crops' coefficients, reused

	scenes [baseScenes]struct {
		once sync.Once
		scene
		err error
	}
}

func newPhotoCache() *photoCache {
	return &photoCache{mem: map[uint64][]byte{}}
}

// get returns the photo of seed, generating it on first use.
func (c *photoCache) get(seed uint64) ([]byte, error) {
	c.mu.Lock()
	b, ok := c.mem[seed]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := c.Photo(seed)
	if err != nil {
		return nil, err
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
