package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// loadServes sends pixel hits to the counters in turn, each from a reader of
// its own (so that each answered hit counts), from 3 workers per counter,
// until stop is closed or the counter stops answering; it returns the hits
// answered with 200 per page.
type loadServes struct {
	mu       sync.Mutex
	answered map[string]int64
	total    atomic.Int64
	wg       sync.WaitGroup
	stop     chan struct{}
}

func startLoad(bases []string, pages []string) *loadServes {
	l := &loadServes{answered: map[string]int64{}, stop: make(chan struct{})}
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 3 * len(bases) {
		base := bases[w%len(bases)]
		l.wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				page := pages[(w+i)%len(pages)]
				if !hit(client, base+"/hit/"+page, fmt.Sprintf("10.%d.%d.%d", w, i/256%256, i%256)) {
					return
				}
				l.mu.Lock()
				l.answered[page]++
				l.mu.Unlock()
				l.total.Add(1)
			}
		})
	}
	return l
}

func (l *loadServes) waitFor(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for l.total.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d hits answered in 2 minutes", l.total.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stopServe sends SIGTERM and waits for a clean exit.
func stopServe(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
}

// demoPages are the repository paths of the demo mirror's pages.
func demoPages(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "pages", "*", "*.md"))
	if len(files) == 0 {
		t.Fatal("demo wrote no pages")
	}
	var out []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// checkStored compares the hits stored per page with those answered.
func checkStored(t *testing.T, db *store.Store, answered map[string]int64) {
	t.Helper()
	var stored, sent int64
	for page, n := range answered {
		got, err := db.Hits(context.Background(), page, time.Now().Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Errorf("%s: %d hits stored, %d answered", page, got, n)
		}
		stored += got
		sent += n
	}
	t.Logf("%d hits answered with 200, %d stored", sent, stored)
}

// Three counters on one state database, flushing often; one is stopped by
// SIGTERM in the middle of the load, the others go on: the database ends
// with exactly the hits answered with 200, none lost, none twice.
func TestServeInstancesLoseNoHitWhenOneIsStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir, cfg := demoMirror(t, "serve:\n  client_burst: 1000000\n  client_rate: 1000000\n  flush_interval: 200ms\n  client_header: X-Real-IP\n")
	testServeInstancesLoseNoHit(t, bin, cfg, demoPages(t, dir), func() *store.Store {
		db, err := store.Open(context.Background(), filepath.Join(dir, ".newsmirror", "state.db"))
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

func testServeInstancesLoseNoHit(t *testing.T, bin, cfg string, pages []string, open func() *store.Store) {
	var cmds []*exec.Cmd
	var bases []string
	for range 3 {
		cmd, base := startServe(t, bin, cfg)
		cmds, bases = append(cmds, cmd), append(bases, base)
	}
	load := startLoad(bases, pages)
	load.waitFor(t, 1500)
	stopServe(t, cmds[0]) // its workers stop at their first unanswered hit
	load.waitFor(t, load.total.Load()+1500)
	close(load.stop)
	load.wg.Wait()
	for _, cmd := range cmds[1:] {
		stopServe(t, cmd)
	}
	db := open()
	defer db.Close()
	checkStored(t, db, load.answered)
}

func TestServeRefusesCounterHostsOnDifferentPaths(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	text := "output:\n  dir: out\n  pixel_url:\n    - http://c1.example/hit/{path}\n    - http://c2.example/count/{path}\n" +
		"sources:\n  - id: s\n    rules: {body: div}\n    channels: [{id: c, name: n, feed: \"http://h.test/f\"}]\n"
	os.WriteFile(cfg, []byte(text), 0o644)
	code, _, stderr := run(t, "serve", "-c", cfg)
	if code != 2 || !strings.Contains(stderr, "counter hosts must share one path") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	os.WriteFile(cfg, []byte(strings.Replace(text, "c2.example/count/", "c2.example/hit/", 1)), 0o644)
	code, stdout, stderr := run(t, "check", "-c", cfg)
	if code != 0 || !strings.Contains(stdout, "counter pixel: 2 hosts, each page loads one picked from its path: c1.example, c2.example") {
		t.Errorf("check: exit %d\n%s%s", code, stdout, stderr)
	}
}

// The same on PostgreSQL, as counters on several hosts run: the demo's
// state is moved into a fresh PostgreSQL schema (export, import) and the
// three counters share it.
func TestServeInstancesOnPostgresLoseNoHitWhenOneIsStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dsn := storetest.PostgresState(t)
	bin := buildBinary(t)
	dir, cfg := demoMirror(t, "serve:\n  client_burst: 1000000\n  client_rate: 1000000\n  flush_interval: 200ms\n  client_header: X-Real-IP\n")
	moveState(t, filepath.Join(dir, ".newsmirror", "state.db"), dsn)
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(data), "output:\n", "output:\n  state: \""+dsn+"\"\n", 1)), 0o644)
	testServeInstancesLoseNoHit(t, bin, cfg, demoPages(t, dir), func() *store.Store {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

// moveState copies the state at from into the empty state at to.
func moveState(t *testing.T, from, to string) {
	t.Helper()
	ctx := context.Background()
	src, err := store.Open(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var buf bytes.Buffer
	if err := src.Export(ctx, &buf, ""); err != nil {
		t.Fatal(err)
	}
	dst, err := store.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := dst.Import(ctx, &buf); err != nil {
		t.Fatal(err)
	}
}
