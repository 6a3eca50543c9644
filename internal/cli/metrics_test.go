package cli_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/store"
)

// newsSite serves one RSS feed with two articles, one of them missing.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		base := "http://" + r.Host
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>
<item><title>第一篇</title><link>`+base+`/news/1.html</link><pubDate>Thu, 13 Jan 2022 02:00:00 +0000</pubDate></item>
<item><title>不存在</title><link>`+base+`/news/2.html</link><pubDate>Thu, 13 Jan 2022 01:00:00 +0000</pubDate></item>
</channel></rss>`)
	})
	mux.HandleFunc("/news/1.html", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `<html><body><div class="article"><p>正文。</p></div></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestRunDaemonServesPipelineMetrics(t *testing.T) {
	site := newsSite(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("output: {dir: out}\nfetch: {allow: [127.0.0.1]}\nsources:\n  - id: ex\n    rules: {body: div.article}\n    channels: [{id: c, name: n, feed: \""+site.URL+"/feed.xml\"}]\n"), 0o644)
	addr := freeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		done <- cli.Run(ctx, []string{"run", "-c", path, "--every", "1h", "--metrics-addr", addr}, &stdout, &stderr)
	}()

	var scrape string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if scrape = string(b); strings.Contains(scrape, "newsmirror_run_duration_seconds_count 1") {
				break
			}
		}
	}
	for _, want := range []string{
		"newsmirror_run_duration_seconds_count 1",
		`newsmirror_fetches_total{result="ok",source="ex"} 2`,
		`newsmirror_fetches_total{result="http_4xx",source="ex"} 1`,
		`newsmirror_pages_total{change="written"} 1`,
		"go_goroutines ",
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("daemon metrics lack %q:\n%s", want, scrape)
		}
	}
	cancel()
	if code := <-done; code != cli.ExitOK {
		t.Errorf("daemon exit %d after cancel, want 0", code)
	}
}

func TestRunDaemonExportsTheLeaseHolderAndStoreLatency(t *testing.T) {
	site := newsSite(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("output: {dir: out}\nfetch: {allow: [127.0.0.1]}\nsources:\n  - id: ex\n    rules: {body: div.article}\n    channels: [{id: c, name: n, feed: \""+site.URL+"/feed.xml\"}]\n"), 0o644)
	db, err := store.Open(context.Background(), filepath.Join(dir, "out", ".newsmirror", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close() // a state that exists: the daemon elects from its start
	addr := freeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		done <- cli.Run(ctx, []string{"run", "-c", path, "--every", "1h", "--lease", "900ms", "--host-id", "h1", "--metrics-addr", addr}, &stdout, &stderr)
	}()
	wants := []string{`newsmirror_lease_held{host="h1"} 1`, `newsmirror_store_seconds_count{op="acquire"} 1`,
		`newsmirror_store_seconds_count{op="renew"}`, `newsmirror_store_seconds_count{op="heartbeat"}`, "newsmirror_store_up 1"}
	var scrape string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if scrape = string(b); containsAll(scrape, wants) {
				break
			}
		}
	}
	for _, want := range wants {
		if !strings.Contains(scrape, want) {
			t.Errorf("daemon metrics lack %q:\n%s", want, scrape)
		}
	}
	if resp, err := http.Get("http://" + addr + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz with the state in reach: %v %v", resp, err)
	}
	cancel()
	if code := <-done; code != cli.ExitOK {
		t.Errorf("daemon exit %d after cancel, want 0", code)
	}
	db, _ = store.Open(context.Background(), filepath.Join(dir, "out", ".newsmirror", "state.db"))
	defer db.Close()
	if l, _, _ := db.LeaseHolder(context.Background(), "sync"); l.Held || l.Holder != "h1" {
		t.Errorf("lease after the daemon stopped = %+v; want released by h1", l)
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
