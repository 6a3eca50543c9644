package counter_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// pgMirror is newMirror's mirror with its state in a fresh PostgreSQL
// schema, reached through a forwarder the test can cut; direct reaches the
// same tables without it.
func pgMirror(t *testing.T) (m *mirrorFixture, fwd *forwarder, direct *store.Store) {
	t.Helper()
	dsn := storetest.PostgresState(t)
	fwd, through := forward(t, dsn)
	ctx := context.Background()
	var err error
	if direct, err = store.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	m = fillMirror(t, t.TempDir(), through)
	return m, fwd, direct
}

// The reply to a committed batch is lost: the counter cannot know the batch
// was written, keeps it, and sends it again under its id; the store skips
// it. Each hit counts once.
func TestPostgresBatchWhoseReplyWasLostCountsOnce(t *testing.T) {
	m, fwd, direct := pgMirror(t)
	met := metrics.New()
	c := m.counter(t, counter.DefaultOptions(), met)
	ctx := context.Background()
	for i, client := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		get(c, "/goodnews/pages/world/101.md", client, reader)
		if i == 0 {
			get(c, "/goodnews/pages/world/102.md", client, reader)
		}
	}
	fwd.loseNextCommitReply()
	if err := c.Flush(ctx); err == nil {
		t.Fatal("flush whose reply was lost: no error")
	}
	if n, err := direct.Hits(ctx, "pages/world/101.md", epoch.Add(-time.Hour)); err != nil || n != 3 {
		t.Fatalf("hits committed although the reply was lost = %d, %v; want 3", n, err)
	}
	get(c, "/goodnews/pages/world/101.md", "192.0.2.4", reader) // a new hit meanwhile: a new batch
	if err := c.Flush(ctx); err != nil {
		t.Fatalf("flush again: %v", err)
	}
	for path, want := range map[string]int64{"pages/world/101.md": 4, "pages/world/102.md": 1} {
		if n, err := direct.Hits(ctx, path, epoch.Add(-time.Hour)); err != nil || n != want {
			t.Errorf("%s: %d hits, %v; want %d", path, n, err, want)
		}
	}
	body := get(met.Handler(), "/metrics", "192.0.2.1", reader).Body.String()
	for _, want := range []string{"newsmirror_hits_batches_repeated_total 1", "newsmirror_hits_flush_errors_total 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, grepLines(body, "newsmirror_hits_"))
		}
	}
}

// A network cut to PostgreSQL: /healthz says so with a 503 and the reason,
// pixels are still answered and counted, and the counts are written once
// the network is back.
func TestPostgresCutMakesHealthFailAndCountsWait(t *testing.T) {
	m, fwd, direct := pgMirror(t)
	c := m.counter(t, counter.DefaultOptions(), nil)
	if rec := get(c, "/healthz", "192.0.2.1", reader); rec.Code != http.StatusOK {
		t.Fatalf("/healthz before the cut = %d %q", rec.Code, rec.Body.String())
	}
	fwd.cut()
	time.Sleep(1100 * time.Millisecond) // past the cached answer
	rec := get(c, "/healthz", "192.0.2.1", reader)
	if rec.Code != http.StatusServiceUnavailable || !strings.HasPrefix(rec.Body.String(), "store unreachable: ") {
		t.Errorf("/healthz with PostgreSQL cut off = %d %q, want 503 and the reason", rec.Code, rec.Body.String())
	}
	if rec := get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader); rec.Code != http.StatusOK {
		t.Fatalf("pixel during the cut = %d", rec.Code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	if err := c.Flush(ctx); err == nil {
		t.Error("flush during the cut: no error")
	}
	cancel()
	fwd.restore()
	time.Sleep(1100 * time.Millisecond)
	if rec := get(c, "/healthz", "192.0.2.1", reader); rec.Code != http.StatusOK {
		t.Errorf("/healthz after the cut = %d %q", rec.Code, rec.Body.String())
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := direct.Hits(context.Background(), "pages/world/101.md", epoch.Add(-time.Hour)); err != nil || n != 1 {
		t.Errorf("hits after the cut = %d, %v; want 1", n, err)
	}
}

// Stopped while PostgreSQL is cut off, a counter spills its counts to its
// own file; the next start, with the network back, writes them.
func TestPostgresCutAtShutdownSpillsAndTheNextStartWrites(t *testing.T) {
	m, fwd, direct := pgMirror(t)
	spill := filepath.Join(m.dir, ".newsmirror", "state-hits.json")
	opts := counter.DefaultOptions()
	opts.ClientBurst, opts.ClientRate, opts.ClientHeader = 1000, 1000, "X-Real-IP"
	opts.StopWait = 300 * time.Millisecond
	opts.FlushInterval = time.Hour // only the shutdown writes
	cfg := counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: opts, Spill: spill}
	c, err := counter.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, stop := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- c.Run(ctx, ln) }()
	for i := range 20 {
		readPixel(t, "http://"+ln.Addr().String()+"/goodnews/pages/world/102.md", i)
	}
	fwd.cut()
	stop()
	if err := <-ran; err != nil {
		t.Fatalf("stop with PostgreSQL cut off: %v, want the counts spilled", err)
	}
	if _, err := os.Stat(spill); err != nil {
		t.Fatalf("no spill file: %v", err)
	}
	fwd.restore()
	if _, err := counter.New(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if n, err := direct.Hits(context.Background(), "pages/world/102.md", time.Now().Add(-2*time.Hour)); err != nil || n != 20 {
		t.Errorf("hits after the restart = %d, %v; want 20", n, err)
	}
	if _, err := os.Stat(spill); !os.IsNotExist(err) {
		t.Errorf("spill file kept after its counts were written: %v", err)
	}
}
