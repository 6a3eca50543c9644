package cli_test

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// exitConfig writes a configuration of the three crashSite channels with
// extra lines under publish, and fetches that are not retried.
func exitConfig(t *testing.T, siteURL, publish string) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	var chs strings.Builder
	for _, ch := range channels {
		fmt.Fprintf(&chs, "      - {id: %s, name: 频道%s, feed: \"%s/feeds/%s.xml\"}\n", ch, ch, siteURL, ch)
	}
	path = filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte(fmt.Sprintf(`output: {dir: mirror}
publish: {keep: 50%s}
fetch: {workers: 1, retries: 0, allow: [127.0.0.1]}
sources:
  - id: ex
    rules: {body: div.article}
    channels:
%s`, publish, chs.String())), 0o644)
	return dir, path
}

// runBin runs the built binary and returns its exit code and output.
func runBin(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	}
	t.Fatalf("run %v: %v", args, err)
	return 0, ""
}

// failing answers 404 for the article pages whose path matches, 503 for
// every feed when feeds is set.
func failing(feeds bool, pages func(path string) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			isFeed := strings.HasPrefix(r.URL.Path, "/feeds/")
			switch {
			case feeds && isFeed:
				http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			case !isFeed && pages != nil && pages(r.URL.Path):
				http.NotFound(w, r)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// TestSyncExitCodesTellWhatHappened runs the built binary against loopback
// sites that fail in each way and checks the exit code and its message.
func TestSyncExitCodesTellWhatHappened(t *testing.T) {
	bin := buildBinary(t)
	for _, c := range []struct {
		name    string
		wrap    func(http.Handler) http.Handler
		publish string
		code    int
		says    string
	}{
		{"all well", nil, "", 0, ""},
		{"one article missing", failing(false, func(p string) bool { return p == "/news/a3.html" }), "", 3,
			"exit 3: 1 of 30 channels and articles failed (3%)"},
		{"two channels of articles missing", failing(false, func(p string) bool { return !strings.HasPrefix(p, "/news/c") }), "", 6,
			"exit 6: 18 of 30 channels and articles failed (60%), over publish.max_failed_share (20%)"},
		{"a higher threshold tolerates them", failing(false, func(p string) bool { return !strings.HasPrefix(p, "/news/c") }), ", max_failed_share: 0.75", 3,
			"exit 3: 18 of 30"},
		{"every feed 503", failing(true, nil), "", 5, "exit 5: nothing could be read: all 3 channels failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			url, _ := crashSite(t, c.wrap)
			_, cfg := exitConfig(t, url, c.publish)
			code, out := runBin(t, bin, "sync", "-c", cfg)
			if code != c.code || !strings.Contains(out, c.says) {
				t.Errorf("exit %d, want %d saying %q:\n%s", code, c.code, c.says, out)
			}
			if c.code == 0 && strings.Contains(out, "exit ") {
				t.Errorf("a clean run explains an exit:\n%s", out)
			}
		})
	}
	t.Run("a failure line names its URL once", func(t *testing.T) {
		url, _ := crashSite(t, failing(false, func(p string) bool { return p == "/news/a3.html" }))
		_, cfg := exitConfig(t, url, "")
		_, out := runBin(t, bin, "sync", "-c", cfg)
		want := fmt.Sprintf("  ex/a %s/news/a3.html: HTTP 404 Not Found\n", url)
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	})
}

// TestSyncStoppedBySignalCommitsAndExitsWithTheSignalsCode sends SIGINT
// and SIGTERM to the built binary while it mirrors slow articles.
func TestSyncStoppedBySignalCommitsAndExitsWithTheSignalsCode(t *testing.T) {
	bin := buildBinary(t)
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143} {
		t.Run(sig.String(), func(t *testing.T) {
			var served atomic.Int64
			started := make(chan struct{}, 100)
			url, _ := crashSite(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, "/news/") {
						served.Add(1)
						started <- struct{}{}
						time.Sleep(100 * time.Millisecond)
					}
					next.ServeHTTP(w, r)
				})
			})
			dir, cfg := exitConfig(t, url, "")
			cmd := exec.Command(bin, "sync", "-c", cfg)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for range 3 { // three articles asked for: the run is under way
				<-started
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != want {
				t.Fatalf("exit %v, want %d:\n%s", err, want, out.String())
			}
			if !strings.Contains(out.String(), "stopped by signal") || !strings.Contains(out.String(), fmt.Sprintf("exit %d: stopped by %s", want, sig)) {
				t.Errorf("the stop is not logged and explained:\n%s", out.String())
			}
			pages, _ := filepath.Glob(filepath.Join(dir, "mirror", "pages", "*", "*.md"))
			if n := served.Load(); len(pages) == 0 || len(pages) >= 27 || int64(len(pages)) > n {
				t.Errorf("%d pages after %d articles asked for; want the complete ones, not all 27", len(pages), n)
			}
			if status := gitIn(t, filepath.Join(dir, "mirror"), "status", "--porcelain"); status != "" {
				t.Errorf("what was complete is not committed:\n%s", status)
			}
		})
	}
}

// TestPushFailingToSomeRemotesIsCounted pushes to one bare repository and
// three remotes that do not exist.
func TestPushFailingToSomeRemotesIsCounted(t *testing.T) {
	bin := buildBinary(t)
	url, _ := crashSite(t, nil)
	bare := filepath.Join(t.TempDir(), "ok.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", bare).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	gone := filepath.Join(t.TempDir(), "gone")
	remotes := fmt.Sprintf(", remotes: [{name: ok, url: %q}, {name: b, url: %q}, {name: c, url: %q}, {name: d, url: %q}]",
		bare, gone+"/b.git", gone+"/c.git", gone+"/d.git")
	_, cfg := exitConfig(t, url, remotes)
	code, out := runBin(t, bin, "sync", "-c", cfg)
	if code != 3 || !strings.Contains(out, "exit 3: 0 of 30 channels and articles failed (0%); push failed to 3 of 4 remotes") {
		t.Errorf("exit %d, want 3 counting the pushes:\n%s", code, out)
	}
	code, out = runBin(t, bin, "status", "-c", cfg)
	for _, name := range []string{"b", "c", "d"} {
		if !strings.Contains(out, "remote "+name+": last push failed") {
			t.Errorf("status does not show remote %s failing:\n%s", name, out)
		}
	}
	if code != 4 {
		t.Errorf("status exit %d, want 4", code)
	}
}
