package main

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"strings"
)

// namedRun is one run's rows and its name on a chart.
type namedRun struct {
	name string
	rows []row
}

// runColours tell the runs of a comparison apart.
var runColours = []color.RGBA{{200, 40, 40, 255}, {30, 90, 200, 255}, {40, 150, 60, 255}, {230, 140, 20, 255}}

// compareSeries are drawn for every run: packed history solid, depth-1
// clone (measured, or HEAD's objects on disk) dashed, tree dotted.
var compareSeries = []struct {
	name string
	dash int
	v    func(row) int64
}{
	{"PACK", 0, func(r row) int64 { return r.pack + r.loose }},
	{"DEPTH 1", 8, func(r row) int64 { return cmp.Or(r.shallow, r.head) }},
	{"TREE", 2, func(r row) int64 { return r.tree }},
}

// compareChart draws the runs' sizes against months on one chart, with
// the goals of 1 GB packed and 400 MB depth-1 as grey lines.
func compareChart(runs []namedRun) ([]byte, error) {
	pal := color.Palette{white, grey, black}
	for _, c := range runColours {
		pal = append(pal, c)
	}
	img := image.NewPaletted(image.Rect(0, 0, chartW, chartH), pal)
	maxMB, lastDay := 1100.0, 30
	for _, r := range runs {
		for _, row := range r.rows {
			lastDay = max(lastDay, row.day)
			for _, s := range compareSeries {
				maxMB = max(maxMB, mbf(s.v(row)))
			}
		}
	}
	step := niceStep(maxMB / 5)
	top := step * float64(int(maxMB/step)+1)
	months := min(12, (lastDay+29)/30+1)
	x := func(day int) int { return padL + day*(chartW-padL-padR)/(months*30) }
	y := func(v float64) int { return chartH - padB - int(v/top*float64(chartH-padT-padB)) }
	for v := 0.0; v <= top+step/2; v += step {
		hline(img, padL, chartW-padR, y(v), grey, 1)
		text(img, padL-6-textWidth(label(v)), y(v)-2, label(v), black)
	}
	for _, g := range []struct {
		mb   float64
		name string
	}{{1000, "1 GB: PACK GOAL"}, {400, "400 MB: DEPTH 1 GOAL"}} {
		line(img, padL, y(g.mb), chartW-padR, y(g.mb), black, 3)
		text(img, chartW-padR-textWidth(g.name), y(g.mb)-9, g.name, black)
	}
	for m := 0; m <= months; m++ {
		vline(img, x(m*30), chartH-padB, chartH-padB+4, black)
		text(img, x(m*30)-textWidth(strconv.Itoa(m))/2, chartH-padB+8, strconv.Itoa(m), black)
	}
	text(img, chartW/2-textWidth("MONTHS")/2, chartH-padB+22, "MONTHS", black)
	text(img, 8, padT-22, "MB", black)
	lx := padL + 10
	for i, r := range runs {
		c := runColours[i%len(runColours)]
		for _, s := range compareSeries {
			px, py := x(0), y(0)
			for _, row := range r.rows {
				if s.v(row) == 0 {
					continue // not measured
				}
				nx, ny := x(row.day), y(mbf(s.v(row)))
				line(img, px, py, nx, ny, c, s.dash)
				px, py = nx, ny
			}
		}
		hline(img, lx, lx+14, padT-12, c, 3)
		text(img, lx+18, padT-14, r.name, black)
		lx += 18 + textWidth(r.name) + 16
	}
	legend := "SOLID: PACK   DASHED: DEPTH 1   DOTTED: TREE"
	text(img, chartW-padR-textWidth(legend), padT-30, legend, black)
	vline(img, padL, padT, chartH-padB, black)
	hline(img, padL, chartW-padR, chartH-padB, black, 1)
	var buf bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	return buf.Bytes(), err
}

// replotRuns draws one chart of several runs' CSVs (comma-separated
// paths) named by names (comma-separated, in the same order).
func replotRuns(paths, names, chart string) error {
	ps, ns := strings.Split(paths, ","), strings.Split(names, ",")
	if len(ns) != len(ps) {
		return fmt.Errorf("%d CSV files but %d names", len(ps), len(ns))
	}
	var runs []namedRun
	for i, p := range ps {
		rows, err := readCSV(p)
		if err != nil {
			return err
		}
		runs = append(runs, namedRun{strings.ToUpper(ns[i]), rows})
	}
	b, err := compareChart(runs)
	if err != nil {
		return err
	}
	if chart == "" {
		_, err = os.Stdout.Write(b)
		return err
	}
	return writeAtomic(chart, b)
}
