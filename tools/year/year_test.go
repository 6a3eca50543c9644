package main

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestShortRunMirrorsEverySyncAndMeasuresTheRepository runs two simulated
// days at a low rate: every sync commits, photos are localised, and every
// size the table reports is measured from the repository.
func TestShortRunMirrorsEverySyncAndMeasuresTheRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git not installed: the run was not checked")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "mirror")
	o := options{days: 2, syncsPerDay: 2, month: 1, seed: 7, rate: 6, images: true, fullLast: true,
		out: out, csv: filepath.Join(dir, "rows.csv"), chart: filepath.Join(dir, "chart.png")}
	var buf bytes.Buffer
	if err := run(context.Background(), o, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := readCSV(o.csv)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want one a day:\n%s", len(rows), buf.String())
	}
	for _, r := range rows {
		if r.pack+r.loose == 0 || r.tree == 0 || r.head == 0 || r.history < r.head || r.cost.syncs != 0 && r.cost.articles == 0 {
			t.Errorf("day %d: a size is zero: %+v", r.day, r)
		}
		if r.cost.images < r.cost.articles {
			t.Errorf("day %d: %d images localised for %d articles, want 1–3 each", r.day, r.cost.images, r.cost.articles)
		}
	}
	if rows[1].full == 0 || rows[0].full != 0 || rows[1].shallow == 0 || rows[0].shallow != 0 {
		t.Errorf("clones measured: full %d, %d bytes, depth 1 %d, %d; want both on the last row only",
			rows[0].full, rows[1].full, rows[0].shallow, rows[1].shallow)
	}
	if r := rows[1]; r.head > r.shallow {
		t.Errorf("HEAD's objects take %d bytes, more than the depth-1 clone that holds them (%d)", r.head, r.shallow)
	}
	if rows[1].tree <= rows[0].tree || rows[1].pack+rows[1].loose <= rows[0].pack+rows[0].loose {
		t.Errorf("the mirror did not grow from day 1 to day 2: %+v → %+v", rows[0], rows[1])
	}
	log, err := exec.Command("git", "-C", out, "log", "--format=%s").Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Split(strings.TrimSpace(string(log)), "\n")); n != 4 {
		t.Errorf("%d commits, want one a sync (4)", n)
	}
	jpgs, _ := filepath.Glob(filepath.Join(out, "assets", "*", "*.jpg"))
	jpgs2, _ := filepath.Glob(filepath.Join(out, "assets", "*.jpg"))
	if len(jpgs)+len(jpgs2) == 0 {
		t.Error("no localised photo in the mirror's assets")
	}
	f, err := os.Open(o.chart)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("chart: %v", err)
	}
}

// TestExtrapolationGrowsHistoryLinearlyAndKeepsTheCloneFlat checks the
// projection a partial run prints.
func TestExtrapolationGrowsHistoryLinearlyAndKeepsTheCloneFlat(t *testing.T) {
	rows := []row{
		{day: 30, pack: 300, shallow: 90, cost: cost{wall: 30 * time.Second}},
		{day: 60, pack: 600, shallow: 100, cost: cost{wall: 30 * time.Second}},
		{day: 90, loose: 100, pack: 800, shallow: 100, cost: cost{wall: 30 * time.Second}},
	}
	p, ok := extrapolate(rows, 360, 30)
	if !ok {
		t.Fatal("no projection from three rows")
	}
	if p.perDay != 10 || p.pack != 900+270*10 {
		t.Errorf("history: %d a day, %d at day 360; want 10 and %d", p.perDay, p.pack, 900+270*10)
	}
	if p.shallow != 100 || p.wall != 360*time.Second {
		t.Errorf("clone %d, wall %s; want 100 and 6m0s", p.shallow, p.wall)
	}
	p, _ = extrapolate(rows[:2], 360, 120)
	if p.shallow != 200 {
		t.Errorf("clone of a tree not yet full (day 60 of 120): %d, want 200", p.shallow)
	}
	p, _ = extrapolate(rows[:1], 360, 30)
	if p.perDay != 10 || p.fromDay != 0 {
		t.Errorf("one row: %d a day from day %d; want 10 from an empty repository (day 0)", p.perDay, p.fromDay)
	}
}

// TestCompareChartDrawsEveryRun draws two runs read back from CSV: each
// run's colour is on the chart, rows not measured are skipped.
func TestCompareChartDrawsEveryRun(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i, growth := range []int64{30e6, 2e6} {
		path := filepath.Join(dir, strconv.Itoa(i)+".csv")
		sink, err := createCSV(path)
		if err != nil {
			t.Fatal(err)
		}
		for day := 15; day <= 60; day += 15 {
			r := row{day: day, pack: growth * int64(day), tree: 10e6 * int64(min(day, 30)), head: 9e6 * int64(min(day, 30))}
			if day == 60 {
				r.shallow = r.head + 1e6
			}
			sink.add(r)
		}
		sink.close()
		paths = append(paths, path)
	}
	chart := filepath.Join(dir, "chart.png")
	if err := replotRuns(strings.Join(paths, ","), "images,no images", chart); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(chart)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	found := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			found[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}]++
		}
	}
	for i := range 2 {
		if found[runColours[i]] < 100 {
			t.Errorf("run %d's colour drawn on %d pixels", i, found[runColours[i]])
		}
	}
	if err := replotRuns(strings.Join(paths, ","), "one name", chart); err == nil {
		t.Error("two files and one name: no error")
	}
}
