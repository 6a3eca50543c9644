package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

func printHeader(w io.Writer, o options) {
	img := "localised"
	if o.images && (o.maxWidth > 0 || o.quality > 0) {
		img = fmt.Sprintf("localised (max_width %d, jpeg_quality %d; 0: default)", o.maxWidth, o.quality)
	}
	if !o.images {
		img = "none"
	}
	hist := "all"
	if o.history != "" {
		hist = o.history
	}
	fmt.Fprintf(w, "# %d days, %.0f articles/day over 9 channels, %d syncs/day, images %s, seed %d, publish.keep 500, publish.history %s\n",
		o.days, o.rate, o.syncsPerDay, img, o.seed, hist)
	fmt.Fprintln(w, "| day | pack (as left) | loose | history on disk | tree (files) | HEAD on disk | clone --depth 1 (time) | full clone (time) | articles | images | syncs: wall / CPU | photo gen | load |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
}

func printRow(w io.Writer, r row) {
	measured := func(n int64, d time.Duration) string {
		if n == 0 {
			return "—"
		}
		return fmt.Sprintf("%s (%s)", mb(n), secs(d))
	}
	fmt.Fprintf(w, "| %d | %s | %s | %s | %s (%d) | %s | %s | %s | %d | %d | %s / %s | %s | %.1f |\n",
		r.day, mb(r.pack), mb(r.loose), mb(r.history), mb(r.tree), r.files, mb(r.head), measured(r.shallow, r.shallowTime),
		measured(r.full, r.fullTime), r.cost.articles, r.cost.images, secs(r.cost.wall), secs(r.cost.cpu), secs(r.cost.gen), r.load)
}

func mb(n int64) string           { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

// projection is a year extrapolated from the measured rows.
type projection struct {
	days                  int
	pack, full, shallow   int64
	perDay                int64 // history growth a day
	wall, cpu             time.Duration
	measuredDays, fromDay int
}

// extrapolate projects the rows to days: history grows linearly at the
// rate measured after the tree filled (publish.keep reached, or the last
// half of the run when it never did); the depth-1 clone and the tree stay
// at their last size once publish.keep filled the tree after fillDays (a
// run that stopped earlier is scaled up to it); the run's cost
// scales with the days at the measured per-day cost.
func extrapolate(rows []row, days int, fillDays float64) (projection, bool) {
	if len(rows) == 0 {
		return projection{}, false
	}
	last := rows[len(rows)-1]
	// The first row still holds the first commits' fixed costs: measure
	// from the second when there are three or more, from an empty
	// repository (day 0) when there is one.
	first := row{}
	switch {
	case len(rows) == 2:
		first = rows[0]
	case len(rows) > 2:
		first = rows[1]
	}
	if last.day == first.day {
		return projection{}, false
	}
	growth := func(a, b int64) int64 { return (b - a) / int64(last.day-first.day) }
	p := projection{days: days, measuredDays: last.day, fromDay: first.day}
	p.perDay = growth(first.pack+first.loose, last.pack+last.loose)
	p.pack = last.pack + last.loose + p.perDay*int64(days-last.day)
	switch {
	case last.full > 0 && (first.full > 0 || first.day == 0):
		p.full = last.full + growth(first.full, last.full)*int64(days-last.day)
	case last.full > 0:
		// Measured on the last row only: a full clone stays in the same
		// ratio to the history it packs.
		p.full = int64(float64(p.pack) * float64(last.full) / float64(last.pack+last.loose))
	}
	p.shallow = last.shallow
	if d := float64(last.day); d < fillDays {
		// The tree grows until publish.keep fills it, then stays flat.
		p.shallow = int64(float64(last.shallow) * fillDays / d)
	}
	var c cost
	for _, r := range rows {
		c.add(r.cost)
	}
	p.wall = c.wall * time.Duration(days) / time.Duration(last.day)
	p.cpu = c.cpu * time.Duration(days) / time.Duration(last.day)
	return p, true
}

func printExtrapolation(w io.Writer, rows []row, o options) {
	if len(rows) == 0 || rows[len(rows)-1].day >= 365 {
		return
	}
	p, ok := extrapolate(rows, 365, o.fillDays())
	if !ok {
		fmt.Fprintln(w, "# too few rows to extrapolate to a year")
		return
	}
	fmt.Fprintf(w, "# extrapolated to day 365 from days %d–%d (linear history growth %s/day; depth-1 clone flat): pack ≈ %s, full clone ≈ %s, clone --depth 1 ≈ %s, syncs ≈ %s wall / %s CPU at this run's speed\n",
		p.fromDay, p.measuredDays, mb(p.perDay), mb(p.pack), mb(p.full), mb(p.shallow), secs(p.wall), secs(p.cpu))
}

// printPhotoCost says what making the photos cost the run.
func printPhotoCost(w io.Writer, c cost, overlap bool) {
	how := "made between the syncs only"
	if overlap {
		how = fmt.Sprintf("made while the previous sync ran: %s CPU (taken out of the syncs' CPU)", secs(c.ahead))
	}
	fmt.Fprintf(w, "# photos: %s waited for between the syncs; the rest %s\n", secs(c.gen), how)
}

func writeOutputs(o options, rows []row) error {
	if o.chart == "" {
		return nil
	}
	p, _ := extrapolate(rows, 365, o.fillDays())
	b, err := chartPNG(rows, p, o.title())
	if err != nil {
		return err
	}
	return writeAtomic(o.chart, b)
}

// csvRows writes rows as CSV as they are measured, so that a run stopped
// early keeps what it measured; a nil *csvRows writes nothing.
type csvRows struct {
	f *os.File
	w *csv.Writer
}

func createCSV(path string) (*csvRows, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	c := &csvRows{f: f, w: csv.NewWriter(f)}
	c.w.Write([]string{"day", "pack", "loose", "tree", "files", "shallow", "shallow_s", "full", "full_s", "articles", "images", "wall_s", "cpu_s", "gen_s", "head", "history", "load"})
	c.w.Flush()
	return c, c.w.Error()
}

func (c *csvRows) add(r row) error {
	if c == nil {
		return nil
	}
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	s := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) }
	c.w.Write([]string{strconv.Itoa(r.day), i(r.pack), i(r.loose), i(r.tree), strconv.Itoa(r.files), i(r.shallow), s(r.shallowTime),
		i(r.full), s(r.fullTime), strconv.Itoa(r.cost.articles), strconv.Itoa(r.cost.images), s(r.cost.wall), s(r.cost.cpu), s(r.cost.gen),
		i(r.head), i(r.history), strconv.FormatFloat(r.load, 'f', 2, 64)})
	c.w.Flush()
	return c.w.Error()
}

func (c *csvRows) close() error {
	if c == nil {
		return nil
	}
	return c.f.Close()
}

// readCSV reads rows written by writeCSV.
func readCSV(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var rows []row
	for _, rec := range recs[min(1, len(recs)):] {
		if len(rec) != 14 && len(rec) != 17 {
			return nil, fmt.Errorf("%s: %d fields, want 17 (or 14, from before the disk usage columns)", path, len(rec))
		}
		i := func(k int) int64 { n, _ := strconv.ParseInt(rec[k], 10, 64); return n }
		s := func(k int) time.Duration {
			f, _ := strconv.ParseFloat(rec[k], 64)
			return time.Duration(f * float64(time.Second))
		}
		rows = append(rows, row{day: int(i(0)), pack: i(1), loose: i(2), tree: i(3), files: int(i(4)), shallow: i(5), shallowTime: s(6),
			full: i(7), fullTime: s(8), cost: cost{articles: int(i(9)), images: int(i(10)), wall: s(11), cpu: s(12), gen: s(13)}})
		if len(rec) == 17 {
			r := &rows[len(rows)-1]
			r.head, r.history = i(14), i(15)
			r.load, _ = strconv.ParseFloat(rec[16], 64)
		}
	}
	return rows, nil
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
