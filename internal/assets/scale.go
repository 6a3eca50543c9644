package assets

import (
	"image"
	"math"
)

// plane is one channel of an image: w×h samples, stride apart by row.
type plane struct {
	pix          []byte
	w, h, stride int
}

// scaleYCbCr scales a YCbCr image to w×h, keeping its chroma subsampling.
func scaleYCbCr(src *image.YCbCr, w, h int) *image.YCbCr {
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), src.SubsampleRatio)
	r := src.Bounds()
	scalePlane(plane{src.Y[src.YOffset(r.Min.X, r.Min.Y):], r.Dx(), r.Dy(), src.YStride}, plane{dst.Y, w, h, dst.YStride})
	sw, sh := chromaSize(src)
	dw, dh := chromaSize(dst)
	off := src.COffset(r.Min.X, r.Min.Y)
	scalePlane(plane{src.Cb[off:], sw, sh, src.CStride}, plane{dst.Cb, dw, dh, dst.CStride})
	scalePlane(plane{src.Cr[off:], sw, sh, src.CStride}, plane{dst.Cr, dw, dh, dst.CStride})
	return dst
}

// chromaSize is the size of an image's Cb and Cr planes.
func chromaSize(m *image.YCbCr) (int, int) {
	r := m.Bounds()
	w, h := r.Dx(), r.Dy()
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

// scalePlane resamples src into dst with a triangle (bilinear) filter,
// its support widened by the reduction so that a large reduction averages
// every source sample instead of skipping most: rows first, then columns.
func scalePlane(src, dst plane) {
	xs, ys := weights(src.w, dst.w), weights(src.h, dst.h)
	tmp := make([]float32, dst.w*src.h)
	for y := range src.h {
		row := src.pix[y*src.stride : y*src.stride+src.w]
		out := tmp[y*dst.w : (y+1)*dst.w]
		for x, t := range xs {
			var v float32
			for i, wt := range t.w {
				v += wt * float32(row[t.first+i])
			}
			out[x] = v
		}
	}
	col := make([]float32, dst.w)
	for y, t := range ys {
		clear(col)
		for i, wt := range t.w {
			in := tmp[(t.first+i)*dst.w : (t.first+i+1)*dst.w]
			for x, v := range in {
				col[x] += wt * v
			}
		}
		out := dst.pix[y*dst.stride : y*dst.stride+dst.w]
		for x, v := range col {
			out[x] = uint8(min(max(v+0.5, 0), 255))
		}
	}
}

// taps are the source samples one destination sample averages.
type taps struct {
	first int
	w     []float32
}

// weights are the taps of each of n destination samples over m source
// samples, normalised to sum 1.
func weights(m, n int) []taps {
	ratio := float64(m) / float64(n)
	support := max(ratio, 1)
	out := make([]taps, n)
	for i := range out {
		center := (float64(i)+0.5)*ratio - 0.5
		lo := max(int(math.Ceil(center-support)), 0)
		hi := min(int(math.Floor(center+support)), m-1)
		var ws []float32
		var sum float64
		for j := lo; j <= hi; j++ {
			w := 1 - math.Abs(float64(j)-center)/support
			if w < 0 {
				w = 0
			}
			ws = append(ws, float32(w))
			sum += w
		}
		if sum == 0 { // a destination sample beyond the edge
			lo, ws, sum = min(max(int(math.Round(center)), 0), m-1), []float32{1}, 1
		}
		for k := range ws {
			ws[k] /= float32(sum)
		}
		out[i] = taps{lo, ws}
	}
	return out
}
