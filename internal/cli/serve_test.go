package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

// buildBinary builds newsmirror into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("go command not found")
	}
	bin := filepath.Join(t.TempDir(), "newsmirror")
	if out, err := exec.Command(gobin, "build", "-o", bin, "../../cmd/newsmirror").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// demoMirror mirrors the sample site into a folder and returns its
// configuration file, with serve options appended.
func demoMirror(t *testing.T, serveYAML string) (dir, cfg string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "demo")
	if code, stdout, stderr := run(t, "demo", "--dir", dir); code != 0 {
		t.Fatalf("demo exit %d\n%s\n%s", code, stdout, stderr)
	}
	cfg = filepath.Join(dir, ".newsmirror", "demo.yaml")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(serveYAML); err != nil {
		t.Fatal(err)
	}
	return dir, cfg
}

// startServe runs "newsmirror serve" on a free loopback port and returns the
// process and its base URL.
func startServe(t *testing.T, bin, cfg string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-c", cfg, "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve's log:\n%s", stderr.String())
		}
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v", err)
	}
	go io.Copy(io.Discard, stdout)
	m := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no address in %q", line)
	}
	return cmd, "http://" + m[1]
}

func TestServeLosesNoCountedHitOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	// A flush interval of an hour: only the shutdown flush writes counts.
	// Each request is a reader of its own (X-Real-IP): a reader counts once
	// per page and hour.
	dir, cfg := demoMirror(t, "serve:\n  client_burst: 1000000\n  client_rate: 1000000\n  flush_interval: 1h\n  client_header: X-Real-IP\n")
	pages, _ := filepath.Glob(filepath.Join(dir, "pages", "*", "*.md"))
	if len(pages) == 0 {
		t.Fatal("demo wrote no pages")
	}
	cmd, base := startServe(t, bin, cfg)

	var mu sync.Mutex
	answered := map[string]int64{}
	var total atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 8 {
		wg.Go(func() {
			for i := w; ; i++ {
				rel, _ := filepath.Rel(dir, pages[i%len(pages)])
				rel = filepath.ToSlash(rel)
				if !hit(client, base+"/hit/"+rel, fmt.Sprintf("10.%d.%d.%d", w, i/256%256, i%256)) {
					return
				}
				mu.Lock()
				answered[rel]++
				mu.Unlock()
				total.Add(1)
			}
		})
	}
	for total.Load() < 2000 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}

	db, err := store.Open(context.Background(), filepath.Join(dir, ".newsmirror", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sum int64
	for rel, n := range answered {
		got, err := db.Hits(context.Background(), rel, time.Now().Add(-2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Errorf("%s: %d hits stored, %d answered", rel, got, n)
		}
		sum += got
	}
	t.Logf("%d hits answered before and during shutdown, %d stored", total.Load(), sum)
}

// hit requests the pixel as a browser would, reporting whether it was answered.
func hit(c *http.Client, url, reader string) bool {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
	req.Header.Set("X-Real-IP", reader)
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func TestServeNeedsAPixelURL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte("sources:\n  - id: s\n    rules: {body: div}\n    channels: [{id: c, name: n, feed: \"http://h.test/f\"}]\n"), 0o644)
	code, _, stderr := run(t, "serve", "-c", path)
	if code != 2 || !strings.Contains(stderr, "no output.pixel_url") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// The issue this guards against: SIGTERM while a sync held the state
// database's write lock lost every counted hit and exited 1.
func TestServeKeepsHitsWhenTheDatabaseIsLockedAtSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir, cfg := demoMirror(t, "serve:\n  flush_interval: 1h\n  stop_wait: 500ms\n  client_header: X-Real-IP\n")
	pages, _ := filepath.Glob(filepath.Join(dir, "pages", "*", "*.md"))
	cmd, base := startServe(t, bin, cfg)
	client := &http.Client{Timeout: 10 * time.Second}
	want := map[string]int64{}
	for i := range 500 {
		rel, _ := filepath.Rel(dir, pages[i%len(pages)])
		rel = filepath.ToSlash(rel)
		if !hit(client, base+"/hit/"+rel, fmt.Sprintf("10.1.%d.%d", i/256, i%256)) {
			t.Fatalf("hit %d not answered", i)
		}
		want[rel]++
	}

	state := filepath.Join(dir, ".newsmirror", "state.db")
	raw, err := sql.Open("sqlite", "file:"+state)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	conn, err := raw.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve stopped with the database locked: %v, want exit 0 with the counts kept", err)
	}
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Close()
	if _, err := os.Stat(state + "-hits.json"); err != nil {
		t.Fatalf("no spill file: %v", err)
	}

	// The next start writes them.
	cmd, _ = startServe(t, bin, cfg)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), state)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sum int64
	for rel, n := range want {
		got, _ := db.Hits(context.Background(), rel, time.Now().Add(-2*time.Hour))
		if got != n {
			t.Errorf("%s: %d hits stored, %d counted", rel, got, n)
		}
		sum += got
	}
	if sum != 500 {
		t.Errorf("%d of 500 hits stored after the restart", sum)
	}
	if _, err := os.Stat(state + "-hits.json"); !os.IsNotExist(err) {
		t.Errorf("spill file left after its counts were written: %v", err)
	}
}
