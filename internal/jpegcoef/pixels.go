package jpegcoef

import (
	"image"
	"math"
)

// DecodeScaled decodes a JPEG that Decode reads to pixels at N/8 of its
// size each way, N (1–8) the smallest that makes it at least width pixels
// wide (8 when none does), as libjpeg's scaled decoding does: each block
// becomes N×N pixels by an inverse DCT of its N×N lowest frequencies,
// which costs a fraction of decoding it whole and scaling it down, and
// discards only what the scaling would. The result is N/8 of the image
// rounded up: ⌈Width·N/8⌉ × ⌈Height·N/8⌉.
//
// It returns an *image.YCbCr in the JPEG's own chroma subsampling, or an
// *image.Gray; a JPEG whose three components are RGB, or whose sampling
// factors image.YCbCr cannot say, is an *UnsupportedError. It decodes a
// row of MCUs at a time and never holds the whole image's coefficients:
// it allocates the scaled planes, one byte a sample padded to whole
// blocks, and refuses with a *LimitError, before allocating them, planes
// that would take more than maxBytes.
func DecodeScaled(data []byte, width, maxBytes int) (image.Image, error) {
	p := parser{data: data}
	if err := p.headers(); err != nil {
		return nil, err
	}
	m := &p.img
	ratio, err := p.subsampling()
	if err != nil {
		return nil, err
	}
	n := scaleFor(m.Width, width)
	if m.blockCount() > 4*len(data) { // as entropy refuses it, before allocating
		return nil, errShort
	}
	m.layout(false)
	s := scaledDecoder{m: m, n: n, across: m.mcusPerRow()}
	if err := s.allocate(maxBytes); err != nil {
		return nil, err
	}
	if _, err := p.entropy(false, s.into, s.row); err != nil {
		return nil, err
	}
	r := image.Rect(0, 0, (m.Width*n+7)/8, (m.Height*n+7)/8)
	if len(m.Components) == 1 {
		return &image.Gray{Pix: s.planes[0], Stride: s.strides[0], Rect: r}, nil
	}
	return &image.YCbCr{Y: s.planes[0], Cb: s.planes[1], Cr: s.planes[2],
		YStride: s.strides[0], CStride: s.strides[1], SubsampleRatio: ratio, Rect: r}, nil
}

// scaleFor is the smallest N (1–8) with ⌈w·N/8⌉ ≥ width; 8 when none.
func scaleFor(w, width int) int {
	for n := 1; n < 8; n++ {
		if (w*n+7)/8 >= width {
			return n
		}
	}
	return 8
}

// subsampling checks that the image is grey or YCbCr in sampling
// factors image.YCbCr can say, and returns them (grey: 4:4:4). A lone
// component's factors do not matter: its blocks are its MCUs, and they
// are treated as 1×1.
func (p *parser) subsampling() (image.YCbCrSubsampleRatio, error) {
	m := &p.img
	if len(m.Components) == 1 {
		m.Components[0].H, m.Components[0].V = 1, 1
		m.hmax, m.vmax = 1, 1
		return image.YCbCrSubsampleRatio444, nil
	}
	if p.rgb() {
		return 0, &UnsupportedError{"RGB components"}
	}
	y, cb, cr := m.Components[0], m.Components[1], m.Components[2]
	if cb.H != 1 || cb.V != 1 || cr.H != 1 || cr.V != 1 {
		return 0, &UnsupportedError{"chroma sampled above 1×1"}
	}
	ratios := map[[2]int]image.YCbCrSubsampleRatio{
		{1, 1}: image.YCbCrSubsampleRatio444, {2, 1}: image.YCbCrSubsampleRatio422,
		{2, 2}: image.YCbCrSubsampleRatio420, {1, 2}: image.YCbCrSubsampleRatio440,
		{4, 1}: image.YCbCrSubsampleRatio411, {4, 2}: image.YCbCrSubsampleRatio410,
	}
	r, ok := ratios[[2]int{y.H, y.V}]
	if !ok {
		return 0, &UnsupportedError{"luma sampling factors without an image.YCbCr ratio"}
	}
	return r, nil
}

// rgb reports whether a three-component JPEG holds RGB rather than
// YCbCr, as image/jpeg and libjpeg tell: a JFIF segment says YCbCr, an
// Adobe one says RGB with transform 0; without either, component ids
// 'R', 'G', 'B' say RGB.
func (p *parser) rgb() bool {
	adobe := -1
	for _, seg := range p.img.Keep {
		body := seg[4:]
		switch {
		case seg[1] == 0xE0:
			return false
		case seg[1] == 0xEE && len(body) >= 12:
			adobe = int(body[11])
		}
	}
	if adobe >= 0 {
		return adobe == 0
	}
	c := p.img.Components
	return c[0].ID == 'R' && c[1].ID == 'G' && c[2].ID == 'B'
}

