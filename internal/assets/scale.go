package assets

import (
	"image"
	"math"

	"github.com/newsmirror/newsmirror/internal/jpegcoef"
)

// plane is one channel of an image: w×h samples, stride apart by row.
type plane struct {
	pix          []byte
	w, h, stride int
}

// scaleYCbCr scales a YCbCr image to w×h, its chroma to the subsampling
// ratio.
func scaleYCbCr(src *image.YCbCr, w, h int, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
	r := src.Bounds()
	scalePlane(plane{src.Y[src.YOffset(r.Min.X, r.Min.Y):], r.Dx(), r.Dy(), src.YStride}, plane{dst.Y, w, h, dst.YStride})
	sw, sh := jpegcoef.ChromaSize(src)
	dw, dh := jpegcoef.ChromaSize(dst)
	off := src.COffset(r.Min.X, r.Min.Y)
	scalePlane(plane{src.Cb[off:], sw, sh, src.CStride}, plane{dst.Cb, dw, dh, dst.CStride})
	scalePlane(plane{src.Cr[off:], sw, sh, src.CStride}, plane{dst.Cr, dw, dh, dst.CStride})
	return dst
}

// scaleGray scales a grey image to w×h.
func scaleGray(src *image.Gray, w, h int) *image.Gray {
	r := src.Bounds()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	scalePlane(plane{src.Pix[src.PixOffset(r.Min.X, r.Min.Y):], r.Dx(), r.Dy(), src.Stride}, plane{dst.Pix, w, h, dst.Stride})
	return dst
}

// scalePlane resamples src into dst with a triangle (bilinear) filter,
// its support widened by the reduction so that a large reduction averages
// every source sample instead of skipping most: rows first, then columns,
// in fixed point (weights of 14 bits, the intermediate rows with 6
// fractional bits), which rounds within half a level of float arithmetic.
func scalePlane(src, dst plane) {
	xs, ys := weights(src.w, dst.w), weights(src.h, dst.h)
	tmp := make([]int16, dst.w*src.h)
	for y := range src.h {
		scaleRow(src.pix[y*src.stride:y*src.stride+src.w], tmp[y*dst.w:(y+1)*dst.w], xs)
	}
	col := make([]int32, dst.w)
	for y := range dst.h {
		first := ys.first[y]
		out := dst.pix[y*dst.stride : y*dst.stride+dst.w]
		switch ys.n { // the common cases (reductions up to 2×), in one pass
		case 3:
			w := ys.w[3*y:][:3]
			a, b, c := tmp[first*dst.w:][:len(out)], tmp[(first+1)*dst.w:][:len(out)], tmp[(first+2)*dst.w:][:len(out)]
			for x := range out {
				v := w[0]*int32(a[x]) + w[1]*int32(b[x]) + w[2]*int32(c[x])
				out[x] = uint8(min(max((v+1<<19)>>20, 0), 255))
			}
			continue
		case 4:
			w := ys.w[4*y:][:4]
			a, b := tmp[first*dst.w:][:len(out)], tmp[(first+1)*dst.w:][:len(out)]
			c, d := tmp[(first+2)*dst.w:][:len(out)], tmp[(first+3)*dst.w:][:len(out)]
			for x := range out {
				v := w[0]*int32(a[x]) + w[1]*int32(b[x]) + w[2]*int32(c[x]) + w[3]*int32(d[x])
				out[x] = uint8(min(max((v+1<<19)>>20, 0), 255))
			}
			continue
		}
		clear(col)
		for i, wt := range ys.w[y*ys.n : y*ys.n+ys.n] {
			if wt == 0 {
				continue
			}
			in := tmp[(first+i)*dst.w : (first+i+1)*dst.w]
			in = in[:len(col)]
			for x, v := range in {
				col[x] += wt * int32(v)
			}
		}
		out = out[:len(col)]
		for x, v := range col {
			out[x] = uint8(min(max((v+1<<19)>>20, 0), 255))
		}
	}
}

// scaleRow resamples one row by xs into out, with 6 fractional bits.
func scaleRow(row []byte, out []int16, xs taps) {
	switch xs.n { // the common cases: reductions up to 2×
	case 3:
		for x := range out {
			in, w := row[xs.first[x]:][:3], xs.w[3*x:][:3]
			out[x] = int16((w[0]*int32(in[0]) + w[1]*int32(in[1]) + w[2]*int32(in[2]) + 1<<7) >> 8)
		}
		return
	case 4:
		for x := range out {
			in, w := row[xs.first[x]:][:4], xs.w[4*x:][:4]
			out[x] = int16((w[0]*int32(in[0]) + w[1]*int32(in[1]) + w[2]*int32(in[2]) + w[3]*int32(in[3]) + 1<<7) >> 8)
		}
		return
	}
	for x := range out {
		first := xs.first[x]
		in := row[first : first+xs.n]
		w := xs.w[x*xs.n : x*xs.n+xs.n]
		var v int32
		for i, s := range in {
			v += w[i] * int32(s)
		}
		out[x] = int16((v + 1<<7) >> 8)
	}
}

// taps are the source samples each destination sample averages: n
// weights a sample, of 14 bits summing to 1<<14, from source sample
// first[i] on (zero weights pad the narrower ones).
type taps struct {
	first []int
	w     []int32
	n     int
}

// weights are the taps of each of n destination samples over m source
// samples.
func weights(m, n int) taps {
	ratio := float64(m) / float64(n)
	support := max(ratio, 1)
	firsts := make([]int, n)
	lists := make([][]float64, n)
	width := 1
	for i := range n {
		center := (float64(i)+0.5)*ratio - 0.5
		lo := max(int(math.Ceil(center-support)), 0)
		hi := min(int(math.Floor(center+support)), m-1)
		var ws []float64
		var sum float64
		for j := lo; j <= hi; j++ {
			w := max(1-math.Abs(float64(j)-center)/support, 0)
			ws = append(ws, w)
			sum += w
		}
		if sum == 0 { // a destination sample beyond the edge
			lo, ws, sum = min(max(int(math.Round(center)), 0), m-1), []float64{1}, 1
		}
		for k := range ws {
			ws[k] /= sum
		}
		firsts[i], lists[i] = lo, ws
		width = max(width, len(ws))
	}
	t := taps{first: firsts, w: make([]int32, n*width), n: width}
	for i, ws := range lists {
		// Taps start early enough that all width of them are within m.
		shift := max(firsts[i]+width-m, 0)
		t.first[i] -= shift
		row := t.w[i*width : (i+1)*width]
		total, big := int32(0), shift
		for k, w := range ws {
			row[shift+k] = int32(math.Round(w * (1 << 14)))
			total += row[shift+k]
			if row[shift+k] > row[big] {
				big = shift + k
			}
		}
		row[big] += 1<<14 - total // the weights sum to one exactly
	}
	return t
}
