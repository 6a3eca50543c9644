package main

import (
	"bytes"
	"cmp"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
)

// Chart geometry.
const (
	chartW, chartH = 640, 360
	padL, padR     = 60, 20
	padT, padB     = 40, 40
)

var (
	white = color.RGBA{255, 255, 255, 255}
	grey  = color.RGBA{200, 200, 200, 255}
	black = color.RGBA{40, 40, 40, 255}
	// series colours: packed history, full clone, depth-1 clone, tree.
	colPack    = color.RGBA{200, 40, 40, 255}
	colFull    = color.RGBA{230, 140, 20, 255}
	colShallow = color.RGBA{30, 90, 200, 255}
	colTree    = color.RGBA{40, 150, 60, 255}
)

// chartPNG draws sizes (MB) against months (rows every monthDays days):
// packed history, full clone, depth-1 clone and tree, with the packed
// history's extrapolation to month 12 dotted.
func chartPNG(rows []row, p projection, title string) ([]byte, error) {
	img := image.NewPaletted(image.Rect(0, 0, chartW, chartH), color.Palette{white, grey, black, colPack, colFull, colShallow, colTree})
	maxMB := 1.0
	for _, r := range rows {
		maxMB = max(maxMB, mbf(r.pack+r.loose), mbf(r.full), mbf(cmp.Or(r.shallow, r.head)), mbf(r.tree))
	}
	maxMB = max(maxMB, mbf(p.pack), mbf(p.full))
	step := niceStep(maxMB / 5)
	top := step * float64(int(maxMB/step)+1)
	x := func(day int) int { return padL + day*(chartW-padL-padR)/365 }
	y := func(v float64) int { return chartH - padB - int(v/top*float64(chartH-padT-padB)) }
	for v := 0.0; v <= top+step/2; v += step {
		hline(img, padL, chartW-padR, y(v), grey, 1)
		text(img, padL-6-textWidth(label(v)), y(v)-2, label(v), black)
	}
	for m := 0; m <= 12; m++ {
		d := m * 365 / 12
		vline(img, x(d), chartH-padB, chartH-padB+4, black)
		text(img, x(d)-textWidth(strconv.Itoa(m))/2, chartH-padB+8, strconv.Itoa(m), black)
	}
	text(img, chartW/2-textWidth("MONTHS")/2, chartH-padB+22, "MONTHS", black)
	text(img, 8, padT-22, "MB", black)
	text(img, chartW-padR-textWidth(title), chartH-padB+22, title, black)
	series := []struct {
		name string
		c    color.RGBA
		v    func(row) int64
	}{
		{"PACK", colPack, func(r row) int64 { return r.pack + r.loose }},
		{"FULL CLONE", colFull, func(r row) int64 { return r.full }},
		{"DEPTH 1 CLONE", colShallow, func(r row) int64 { return cmp.Or(r.shallow, r.head) }},
		{"TREE", colTree, func(r row) int64 { return r.tree }},
	}
	lx := padL + 10
	for _, s := range series {
		px, py := x(0), y(0)
		for _, r := range rows {
			if s.v(r) == 0 {
				continue
			}
			nx, ny := x(r.day), y(mbf(s.v(r)))
			line(img, px, py, nx, ny, s.c, 0)
			px, py = nx, ny
		}
		hline(img, lx, lx+14, padT-14, s.c, 3)
		text(img, lx+18, padT-16, s.name, black)
		lx += 18 + textWidth(s.name) + 16
	}
	if p.days > 0 && len(rows) > 0 {
		last := rows[len(rows)-1]
		line(img, x(last.day), y(mbf(last.pack+last.loose)), x(p.days), y(mbf(p.pack)), colPack, 6)
		if p.full > 0 {
			line(img, x(last.day), y(mbf(last.full)), x(p.days), y(mbf(p.full)), colFull, 6)
		}
		if p.shallow > 0 {
			line(img, x(last.day), y(mbf(last.shallow)), x(p.days), y(mbf(p.shallow)), colShallow, 6)
		}
		text(img, padL+8, padT+4, "DOTTED: EXTRAPOLATED", black)
	}
	vline(img, padL, padT, chartH-padB, black)
	hline(img, padL, chartW-padR, chartH-padB, black, 1)
	var buf bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	return buf.Bytes(), err
}

func mbf(n int64) float64 { return float64(n) / 1e6 }

func label(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// niceStep rounds s up to 1, 2 or 5 times a power of ten.
func niceStep(s float64) float64 {
	p := 1.0
	for p*10 <= s {
		p *= 10
	}
	for p > s*10 {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= s {
			return m * p
		}
	}
	return 10 * p
}

func hline(img *image.Paletted, x0, x1, y int, c color.Color, thick int) {
	for t := range thick {
		for x := x0; x <= x1; x++ {
			img.Set(x, y+t, c)
		}
	}
}

func vline(img *image.Paletted, x, y0, y1 int, c color.Color) {
	for y := y0; y <= y1; y++ {
		img.Set(x, y, c)
	}
}

// line draws a 2-pixel line; dash > 0 draws every other run of dash pixels.
func line(img *image.Paletted, x0, y0, x1, y1 int, c color.Color, dash int) {
	n := max(abs(x1-x0), abs(y1-y0), 1)
	for i := 0; i <= n; i++ {
		if dash > 0 && (i/dash)%2 == 1 {
			continue
		}
		x, y := x0+(x1-x0)*i/n, y0+(y1-y0)*i/n
		img.Set(x, y, c)
		img.Set(x, y+1, c)
		img.Set(x+1, y, c)
	}
}

func abs(v int) int { return max(v, -v) }

// glyphs is a 3×5 pixel font for the chart's labels.
var glyphs = map[rune]string{
	'0': "111101101101111", '1': "010110010010111", '2': "111001111100111", '3': "111001111001111",
	'4': "101101111001001", '5': "111100111001111", '6': "111100111101111", '7': "111001001001001",
	'8': "111101111101111", '9': "111101111001111", '.': "000000000000010", ':': "000010000010000",
	'A': "010101111101101", 'B': "110101110101110", 'C': "111100100100111", 'D': "110101101101110",
	'E': "111100110100111", 'F': "111100110100100", 'H': "101101111101101", 'K': "101101110101101",
	'L': "100100100100111", 'M': "101111111101101", 'N': "110101101101101", 'O': "111101101101111",
	'P': "111101111100100", 'R': "110101110101101", 'S': "111100111001111", 'T': "111010010010010",
	'U': "101101101101111", 'X': "101101010101101", 'Y': "101101010010010", 'I': "111010010010111",
	'G': "111100101101111", 'W': "101101111111101", 'V': "101101101101010",
}

// scale is the font's pixel size.
const scale = 2

func textWidth(s string) int { return len([]rune(s)) * 4 * scale }

func text(img *image.Paletted, x, y int, s string, c color.Color) {
	for i, r := range strings.ToUpper(s) {
		g := glyphs[r]
		for p, bit := range g {
			if bit != '1' {
				continue
			}
			gx, gy := x+i*4*scale+(p%3)*scale, y+(p/3)*scale
			for dy := range scale {
				for dx := range scale {
					img.Set(gx+dx, gy+dy, c)
				}
			}
		}
	}
}
