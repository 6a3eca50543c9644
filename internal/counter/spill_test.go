package counter_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/counter"
)

// lockDatabase takes SQLite's write lock on the state file from another
// connection, as a sync writing at that moment does; release lets it go.
func lockDatabase(t *testing.T, dir string) (release func()) {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, ".newsmirror", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return func() {
		conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
		raw.Close()
	}
}

// readPixel asks for a pixel over HTTP as a reader's browser does; the
// reader is told apart by the X-Real-IP header the counters here trust,
// as they would a reverse proxy's (one reader counts once per page and hour).
func readPixel(t *testing.T, url string, i int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("User-Agent", reader)
	req.Header.Set("X-Real-IP", fmt.Sprintf("198.51.%d.%d", i/256, i%256))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestShutdownWhileDatabaseIsLockedLosesNoHit(t *testing.T) {
	m := newMirror(t)
	spill := filepath.Join(m.dir, ".newsmirror", "state.db-hits.json")
	opts := counter.DefaultOptions()
	opts.ClientBurst, opts.ClientRate, opts.ClientHeader = 1000, 1000, "X-Real-IP"
	opts.StopWait = 300 * time.Millisecond
	cfg := counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: opts,
		Now: func() time.Time { return epoch }, Spill: spill}
	c, err := counter.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- c.Run(ctx, ln) }()
	for i := range 500 {
		page := []string{"pages/world/101.md", "pages/world/102.md"}[i%2]
		readPixel(t, fmt.Sprintf("http://%s/goodnews/%s", ln.Addr(), page), i)
	}

	release := lockDatabase(t, m.dir)
	stop() // SIGTERM while a writer holds the database
	if err := <-ran; err != nil {
		t.Errorf("Run at shutdown with the database locked: %v, want the counts spilled", err)
	}
	if _, err := os.Stat(spill); err != nil {
		t.Fatalf("no spill file: %v", err)
	}
	if n := m.hits(t, "pages/world/101.md"); n != 0 {
		t.Fatalf("hits written through the lock: %d", n)
	}
	release()

	// The next start reads the spill file and writes its counts.
	if _, err := counter.New(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if a, b := m.hits(t, "pages/world/101.md"), m.hits(t, "pages/world/102.md"); a+b != 500 || a != 250 {
		t.Errorf("after restart: %d + %d hits, want 250 + 250", a, b)
	}
	if _, err := os.Stat(spill); !os.IsNotExist(err) {
		t.Errorf("spill file left after its counts were written: %v", err)
	}
}

func TestShutdownRetriesFlushUntilTheDatabaseIsFree(t *testing.T) {
	m := newMirror(t)
	spill := filepath.Join(m.dir, "spill.json")
	opts := counter.DefaultOptions()
	opts.ClientHeader = "X-Real-IP"
	opts.StopWait = 10 * time.Second
	c, err := counter.New(context.Background(), counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/",
		Options: opts, Now: func() time.Time { return epoch }, Spill: spill})
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- c.Run(ctx, ln) }()
	for i := range 3 {
		readPixel(t, "http://"+ln.Addr().String()+"/goodnews/pages/world/101.md", i)
	}
	release := lockDatabase(t, m.dir)
	stop()
	time.Sleep(500 * time.Millisecond) // the first tries meet the lock
	release()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if n := m.hits(t, "pages/world/101.md"); n != 3 {
		t.Errorf("hits = %d, want 3", n)
	}
	if _, err := os.Stat(spill); !os.IsNotExist(err) {
		t.Errorf("counts spilled although the database came free in time: %v", err)
	}
}

func TestSpilledCountsAddUpOverTwoFailedShutdowns(t *testing.T) {
	m := newMirror(t)
	spill := filepath.Join(m.dir, "spill.json")
	opts := counter.DefaultOptions()
	opts.StopWait = 100 * time.Millisecond
	cfg := counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: opts,
		Now: func() time.Time { return epoch }, Spill: spill}
	release := lockDatabase(t, m.dir)
	for range 2 { // the database stays locked through both lives
		c, err := counter.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		ctx, stop := context.WithCancel(context.Background())
		ran := make(chan error, 1)
		go func() { ran <- c.Run(ctx, ln) }()
		readPixel(t, "http://"+ln.Addr().String()+"/goodnews/pages/world/102.md", 0) // one reader: a new counter life forgets it
		stop()
		if err := <-ran; err != nil {
			t.Fatal(err)
		}
	}
	release()
	if _, err := counter.New(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if n := m.hits(t, "pages/world/102.md"); n != 2 {
		t.Errorf("hits = %d, want 2 (one per life, none twice)", n)
	}
}

// Counters on one host sharing a spill file (one configuration, several
// listeners) stop at once with the database locked: each adds its counts
// to the file. Two starting at once both read the file, and still every
// hit is written once.
func TestCountersSharingASpillFileLoseNoHitAndCountNoneTwice(t *testing.T) {
	m := newMirror(t)
	spill := filepath.Join(m.dir, ".newsmirror", "state.db-hits.json")
	opts := counter.DefaultOptions()
	opts.ClientBurst, opts.ClientRate, opts.ClientHeader = 1000, 1000, "X-Real-IP"
	opts.StopWait, opts.FlushInterval = 200*time.Millisecond, time.Hour
	cfg := counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: opts,
		Now: func() time.Time { return epoch }, Spill: spill}
	var stops []func()
	var ran []chan error
	for k := range 3 {
		c, err := counter.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- c.Run(ctx, ln) }()
		for i := range 100 {
			readPixel(t, fmt.Sprintf("http://%s/goodnews/pages/world/101.md", ln.Addr()), 1000*k+i)
		}
		stops, ran = append(stops, stop), append(ran, done)
	}
	release := lockDatabase(t, m.dir)
	for _, stop := range stops {
		stop()
	}
	for _, done := range ran {
		if err := <-done; err != nil {
			t.Fatalf("stop with the database locked: %v", err)
		}
	}
	release()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := counter.New(context.Background(), cfg); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := m.hits(t, "pages/world/101.md"); n != 300 {
		t.Errorf("hits = %d, want the 300 of the three counters, once", n)
	}
	if _, err := os.Stat(spill); !os.IsNotExist(err) {
		t.Errorf("spill file left after its counts were written: %v", err)
	}
}
