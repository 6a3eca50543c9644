package cli_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
)

// lockedWriter is a buffer the command writes while the test reads it.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestPreviewServesTheFolderRenderedUntilStopped(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("## 镜像\n\n[页](a.md?1)\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &lockedWriter{}
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"preview", "--dir", dir, "--addr", "127.0.0.1:0"}, stdout, io.Discard)
	}()

	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		url = addr.FindString(stdout.String())
	}
	if url == "" {
		t.Fatalf("no address printed: %q", stdout.String())
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "<h2>镜像</h2>") || !strings.Contains(string(body), `href="a.md?1"`) {
		t.Errorf("home page not rendered:\n%s", body)
	}
	cancel()
	select {
	case code := <-done:
		if code != cli.ExitOK {
			t.Errorf("exit %d after stop", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("preview did not stop")
	}
}
