package cli_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
)

var channels = []string{"a", "b", "c"}

// crashSite serves three channels of nine articles on loopback; grow
// adds seven newer articles to each, enough for retention (keep 10) to
// remove the oldest.
func crashSite(t *testing.T, wrap func(http.Handler) http.Handler) (url string, grow func()) {
	t.Helper()
	site := fakenews.New()
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	all := map[string][]fakenews.Article{}
	for _, ch := range channels {
		all[ch] = fakenews.Generate(ch, 16, start)
		site.Add(ch, all[ch][:9]...)
	}
	var h http.Handler = site
	if wrap != nil {
		h = wrap(site)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, func() {
		for _, ch := range channels {
			site.Add(ch, all[ch][9:]...)
		}
	}
}

func writeCrashConfig(t *testing.T, dir, siteURL string) string {
	t.Helper()
	var chs strings.Builder
	for _, ch := range channels {
		fmt.Fprintf(&chs, "      - {id: %s, name: 频道%s, feed: \"%s/feeds/%s.xml\"}\n", ch, ch, siteURL, ch)
	}
	path := filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte(fmt.Sprintf(`output:
  dir: mirror
  page_url: "https://github.com/o/r/blob/main/{path}"
  pixel_url: "http://counter.example.test/r/{path}"
indexes: {length: 4}
publish: {keep: 10}
fetch: {workers: 2, allow: [127.0.0.1]}
sources:
  - id: ex
    prefix: X
    rules: {body: div.article}
    channels:
%s`, chs.String())), 0o644)
	return path
}

// syncBin runs one sync to completion.
func syncBin(t *testing.T, bin, cfg string) {
	t.Helper()
	out, err := exec.Command(bin, "sync", "-c", cfg).CombinedOutput()
	if err != nil {
		t.Fatalf("sync: %v\n%s", err, out)
	}
}

// killedSync starts a sync and SIGKILLs it after delay; it reports whether
// the kill came before the run ended, and else how long the run took.
func killedSync(t *testing.T, bin, cfg string, delay time.Duration) (bool, time.Duration) {
	t.Helper()
	cmd := exec.Command(bin, "sync", "-c", cfg)
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return false, time.Since(began)
	case <-time.After(delay):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		return true, 0
	}
}

var (
	stampRE = regexp.MustCompile(`t=\d{8}`)
	portRE  = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// snapshot reads every file of the mirror but .git and the state, stamps
// blanked.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && (rel == ".git" || rel == ".newsmirror" || rel == ".tmp") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			data, _ := os.ReadFile(p)
			out[rel] = portRE.ReplaceAllString(stampRE.ReplaceAllString(string(data), "t=X"), "SITE")
		}
		return nil
	})
	return out
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestSyncKilledAtRandomPointsEndsLikeUninterruptedRun(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a sync 20+ times (about a minute); .ci/run runs it in full")
	}
	bin := buildBinary(t)

	// The reference: stage one, then stage two, uninterrupted.
	refDir := t.TempDir()
	siteURL, grow := crashSite(t, nil)
	ref := writeCrashConfig(t, refDir, siteURL)
	syncBin(t, bin, ref)
	grow()
	began := time.Now()
	syncBin(t, bin, ref)
	took := time.Since(began)
	want := snapshot(t, filepath.Join(refDir, "mirror"))
	if len(want) < 30 {
		t.Fatalf("reference mirror has only %d files", len(want))
	}

	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("NEWSMIRROR_KILL_SEED"); s != "" {
		fmt.Sscan(s, &seed) // replays a failed run's kill points
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d, uninterrupted stage-two run %s", seed, took)
	kills := 0
	for trial := 0; kills < 20 && trial < 100; trial++ {
		dir := t.TempDir()
		siteURL, grow := crashSite(t, nil)
		cfg := writeCrashConfig(t, dir, siteURL)
		syncBin(t, bin, cfg)
		grow()
		// One or two kills at random points, then a run to the end.
		for range 1 + rng.IntN(2) {
			killed, d := killedSync(t, bin, cfg, time.Duration(rng.Int64N(int64(took)+1)))
			if killed {
				kills++
			} else {
				took = min(took, d) // the machine got faster: aim earlier
			}
		}
		syncBin(t, bin, cfg)
		compareMirrors(t, trial, filepath.Join(dir, "mirror"), want)
	}
	if kills < 20 {
		t.Errorf("only %d runs were killed before they ended", kills)
	}
}