// scaledDecoder turns each row of MCUs, as the scan decodes it, into
// N×N pixels a block.
type scaledDecoder struct {
	m         *Image
	n, across int
	planes    [][]byte
	strides   []int
	// quant are each component's steps, zigzag order, times idct8's
	// scale at N = 8; flat is what a block's DC times its step is times
	// to make its pixels' mean less 128.
	quant [][64]float32
	flat  float32
}

// allocate makes the scaled planes and one row of MCUs of coefficients
// for each component.
func (s *scaledDecoder) allocate(maxBytes int) error {
	total := 0
	for _, c := range s.m.Components {
		total += c.BlocksW * c.BlocksH * s.n * s.n
	}
	if total > maxBytes {
		return &LimitError{Bytes: total, Limit: maxBytes}
	}
	for i := range s.m.Components {
		c := &s.m.Components[i]
		stride := c.BlocksW * s.n
		s.planes = append(s.planes, make([]byte, stride*c.BlocksH*s.n))
		s.strides = append(s.strides, stride)
		c.Coef = make([]int16, c.BlocksW*c.V*64)
		var q [64]float32
		for k, v := range s.m.Quant[c.Table] {
			q[k] = float32(v)
			if s.n == 8 {
				q[k] *= idctScale[zigzag[k]]
			}
		}
		s.quant = append(s.quant, q)
	}
	s.flat = 1.0 / 8
	if s.n == 8 {
		s.flat = 1
	}
	return nil
}

// into is where block r of MCU i goes: its place in the row buffer.
func (s *scaledDecoder) into(i int, r blockRef) []int16 {
	c := &s.m.Components[r.c]
	k := (r.dy*c.BlocksW + (i%s.across)*c.H + r.dx) * 64
	return c.Coef[k : k+64 : k+64]
}

// row turns the row buffers, MCU row my, into pixels and clears them.
func (s *scaledDecoder) row(my int) {
	n := s.n
	for ci := range s.m.Components {
		c := &s.m.Components[ci]
		stride, pix := s.strides[ci], s.planes[ci]
		for dy := range c.V {
			y0 := (my*c.V + dy) * n
			for bx := range c.BlocksW {
				k := (dy*c.BlocksW + bx) * 64
				s.block(c.Coef[k:k+64:k+64], &s.quant[ci], pix[y0*stride+bx*n:], stride)
			}
		}
		clear(c.Coef)
	}
}

// idctBasis[n] is the N-point inverse DCT of the N lowest of 8
// frequencies, row x, column u: √(N/8)·α(u)·cos((2x+1)uπ/2N), α the
// orthonormal DCT's scale, so that a block's mean stays its mean.
var idctBasis = func() (b [9][8][8]float32) {
	for n := 1; n <= 8; n++ {
		for x := range n {
			for u := range n {
				a := math.Sqrt(2 / float64(n))
				if u == 0 {
					a = math.Sqrt(1 / float64(n))
				}
				b[n][x][u] = float32(math.Sqrt(float64(n)/8) * a * math.Cos(float64(2*x+1)*float64(u)*math.Pi/float64(2*n)))
			}
		}
	}
	return b
}()

// block writes the N×N pixels of blk (64 coefficients, zigzag order,
// dequantised by q) at dst, rows stride apart. A block with no frequency
// but its mean is filled with it; at N = 8 the others go through idct8,
// below through the basis matrix, skipping the columns of frequencies
// that are zero.
func (s *scaledDecoder) block(blk []int16, q *[64]float32, dst []byte, stride int) {
	n := s.n
	blk = blk[:64:64]
	var ac int16 // any frequency but the mean, tested without a branch each
	for _, v := range blk[1:] {
		ac |= v
	}
	dc := float32(blk[0]) * q[0]
	if ac == 0 { // flat: the mean alone
		fill(dst, stride, n, clampPixel(dc*s.flat+128))
		return
	}
	var f [64]float32 // row-major: [v*8+u], v the vertical frequency
	if n == 8 {
		for k, v := range blk {
			f[zigzag[k]&63] = float32(v) * q[k]
		}
		idct8(&f, dst, stride)
		return
	}
	umax := 0
	for k := 1; k < 64; k++ {
		if blk[k] == 0 {
			continue
		}
		z := zigzag[k]
		if v, u := z>>3, z&7; v < n && u < n {
			f[z&63] = float32(blk[k]) * q[k]
			umax = max(umax, u)
		}
	}
	f[0] = dc
	idctSmall(&f, n, umax, dst, stride)
}

