package jpegcoef

import (
	"image"
	"math"
)

// FromImage makes the coefficients of img at quality (1–100), ready for
// Encode: each plane cut into 8×8 blocks (the last row and column
// repeated to fill whole MCUs, as encoders pad), each block through a
// forward DCT and quantised by the standard tables at quality, as
// image/jpeg and libjpeg make them (StandardTable). img is an
// *image.YCbCr sampled 4:4:4, 4:2:2, 4:2:0 or 4:4:0, which keeps its
// sampling, or an *image.Gray; others are an *UnsupportedError.
func FromImage(img image.Image, quality int) (*Image, error) {
	r := img.Bounds()
	m := &Image{Width: r.Dx(), Height: r.Dy()}
	m.Quant[0], m.Quant[1] = StandardTable(quality, false), StandardTable(quality, true)
	var planes []samples
	switch src := img.(type) {
	case *image.Gray:
		m.Components = []Component{{ID: 1, H: 1, V: 1}}
		planes = []samples{{src.Pix[src.PixOffset(r.Min.X, r.Min.Y):], r.Dx(), r.Dy(), src.Stride}}
	case *image.YCbCr:
		hv, ok := map[image.YCbCrSubsampleRatio][2]int{
			image.YCbCrSubsampleRatio444: {1, 1}, image.YCbCrSubsampleRatio422: {2, 1},
			image.YCbCrSubsampleRatio420: {2, 2}, image.YCbCrSubsampleRatio440: {1, 2},
		}[src.SubsampleRatio]
		if !ok {
			return nil, &UnsupportedError{"chroma subsampling " + src.SubsampleRatio.String()}
		}
		m.Components = []Component{{ID: 1, H: hv[0], V: hv[1]}, {ID: 2, H: 1, V: 1, Table: 1}, {ID: 3, H: 1, V: 1, Table: 1}}
		cw, ch := (r.Dx()+hv[0]-1)/hv[0], (r.Dy()+hv[1]-1)/hv[1]
		off := src.COffset(r.Min.X, r.Min.Y)
		planes = []samples{
			{src.Y[src.YOffset(r.Min.X, r.Min.Y):], r.Dx(), r.Dy(), src.YStride},
			{src.Cb[off:], cw, ch, src.CStride},
			{src.Cr[off:], cw, ch, src.CStride},
		}
	default:
		return nil, &UnsupportedError{"neither YCbCr nor grey pixels"}
	}
	for _, c := range m.Components {
		m.hmax, m.vmax = max(m.hmax, c.H), max(m.vmax, c.V)
	}
	m.layout(true)
	for i := range m.Components {
		c := &m.Components[i]
		div := fdctDivisors(&m.Quant[c.Table])
		var blk [64]float32
		for by := range c.BlocksH {
			for bx := range c.BlocksW {
				planes[i].block(bx*8, by*8, &blk)
				fdct(&blk)
				quantize(&blk, &div, c.Block(bx, by))
			}
		}
	}
	return m, nil
}

// samples is one plane of pixels: w×h, rows stride apart.
type samples struct {
	pix          []byte
	w, h, stride int
}

// block loads the 8×8 samples at (x0, y0) into blk, level-shifted to
// −128…127, repeating the last column and row past the plane's edge.
func (s samples) block(x0, y0 int, blk *[64]float32) {
	for y := range 8 {
		row := s.pix[min(y0+y, s.h-1)*s.stride:]
		out := blk[y*8 : y*8+8]
		if x0+8 <= s.w {
			for x, v := range row[x0 : x0+8] {
				out[x] = float32(v) - 128
			}
			continue
		}
		for x := range out {
			out[x] = float32(row[min(x0+x, s.w-1)]) - 128
		}
	}
}

// aanScale are the factors by which fdct's outputs exceed the
// orthonormal DCT's, per frequency and direction (times 8 overall):
// 1 and √2·cos(kπ/16).
var aanScale = func() (s [8]float64) {
	s[0] = 1
	for k := 1; k < 8; k++ {
		s[k] = math.Sqrt2 * math.Cos(float64(k)*math.Pi/16)
	}
	return s
}()

// fdctDivisors folds fdct's scale into the steps q (zigzag order): the
// reciprocal of each step times its scale, by row-major position.
func fdctDivisors(q *[64]uint16) [64]float32 {
	var d [64]float32
	for k, z := range zigzag {
		d[z] = float32(1 / (float64(q[k]) * aanScale[z>>3] * aanScale[z&7] * 8))
	}
	return d
}

// quantize divides the scaled DCT blk by its steps (div, from
// fdctDivisors) and writes the rounded values in zigzag order.
func quantize(blk, div *[64]float32, out []int16) {
	out = out[:64:64]
	for z := range blk {
		v := blk[z] * div[z]
		// Rounded half away from zero, and within what a baseline
		// JPEG codes (11 bits).
		q := int32(v+16384.5) - 16384
		out[unzigzag[z]&63] = int16(min(max(q, -1023), 1023))
	}
}

// unzigzag maps a row-major position in the 8×8 block to its zigzag
// position.
var unzigzag = func() (u [64]uint8) {
	for k, z := range zigzag {
		u[z] = uint8(k)
	}
	return u
}()

// fdct is the forward DCT of an 8×8 block in place, rows then columns, by
// Arai, Agui and Nakajima's factorisation (5 multiplications a line): its
// outputs are the orthonormal DCT's times 8·aanScale[u]·aanScale[v],
// which fdctDivisors undoes with the quantisation.
func fdct(b *[64]float32) {
	for y := range 8 {
		r := b[y*8 : y*8+8 : y*8+8]
		r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] = fdct8(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])
	}
	for u := range 8 {
		c := b[u : u+57 : u+57]
		c[0], c[8], c[16], c[24], c[32], c[40], c[48], c[56] = fdct8(c[0], c[8], c[16], c[24], c[32], c[40], c[48], c[56])
	}
}

// fdct8 is the 8-point scaled DCT of one row or column.
func fdct8(d0, d1, d2, d3, d4, d5, d6, d7 float32) (f0, f1, f2, f3, f4, f5, f6, f7 float32) {
	const (
		c4   = 0.707106781 // cos(4π/16)
		c6s  = 0.382683433 // cos(6π/16)
		c2c6 = 0.541196100 // cos(2π/16) − cos(6π/16)
		c2p6 = 1.306562965 // cos(2π/16) + cos(6π/16)
	)
	t0, t7 := d0+d7, d0-d7
	t1, t6 := d1+d6, d1-d6
	t2, t5 := d2+d5, d2-d5
	t3, t4 := d3+d4, d3-d4

	e0, e3 := t0+t3, t0-t3 // even part
	e1, e2 := t1+t2, t1-t2
	z1 := (e2 + e3) * c4

	o0, o1, o2 := t4+t5, t5+t6, t6+t7 // odd part
	z5 := (o0 - o2) * c6s
	z2 := c2c6*o0 + z5
	z4 := c2p6*o2 + z5
	z3 := o1 * c4
	z11, z13 := t7+z3, t7-z3
	return e0 + e1, z11 + z4, e3 + z1, z13 - z2, e0 - e1, z13 + z2, e3 - z1, z11 - z4
}