func compareMirrors(t *testing.T, trial int, mirror string, want map[string]string) {
	t.Helper()
	got := snapshot(t, mirror)
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("trial %d: %s missing", trial, p)
		} else if g != w {
			t.Errorf("trial %d: %s differs:\n%s\nwant\n%s", trial, p, g, w)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("trial %d: extra file %s", trial, p)
		}
	}
	if st := gitIn(t, mirror, "status", "--porcelain"); st != "" {
		t.Errorf("trial %d: uncommitted changes:\n%s", trial, st)
	}
	if out, err := exec.Command("git", "-C", mirror, "fsck", "--strict").CombinedOutput(); err != nil {
		t.Errorf("trial %d: git fsck: %v\n%s", trial, err, out)
	}
}

func TestDaemonFinishesCurrentArticlesOnSIGTERMAndKeepsSecondInstanceOut(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	slow := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/news/") {
				time.Sleep(300 * time.Millisecond)
			}
			h.ServeHTTP(w, r)
		})
	}
	siteURL, grow := crashSite(t, slow)
	grow()
	cfg := writeCrashConfig(t, dir, siteURL)
	var stderr bytes.Buffer
	daemon := exec.Command(bin, "run", "-c", cfg, "--every", "1h")
	daemon.Stderr = &stderr
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- daemon.Wait() }()
	lock := filepath.Join(dir, "mirror", ".newsmirror", "lock")
	for range 200 {
		if data, _ := os.ReadFile(lock); len(data) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	out, err := exec.Command(bin, "sync", "-c", cfg).CombinedOutput()
	if err == nil || !strings.Contains(string(out), fmt.Sprintf("another newsmirror (pid %d) is working on this mirror", daemon.Process.Pid)) {
		t.Errorf("second instance: %v\n%s", err, out)
	}

	time.Sleep(500 * time.Millisecond) // a few articles are in hand
	daemon.Process.Signal(syscall.SIGTERM)
	if err := <-done; err != nil {
		t.Fatalf("daemon exit after SIGTERM: %v\n%s", err, stderr.String())
	}
	if log := stderr.String(); !strings.Contains(log, `msg="daemon stopped by signal; what was complete is committed" signal=terminated exit=143`) {
		t.Errorf("daemon stopped mid-run logs no stop line naming SIGTERM:\n%s", log)
	}
	mirror := filepath.Join(dir, "mirror")
	if st := gitIn(t, mirror, "status", "--porcelain"); st != "" {
		t.Errorf("uncommitted changes after SIGTERM:\n%s", st)
	}
	pages := gitIn(t, mirror, "ls-files", "pages")
	n := strings.Count(pages, ".md.png")
	if n == 0 || n >= 3*16 {
		t.Errorf("SIGTERM run committed %d pages, want the finished ones (some, not all)", n)
	}
}

func TestCheckReportsBadLinksRowsAndMissingFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ed.csv"), []byte("https://a.test/1.html,好\nno comma\n"), 0o644)
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte(`output: {dir: out}
indexes:
  editors: {file: ed.csv}
  sticky: [{file: missing.csv, position: 1}]
sources:
  - id: s
    rules: {body: div}
    channels: [{id: c, name: c, feed: "http://h.test/f"}]
`), 0o644)
	code, _, stderr := run(t, "check", "-c", cfg)
	if code != 2 || !strings.Contains(stderr, "ed.csv:2: want \"url,title\"") || !strings.Contains(stderr, "missing.csv") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}