// idctSmall writes the N×N inverse DCT of f (row-major, dequantised, no
// frequency at or past N, none right of umax) at dst. Sample x and
// sample N−1−x share their even frequencies' sum and take their odd
// ones' with opposite signs, which halves the multiplications.
func idctSmall(f *[64]float32, n, umax int, dst []byte, stride int) {
	b := &idctBasis[n]
	var t [64]float32 // [y*8+u]: the columns' inverse, frequencies across
	for u := 0; u <= umax; u++ {
		c := f[u : u+57 : u+57]
		f0, f1, f2, f3, f4, f5, f6, f7 := c[0], c[8], c[16], c[24], c[32], c[40], c[48], c[56]
		for y := range (n + 1) / 2 {
			by := &b[y]
			even := by[0]*f0 + by[2]*f2 + by[4]*f4 + by[6]*f6
			odd := by[1]*f1 + by[3]*f3 + by[5]*f5 + by[7]*f7
			t[(y*8+u)&63], t[((n-1-y)*8+u)&63] = even+odd, even-odd
		}
	}
	for y := range n {
		r := t[y*8 : y*8+8 : y*8+8]
		out := dst[y*stride : y*stride+n]
		for x := range (n + 1) / 2 {
			bx := &b[x&7]
			even := 128 + bx[0]*r[0] + bx[2]*r[2] + bx[4]*r[4] + bx[6]*r[6]
			odd := bx[1]*r[1] + bx[3]*r[3] + bx[5]*r[5] + bx[7]*r[7]
			out[x], out[n-1-x] = clampPixel(even+odd), clampPixel(even-odd)
		}
	}
}

// idctScale are the factors that fold the output scale of idct8's
// factorisation (Arai, Agui and Nakajima's, the inverse of fdct's) into
// the steps: aanScale[u]·aanScale[v]/8, row-major.
var idctScale = func() (s [64]float32) {
	for k := range s {
		s[k] = float32(aanScale[k>>3] * aanScale[k&7] / 8)
	}
	return s
}()

// idct8 writes the 8×8 inverse DCT of f (row-major, dequantised and
// scaled by idctScale) at dst, rows stride apart: columns, then rows,
// each in 5 multiplications.
func idct8(f *[64]float32, dst []byte, stride int) {
	for u := range 8 {
		c := f[u : u+57 : u+57]
		if c[8] == 0 && c[16] == 0 && c[24] == 0 && c[32] == 0 && c[40] == 0 && c[48] == 0 && c[56] == 0 {
			c[8], c[16], c[24], c[32], c[40], c[48], c[56] = c[0], c[0], c[0], c[0], c[0], c[0], c[0]
			continue
		}
		c[0], c[8], c[16], c[24], c[32], c[40], c[48], c[56] = idct8Line(c[0], c[8], c[16], c[24], c[32], c[40], c[48], c[56])
	}
	for y := range 8 {
		r := f[y*8 : y*8+8 : y*8+8]
		p0, p1, p2, p3, p4, p5, p6, p7 := idct8Line(r[0]+128, r[1], r[2], r[3], r[4], r[5], r[6], r[7])
		out := dst[y*stride : y*stride+8 : y*stride+8]
		out[0], out[1], out[2], out[3] = clampPixel(p0), clampPixel(p1), clampPixel(p2), clampPixel(p3)
		out[4], out[5], out[6], out[7] = clampPixel(p4), clampPixel(p5), clampPixel(p6), clampPixel(p7)
	}
}

// idct8Line is the scaled 8-point inverse DCT of one row or column.
func idct8Line(f0, f1, f2, f3, f4, f5, f6, f7 float32) (p0, p1, p2, p3, p4, p5, p6, p7 float32) {
	const (
		r2   = 1.414213562 // √2
		c2x  = 1.847759065 // 2·cos(2π/16)
		c26m = 1.082392200 // 2·(cos(2π/16) − cos(6π/16))
		c26p = 2.613125930 // 2·(cos(2π/16) + cos(6π/16))
	)
	// Even part.
	e10, e11 := f0+f4, f0-f4
	e13 := f2 + f6
	e12 := (f2-f6)*r2 - e13
	e0, e3 := e10+e13, e10-e13
	e1, e2 := e11+e12, e11-e12
	// Odd part.
	z13, z10 := f5+f3, f5-f3
	z11, z12 := f1+f7, f1-f7
	o7 := z11 + z13
	o11 := (z11 - z13) * r2
	z5 := (z10 + z12) * c2x
	o10 := c26m*z12 - z5
	o12 := -c26p*z10 + z5
	o6 := o12 - o7
	o5 := o11 - o6
	o4 := o10 + o5
	return e0 + o7, e1 + o6, e2 + o5, e3 - o4, e3 + o4, e2 - o5, e1 - o6, e0 - o7
}

// clampPixel rounds v to the nearest sample value, 0–255.
func clampPixel(v float32) byte {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return byte(v + 0.5)
}

// fill sets an n×n square of dst, rows stride apart, to v.
func fill(dst []byte, stride, n int, v byte) {
	for y := range n {
		row := dst[y*stride : y*stride+n]
		for x := range row {
			row[x] = v
		}
	}
}

// ChromaSize is the size of a YCbCr image's Cb and Cr planes.
func ChromaSize(m *image.YCbCr) (w, h int) {
	r := m.Bounds()
	w, h = r.Dx(), r.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}
