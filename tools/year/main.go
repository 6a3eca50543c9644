// Command year simulates days of the reference mirror's publishing against
// a loopback news site and measures what the mirror's repository costs as
// it grows: 9 channels, about 150 new articles a day (10–80 KB pages, 1–3
// photos each, localised), publish.keep 500, one sync every two hours. It
// drives mirror.Sync in-process on a simulated clock (it never sleeps) and
// prints one row per simulated month: packed history, working tree, what
// HEAD's objects and the whole history take on disk, a fresh "git clone
// --depth 1" every -clone rows, and the run's own cost (-cpuprofile
// profiles it).
//
//	go run ./tools/year -days 365 -chart docs/year.png
//	go run ./tools/year -days 60 -images=false
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

func main() {
	var o options
	flag.IntVar(&o.days, "days", 365, "simulated `days`")
	flag.Uint64Var(&o.seed, "seed", 1, "`seed` of the articles and photos")
	flag.Float64Var(&o.rate, "rate", 150, "new articles a `day`, over 9 channels")
	flag.BoolVar(&o.images, "images", true, "articles carry 1–3 photos, localised into the mirror")
	flag.IntVar(&o.maxWidth, "max-width", 0, "images.max_width of the mirror (`px`); 0 keeps the default, 1,000")
	flag.IntVar(&o.quality, "quality", 0, "images.jpeg_quality of the mirror (1–100); 0 keeps the default, 75")
	flag.StringVar(&o.history, "history", "", "publish.history of the mirror (`window`: 90d, 500 commits); empty keeps all history")
	flag.IntVar(&o.syncsPerDay, "syncs", 12, "syncs (commits) a day")
	flag.IntVar(&o.month, "month", 30, "simulated days between two measured rows")
	flag.BoolVar(&o.full, "full", false, "measure a full clone (git clone --bare) every row (costly on large mirrors)")
	flag.BoolVar(&o.fullLast, "full-last", false, "measure a full clone on the last row")
	flag.IntVar(&o.cloneEvery, "clone", 3, "measure a real depth-1 clone every `n` rows and on the last (0: the last only); the other rows give what HEAD's objects take on disk")
	flag.StringVar(&o.out, "out", "", "mirror into `folder` (kept); default a temporary folder, removed")
	flag.StringVar(&o.chart, "chart", "", "write a PNG chart of sizes against months to `file`")
	flag.StringVar(&o.csv, "csv", "", "write the rows as CSV to `file`")
	replot := flag.String("replot", "", "draw -chart from a CSV `file` of an earlier run instead of running; several files, comma-separated, draw one chart comparing them")
	names := flag.String("names", "", "the runs' `names` on a chart of several CSV files, comma-separated")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to `file`")
	pairDir := flag.String("pair", "", "write a before/after pair of one simulated photo into `folder` (the original and what each image budget stores), print their sizes and their difference at phone width, and run nothing")
	measureDir := flag.String("measure", "", "measure the mirror in `folder` (a run's -out, stopped or finished) as one row at day -days, and run nothing")
	flag.Parse()
	if *cpuprofile != "" {
		stop, err := startProfile(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "year:", err)
			os.Exit(1)
		}
		defer stop()
	}
	if *pairDir != "" {
		if err := writePair(*pairDir, o.seed, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "year:", err)
			os.Exit(1)
		}
		return
	}
	if *measureDir != "" {
		r, err := measure(context.Background(), *measureDir, o.days, o.cloneEvery > 0, o.full)
		if err != nil {
			fmt.Fprintln(os.Stderr, "year:", err)
			os.Exit(1)
		}
		printHeader(os.Stdout, o)
		printRow(os.Stdout, r)
		sink, err := createCSV(o.csv)
		if err == nil {
			err = errors.Join(sink.add(r), sink.close())
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "year:", err)
			os.Exit(1)
		}
		return
	}
	if *replot != "" {
		replotOne := func() error { return replotCSV(*replot, o) }
		if strings.Contains(*replot, ",") {
			replotOne = func() error { return replotRuns(*replot, *names, o.chart) }
		}
		if err := replotOne(); err != nil {
			fmt.Fprintln(os.Stderr, "year:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "year:", err)
		os.Exit(1)
	}
}

// startProfile starts a CPU profile into path; stop ends and writes it.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// options are the command's flags.
type options struct {
	days, syncsPerDay, month int
	cloneEvery               int
	maxWidth, quality        int // the image budget; 0: the defaults
	seed                     uint64
	rate                     float64
	images, full, fullLast   bool
	out, chart, csv, history string
}

// fillDays is when publish.keep (500 pages a channel) fills the tree.
func (o options) fillDays() float64 { return 500 * 9 / o.rate }

// title names the run on its chart.
func (o options) title() string {
	t := "NO IMAGES"
	if o.images {
		t = "IMAGES LOCALISED"
		if o.maxWidth > 0 {
			t += fmt.Sprintf(" %d PX", o.maxWidth)
		}
		if o.quality > 0 {
			t += fmt.Sprintf(" Q%d", o.quality)
		}
	}
	if o.history != "" {
		t += "  HISTORY " + strings.ToUpper(o.history)
	}
	return t
}

// replotCSV prints the rows of an earlier run's CSV and draws o.chart.
func replotCSV(path string, o options) error {
	rows, err := readCSV(path)
	if err != nil {
		return err
	}
	printHeader(os.Stdout, o)
	for _, r := range rows {
		printRow(os.Stdout, r)
	}
	printExtrapolation(os.Stdout, rows, o)
	return writeOutputs(options{chart: o.chart, images: o.images, rate: o.rate}, rows)
}

// start is the simulated first day.
var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
