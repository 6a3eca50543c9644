package counter_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/store"
)

// A counter stopped while the reply to its last write was lost spills the
// batch with its id; when the write had in fact committed, the next start
// sends it again and the store ignores it.
func TestBatchWrittenBeforeItsReplyWasLostCountsOnce(t *testing.T) {
	m := newMirror(t)
	ctx := context.Background()
	hour := epoch.Unix() / 3600
	id := store.BatchID{Host: "counter-a/0a1b2c", Seq: 7}
	written := []store.HitCount{{Path: "pages/world/101.md", Hour: epoch.Truncate(time.Hour), Count: 5}}
	if _, err := m.db.AddHitBatch(ctx, id, epoch, written); err != nil {
		t.Fatal(err)
	}
	spill := filepath.Join(m.dir, "spill.json")
	text := fmt.Sprintf(`[{"path":"pages/world/101.md","hour":%d,"count":5,"host":"counter-a/0a1b2c","seq":7},
		{"path":"pages/world/102.md","hour":%d,"count":2}]`, hour, hour)
	if err := os.WriteFile(spill, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	met := metrics.New()
	_, err := counter.New(ctx, counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/",
		Options: counter.DefaultOptions(), Metrics: met, Now: func() time.Time { return epoch }, Spill: spill})
	if err != nil {
		t.Fatal(err)
	}
	if n := m.hits(t, "pages/world/101.md"); n != 5 {
		t.Errorf("hits of the batch sent twice = %d, want 5", n)
	}
	if n := m.hits(t, "pages/world/102.md"); n != 2 {
		t.Errorf("hits never sent before = %d, want 2", n)
	}
	if _, err := os.Stat(spill); !os.IsNotExist(err) {
		t.Errorf("spill file kept after its counts were written: %v", err)
	}
	if body := get(met.Handler(), "/metrics", "192.0.2.1", reader).Body.String(); !strings.Contains(body, "newsmirror_hits_batches_repeated_total 1") {
		t.Errorf("repeated batch not in the metrics:\n%s", grepLines(body, "newsmirror_hits_"))
	}
}

// An old spill file (counts with no batch id) is still read back.
func TestSpillFileWithoutBatchIDsIsWritten(t *testing.T) {
	m := newMirror(t)
	hour := epoch.Unix() / 3600
	spill := filepath.Join(m.dir, "spill.json")
	os.WriteFile(spill, fmt.Appendf(nil, `[{"path":"README.md","hour":%d,"count":4}]`, hour), 0o644)
	if _, err := counter.New(context.Background(), counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/",
		Options: counter.DefaultOptions(), Now: func() time.Time { return epoch }, Spill: spill}); err != nil {
		t.Fatal(err)
	}
	if n := m.hits(t, "README.md"); n != 4 {
		t.Errorf("hits = %d, want 4", n)
	}
}

// The buffer holds at most MaxPending counts (one per page and hour):
// beyond, a hit of a page and hour not yet buffered is answered and not
// counted, one already buffered still adds up, and a flush makes room.
func TestBufferHoldsAtMostMaxPendingCounts(t *testing.T) {
	m := newMirror(t)
	var hours atomic.Int64 // each hit in an hour of its own: a count of its own
	opts := counter.DefaultOptions()
	opts.MaxPending = 1000
	met := metrics.New()
	c, err := counter.New(context.Background(), counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/",
		Options: opts, Metrics: met, Now: func() time.Time { return epoch.Add(time.Duration(hours.Load()) * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1500 {
		hours.Store(int64(i))
		if rec := get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader); rec.Code != http.StatusOK {
			t.Fatalf("hit %d: %d", i, rec.Code)
		}
	}
	hours.Store(5) // an hour already buffered, another reader
	get(c, "/goodnews/pages/world/101.md", "192.0.2.2", reader)
	body := get(met.Handler(), "/metrics", "192.0.2.1", reader).Body.String()
	for _, want := range []string{`newsmirror_hits_rejected_total{reason="buffer_full"} 500`, "newsmirror_hits_counted_total 1001"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, grepLines(body, "newsmirror_hits_"))
		}
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	hours.Store(2000)
	get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader)
	c.Flush(context.Background())
	n, err := m.db.Hits(context.Background(), "pages/world/101.md", time.Time{})
	if err != nil || n != 1002 {
		t.Errorf("hits stored = %d, %v; want 1002", n, err)
	}
}

func TestHealthReportsAnUnreachableStore(t *testing.T) {
	m := newMirror(t)
	c := m.counter(t, counter.DefaultOptions(), nil)
	if rec := get(c, "/healthz", "192.0.2.1", reader); rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Fatalf("/healthz with the store open = %d %q", rec.Code, rec.Body.String())
	}
	m.db.Close()
	time.Sleep(1100 * time.Millisecond) // past the cached answer
	rec := get(c, "/healthz", "192.0.2.1", reader)
	if rec.Code != http.StatusServiceUnavailable || !strings.HasPrefix(rec.Body.String(), "store unreachable: ") {
		t.Errorf("/healthz with the store closed = %d %q, want 503 with the reason", rec.Code, rec.Body.String())
	}
	// The pixel is still answered.
	if rec := get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader); rec.Code != http.StatusOK {
		t.Errorf("pixel with the store closed = %d", rec.Code)
	}
}

// grepLines keeps the lines of text that contain s.
func grepLines(text, s string) string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, s) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// A full buffer does not wait for the flush interval: Run writes it at once.
func TestFullBufferIsWrittenBeforeTheFlushInterval(t *testing.T) {
	m := newMirror(t)
	var hours atomic.Int64
	opts := counter.DefaultOptions()
	opts.MaxPending, opts.FlushInterval = 1000, time.Hour
	c, err := counter.New(context.Background(), counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/",
		Options: opts, Now: func() time.Time { return epoch.Add(time.Duration(hours.Load()) * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go c.Run(ctx, ln)
	for i := range 1001 { // the last one finds the buffer full
		hours.Store(int64(i))
		get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := m.db.Hits(context.Background(), "pages/world/101.md", time.Time{})
		if err == nil && n == 1000 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hits stored = %d, %v; want the 1,000 buffered, written without waiting an hour", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
