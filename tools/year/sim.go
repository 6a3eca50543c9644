package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

// cost is what the mirror's syncs spent: wall time and CPU (this
// process's and its children's, the git commands), photo generation and
// measurement excluded.
type cost struct {
	wall, cpu time.Duration
	// gen is the wall time spent making photos between the syncs: what
	// was not made while the previous sync ran.
	gen time.Duration
	// ahead is the CPU time of the photos made while the syncs ran (taken
	// out of cpu); not in the CSV.
	ahead    time.Duration
	syncs    int
	articles int
	images   int
	failures int
}

func (c *cost) add(d cost) {
	c.wall += d.wall
	c.cpu += d.cpu
	c.gen += d.gen
	c.ahead += d.ahead
	c.syncs += d.syncs
	c.articles += d.articles
	c.images += d.images
	c.failures += d.failures
}

// run simulates o.days and prints a row every o.month days and at the end.
func run(ctx context.Context, o options, w io.Writer) error {
	if o.days <= 0 || o.syncsPerDay <= 0 || o.rate <= 0 || o.month <= 0 {
		return errors.New("days, syncs, rate and month must be positive")
	}
	out, cleanup, err := outDir(o.out)
	if err != nil {
		return err
	}
	defer cleanup()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	src := &source{seed: o.seed, photos: newPhotoCache(), base: "http://" + ln.Addr().String(), byPath: map[string]int{}}
	srv := &http.Server{Handler: src, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	cfg, err := config.Parse("year.yaml", []byte(yearConfig(ln.Addr().String(), out, o)))
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	sink, err := createCSV(o.csv)
	if err != nil {
		return err
	}
	defer sink.close()
	y, err := startYear(cfg, src, o)
	if err != nil {
		return err
	}
	defer y.ahead.stop()
	var rows []row
	printHeader(w, o)
	var month, total cost
	month.gen = y.paint
	rowN := 0
	for day := 1; day <= o.days; day++ {
		for range o.syncsPerDay {
			c, err := y.syncOnce(ctx)
			if err != nil {
				return err
			}
			month.add(c)
		}
		if day%o.month == 0 || day == o.days {
			rowN++
			last := day == o.days
			clone := last || o.cloneEvery > 0 && rowN%o.cloneEvery == 0
			r, err := measure(ctx, out, day, clone, o.full || last && o.fullLast)
			if err != nil {
				return err
			}
			r.cost = month
			total.add(month)
			month = cost{}
			rows = append(rows, r)
			printRow(w, r)
			if err := sink.add(r); err != nil {
				return err
			}
		}
	}
	printExtrapolation(w, rows, o)
	printPhotoCost(w, total, y.ahead.overlap)
	return writeOutputs(o, rows)
}

// year is the simulation's state between two syncs: the clock, and the
// stories of the next sync, planned, their photos being made.
type year struct {
	cfg     *config.Config
	src     *source
	o       options
	step    time.Duration
	clock   time.Time
	ahead   *ahead
	planned []fakenews.CorpusStory // the next sync's stories
	photos  *batch                 // their photos
	paint   time.Duration          // painting the scenes, at the start
}

// startYear paints the scenes and plans the first sync.
func startYear(cfg *config.Config, src *source, o options) (*year, error) {
	y := &year{cfg: cfg, src: src, o: o, step: 24 * time.Hour / time.Duration(o.syncsPerDay), clock: start}
	t0 := time.Now()
	if err := src.photos.paintScenes(); err != nil {
		return nil, err
	}
	y.paint = time.Since(t0)
	var err error
	if y.ahead, err = newAhead(src.photos); err != nil {
		fmt.Fprintln(os.Stderr, "year:", err)
	}
	y.plan()
	return y, nil
}

// plan plans the stories of the sync after the clock and starts on their
// photos.
func (y *year) plan() {
	y.planned = y.src.plan(y.clock, y.clock.Add(y.step), y.o.rate, y.o.images)
	y.photos = y.ahead.start(y.src.photoSeeds(y.planned))
}

// syncOnce publishes the planned stories, waits for what is left of their
// photos, plans the next sync (its photos are made while this one runs),
// moves the clock on and runs one sync.
func (y *year) syncOnce(ctx context.Context) (cost, error) {
	var c cost
	y.src.add(y.planned)
	photos := y.photos
	t0 := time.Now()
	if err := y.ahead.finish(photos); err != nil {
		return c, fmt.Errorf("photos: %w", err)
	}
	c.gen = time.Since(t0)
	y.clock = y.clock.Add(y.step)
	y.plan()
	to := y.clock
	y.src.setNow(to)
	cpu0, ahead0, wall0 := cpuTime(), y.ahead.cpuTime(), time.Now()
	rep, err := mirror.Sync(ctx, y.cfg, mirror.Deps{Now: func() time.Time { return to }, Log: slog.New(slog.DiscardHandler)})
	c.wall, c.ahead = time.Since(wall0), y.ahead.cpuTime()-ahead0
	c.cpu = cpuTime() - cpu0 - c.ahead
	y.src.photos.forget(photos.seeds)
	if err != nil {
		return c, fmt.Errorf("sync at %s: %w", to.Format(time.DateTime), err)
	}
	c.syncs, c.articles, c.failures = 1, rep.Articles, len(rep.Failures)
	for _, n := range rep.Images {
		c.images += n.Localized
	}
	if len(rep.Failures) > 0 {
		fmt.Fprintf(os.Stderr, "year: %s: %d failures, first: %v\n", to.Format(time.DateTime), len(rep.Failures), rep.Failures[0])
	}
	return c, nil
}

// yearConfig is the corpus configuration with images localised or not
// (within o's image budget, the defaults where it is 0) and
// publish.history set to o.history unless it is empty; publish.keep is
// the default, 500.
func yearConfig(addr, out string, o options) string {
	cfg := fakenews.CorpusConfig(addr, out)
	if o.images {
		img := "localize: true"
		if o.maxWidth > 0 {
			img += ", max_width: " + strconv.Itoa(o.maxWidth)
		}
		if o.quality > 0 {
			img += ", jpeg_quality: " + strconv.Itoa(o.quality)
		}
		cfg = strings.Replace(cfg, "    prefix: S\n", "    prefix: S\n    images: {"+img+"}\n", 1)
	}
	if o.history != "" {
		cfg += "publish:\n  history: " + strconv.Quote(o.history) + "\n"
	}
	return cfg
}

func outDir(dir string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, os.MkdirAll(dir, 0o755)
	}
	tmp, err := os.MkdirTemp("", "year-mirror-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// cpuTime is the user + system CPU time of this process and of its
// children that have ended (the git commands).
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}
