package counter_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/newsmirror/newsmirror/internal/counter"
)

// BenchmarkMemoryOverDistinctPaths counts one hit on each of b.N distinct
// pages of a mirror of that many pages, flushing every 50,000 hits as the
// flush interval would, and reports the heap (after a collection) before
// the first hit and after the last, and the most counts buffered. With the
// store taking the counts the buffer holds at most one flush's worth; with
// it unreachable (closed) it holds at most twice Options.MaxPending, and
// further hits of new pages are answered but not counted.
//
//	go test ./internal/counter -run '^$' -bench MemoryOverDistinctPaths -benchtime 1000000x
func BenchmarkMemoryOverDistinctPaths(b *testing.B) {
	for _, closed := range []bool{false, true} {
		name := "store=open"
		if closed {
			name = "store=closed"
		}
		b.Run(name, func(b *testing.B) {
			m := newMirror(b)
			c, err := counter.New(context.Background(), counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: benchOptions()})
			if err != nil {
				b.Fatal(err)
			}
			paths := make([]string, b.N)
			for i := range paths {
				paths[i] = fmt.Sprintf("pages/c%d/%d.md", i%100, i)
			}
			c.SetKnown(paths)
			if closed {
				m.db.Close()
			}
			before := heapInUse()
			most := 0
			req := httptest.NewRequest(http.MethodGet, "/goodnews/", nil)
			req.Header.Set("User-Agent", reader)
			req.RemoteAddr = "192.0.2.1:40000"
			w := discard{http.Header{}}
			b.ResetTimer()
			for i := range b.N {
				req.URL.Path = "/goodnews/" + paths[i]
				c.ServeHTTP(w, req)
				if (i+1)%50_000 == 0 {
					most = max(most, c.Buffered())
					c.Flush(context.Background())
				}
			}
			b.StopTimer()
			most = max(most, c.Buffered())
			b.ReportMetric(before/(1<<20), "heap-MiB-before")
			b.ReportMetric(heapInUse()/(1<<20), "heap-MiB-after")
			b.ReportMetric(float64(most), "most-buffered")
			runtime.KeepAlive(paths)
			runtime.KeepAlive(c)
		})
	}
}

// discard is a ResponseWriter that keeps nothing written.
type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}

// benchOptions count every hit of one client.
func benchOptions() counter.Options {
	o := counter.DefaultOptions()
	o.ClientRate, o.ClientBurst = 1e9, 1e9
	return o
}

func heapInUse() float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapInuse)
}
