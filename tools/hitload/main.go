// Command hitload is the hit counter's load generator: it sends pixel
// requests to one or several "newsmirror serve" on this machine and prints
// requests per second, latency percentiles and each server's memory (from
// its /metrics). It is a benchmark tool, not a test: see BENCHMARKS.md.
//
//	go run ./tools/hitload -base http://127.0.0.1:8080/hit/ -mirror DIR -n 200000
//	go run ./tools/hitload -base http://127.0.0.1:8080/hit/ -random -n 1000000
//	go run ./tools/hitload -base http://127.0.0.1:8081/hit/,http://127.0.0.1:8082/hit/ -mirror DIR
//
// With several bases, the workers are spread over them in turn (one
// counter host per worker), as pages spread over the counter hosts of
// output.pixel_url.
//
// It only targets loopback addresses, and stops after -n requests or -max.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type options struct {
	bases       []string
	mirror      string
	random      bool
	n           int
	concurrency int
	clients     int
	header      string
	max         time.Duration
}

func main() {
	var o options
	base := flag.String("base", "http://127.0.0.1:8080/hit/", "counter `URLs` a repository path is appended to, comma-separated")
	flag.StringVar(&o.mirror, "mirror", "", "mirror `folder` whose pages and indexes are requested")
	flag.BoolVar(&o.random, "random", false, "request distinct random paths instead (none is counted)")
	flag.IntVar(&o.n, "n", 100000, "requests to send")
	flag.IntVar(&o.concurrency, "c", 64, "requests in flight (one keep-alive connection each)")
	flag.IntVar(&o.clients, "clients", 64, "distinct client addresses (127.0.0.2 and up), one per connection")
	flag.StringVar(&o.header, "reader-header", "", "send each request from a reader of its own: this `header` (the counter's serve.client_header, e.g. X-Real-IP) carries a distinct address per request, so that every hit counts")
	flag.DurationVar(&o.max, "max", 5*time.Minute, "stop after this long whatever -n says")
	flag.Parse()
	o.bases = strings.Split(*base, ",")
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "hitload:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	var roots []string
	for _, b := range o.bases {
		u, err := url.Parse(b)
		if err != nil {
			return err
		}
		if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("refusing %s: only loopback addresses (127.0.0.0/8, ::1) are targets", u.Host)
		}
		roots = append(roots, u.Scheme+"://"+u.Host)
	}
	paths, err := targets(o)
	if err != nil {
		return err
	}
	before := make([]map[string]string, len(roots))
	for i, root := range roots {
		before[i] = scrape(root)
	}
	res := load(o, paths)
	res.print(os.Stdout)
	for i, root := range roots {
		after := scrape(root)
		name := "server"
		if len(roots) > 1 {
			name = root
		}
		for _, k := range []string{"process_resident_memory_bytes", "go_memstats_heap_inuse_bytes", "newsmirror_hits_counted_total"} {
			fmt.Printf("%s %s: %s → %s\n", name, k, human(k, before[i][k]), human(k, after[k]))
		}
		for _, r := range []string{"unknown_path", "bot", "rate", "buffer_full"} {
			k := `newsmirror_hits_rejected_total{reason="` + r + `"}`
			fmt.Printf("%s %s: %s → %s\n", name, k, before[i][k], after[k])
		}
	}
	return nil
}

// targets are the repository paths to request, or nil for random ones.
func targets(o options) ([]string, error) {
	if o.random {
		return nil, nil
	}
	if o.mirror == "" {
		return nil, fmt.Errorf("give -mirror DIR or -random")
	}
	var out []string
	for _, pattern := range []string{"pages/*/*.md", "indexes/*.md", "README.md"} {
		matches, err := filepath.Glob(filepath.Join(o.mirror, pattern))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(o.mirror, m)
			out = append(out, filepath.ToSlash(rel))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no pages in %s", o.mirror)
	}
	return out, nil
}

type result struct {
	sent, failed int64
	elapsed      time.Duration
	latencies    []time.Duration
}

func load(o options, paths []string) *result {
	ctx, cancel := context.WithTimeout(context.Background(), o.max)
	defer cancel()
	var next atomic.Int64
	var failed atomic.Int64
	lat := make([][]time.Duration, o.concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range o.concurrency {
		client := workerClient(w % o.clients)
		base := o.bases[w%len(o.bases)]
		wg.Go(func() {
			buf := make([]byte, 16)
			for ctx.Err() == nil {
				i := next.Add(1)
				if i > int64(o.n) {
					return
				}
				target := base + pick(paths, i, buf)
				t0 := time.Now()
				if !get(ctx, client, target, o.header, i) {
					failed.Add(1)
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	r := &result{failed: failed.Load(), elapsed: time.Since(start)}
	for _, l := range lat {
		r.latencies = append(r.latencies, l...)
	}
	r.sent = int64(len(r.latencies))
	slices.Sort(r.latencies)
	return r
}

// pick is the i-th request's path: from paths in turn, or a fresh random one.
func pick(paths []string, i int64, buf []byte) string {
	if paths != nil {
		return paths[i%int64(len(paths))]
	}
	rand.Read(buf)
	return "pages/r/" + hex.EncodeToString(buf) + ".md"
}

// workerClient keeps one connection from source address 127.0.0.(2+k).
func workerClient(k int) *http.Client {
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+k%250))}
	d := &net.Dialer{LocalAddr: local, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConnsPerHost: 1, DisableCompression: true,
	}}
}

func get(ctx context.Context, c *http.Client, target, header string, i int64) bool {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if header != "" {
		req.Header.Set(header, fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0")
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func (r *result) print(w io.Writer) {
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
	}
	fmt.Fprintf(w, "requests: %d in %.1fs, %d failed\n", r.sent, r.elapsed.Seconds(), r.failed)
	fmt.Fprintf(w, "rate: %.0f req/s\n", float64(r.sent)/r.elapsed.Seconds())
	fmt.Fprintf(w, "latency: p50 %s, p99 %s, max %s\n", pct(0.50), pct(0.99), pct(1))
}

// scrape reads the server's metrics as name{labels} → value text.
func scrape(root string) map[string]string {
	out := map[string]string{}
	resp, err := http.Get(root + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if k, v, ok := strings.Cut(line, " "); ok {
			out[k] = v
		}
	}
	return out
}

func human(key, v string) string {
	if !strings.HasSuffix(key, "_bytes") {
		return v
	}
	var f float64
	fmt.Sscan(v, &f)
	return fmt.Sprintf("%.1f MiB", f/(1<<20))
}
