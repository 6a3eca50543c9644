// Command pipeline runs every article of a benchmark corpus (tools/corpus)
// through mirror.Sync, the code path of "newsmirror sync", over loopback,
// and, in the same run over the same bytes, the floor: x/net/html
// tokenising only. It prints articles/s, MB/s, peak RSS, allocations per
// article and the ratio to the floor.
//
//	go run ./tools/corpus -n 10000 -seed 1 -out /tmp/corpus
//	go run ./tools/pipeline -corpus /tmp/corpus -workers 2
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"golang.org/x/net/html"
)

func main() {
	dir := flag.String("corpus", "", "`folder` written by tools/corpus")
	workers := flag.Int("workers", runtime.NumCPU(), "articles processed at once (fetch.workers)")
	cpuprof := flag.String("cpuprofile", "", "write a CPU profile of the sync to `file`")
	memprof := flag.String("memprofile", "", "write a heap profile, taken after the sync, to `file`")
	keep := flag.String("out", "", "mirror into `folder` (kept); default a temporary folder, removed")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "pipeline: -corpus is required")
		os.Exit(2)
	}
	if err := run(*dir, *workers, profiles{cpu: *cpuprof, mem: *memprof}, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		os.Exit(1)
	}
}

// profiles are the files to write profiles to; "" for none.
type profiles struct{ cpu, mem string }

func run(dir string, workers int, prof profiles, out string) error {
	pages, bytes, err := listPages(filepath.Join(dir, fakenews.CorpusDir))
	if err != nil {
		return err
	}
	if out == "" {
		tmp, err := os.MkdirTemp("", "bench-mirror-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		out = tmp
	}
	s, err := syncCorpus(dir, out, workers, prof)
	if err != nil {
		return err
	}
	floor, err := tokenise(pages, workers)
	if err != nil {
		return err
	}
	report(s, floor, len(pages), bytes, workers)
	return nil
}

// syncStats is what one Sync of the corpus measured.
type syncStats struct {
	articles, failures int
	articlesTime       time.Duration // feeds read and every article mirrored
	publishTime        time.Duration // indexes rebuilt and the git commit
	mallocs, allocated uint64
	peakRSS            int64
	// articlesCPU is the process's user + system CPU time over the
	// articles phase (the in-process loopback server included).
	articlesCPU time.Duration
}

func syncCorpus(dir, out string, workers int, prof profiles) (syncStats, error) {
	var s syncStats
	addr, stop, err := fakenews.ServeCorpus(dir, "127.0.0.1:0")
	if err != nil {
		return s, err
	}
	defer stop()
	cfg, err := config.Parse("bench.yaml", []byte(fakenews.CorpusConfig(addr, out)))
	if err != nil {
		return s, err
	}
	cfg.Fetch.Workers = workers
	if prof.cpu != "" {
		f, err := os.Create(prof.cpu)
		if err != nil {
			return s, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return s, err
		}
		defer pprof.StopCPUProfile()
	}
	var mu sync.Mutex
	var lastDone time.Time
	var lastCPU time.Duration
	progress := func(p mirror.Progress) {
		mu.Lock()
		lastDone, lastCPU = time.Now(), cpuTime()
		mu.Unlock()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, startCPU := time.Now(), cpuTime()
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Progress: progress})
	end := time.Now()
	runtime.ReadMemStats(&after)
	if err != nil {
		return s, err
	}
	if err := writeHeap(prof.mem); err != nil {
		return s, err
	}
	s.articles, s.failures = len(rep.Written), len(rep.Failures)
	for _, f := range rep.Failures {
		fmt.Fprintln(os.Stderr, "failed:", f)
		break
	}
	s.articlesTime, s.publishTime = lastDone.Sub(start), end.Sub(lastDone)
	s.articlesCPU = lastCPU - startCPU
	s.mallocs, s.allocated = after.Mallocs-before.Mallocs, after.TotalAlloc-before.TotalAlloc
	s.peakRSS = peakRSS()
	return s, nil
}

// writeHeap writes the heap profile to path, if any.
func writeHeap(path string) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("heap").WriteTo(f, 0)
}

// listPages lists the corpus's article pages and their total size.
func listPages(site string) ([]string, int64, error) {
	var pages []string
	var total int64
	err := filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		pages = append(pages, p)
		total += info.Size()
		return nil
	})
	return pages, total, err
}

// tokenise reads and tokenises every page with x/net/html on workers
// goroutines: the floor no HTML pipeline can beat.
func tokenise(pages []string, workers int) (time.Duration, error) {
	start := time.Now()
	queue := make(chan string)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for p := range queue {
				if err := tokeniseFile(p); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for _, p := range pages {
		queue <- p
	}
	close(queue)
	wg.Wait()
	close(errs)
	return time.Since(start), <-errs
}

func tokeniseFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	z := html.NewTokenizer(f)
	for z.Next() != html.ErrorToken {
		z.Token()
	}
	if err := z.Err(); err.Error() != "EOF" {
		return fmt.Errorf("tokenise %s: %w", path, err)
	}
	return nil
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set size in bytes (VmHWM).
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			return kb << 10
		}
	}
	return -1
}

func report(s syncStats, floor time.Duration, pages int, bytes int64, workers int) {
	mb := float64(bytes) / 1e6
	rate := float64(s.articles) / s.articlesTime.Seconds()
	floorRate := float64(pages) / floor.Seconds()
	fmt.Printf("corpus: %d pages, %.1f MB (%.1f KB average); workers %d, GOMAXPROCS %d\n",
		pages, mb, float64(bytes)/float64(pages)/1024, workers, runtime.GOMAXPROCS(0))
	fmt.Printf("sync:   %d articles mirrored, %d failed\n", s.articles, s.failures)
	fmt.Printf("  articles (fetch, extract, clean, render, QR, write, state): %v  %.0f articles/s  %.1f MB/s\n",
		s.articlesTime.Round(time.Millisecond), rate, mb/s.articlesTime.Seconds())
	fmt.Printf("  CPU per article (process user + system over the articles phase, loopback server included): %.2f ms\n",
		float64(s.articlesCPU.Microseconds())/1000/float64(max(s.articles, 1)))
	fmt.Printf("  publish (indexes + git commit): %v\n", s.publishTime.Round(time.Millisecond))
	total := s.articlesTime + s.publishTime
	fmt.Printf("  total: %v  %.0f articles/s\n", total.Round(time.Millisecond), float64(s.articles)/total.Seconds())
	fmt.Printf("  peak RSS %.1f MiB; %.0f allocations and %.1f KB allocated per article\n",
		float64(s.peakRSS)/(1<<20), float64(s.mallocs)/float64(max(s.articles, 1)), float64(s.allocated)/float64(max(s.articles, 1))/1024)
	fmt.Printf("floor:  x/net/html tokenise only: %v  %.0f articles/s  %.1f MB/s\n", floor.Round(time.Millisecond), floorRate, mb/floor.Seconds())
	fmt.Printf("ratio:  sync articles/s / floor = %.3f (1/%.1f); vs reference 95 articles/s = %.1fx\n",
		rate/floorRate, floorRate/rate, rate/95)
}
