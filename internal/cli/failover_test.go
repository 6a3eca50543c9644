package cli_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// Timing of the failover tests' daemons: runs back to back, a short lease.
const (
	foEvery = time.Second
	foLease = 2 * time.Second
)

// growingSite serves channels of articles whose pages answer slowly (so a
// run is mid-sync most of the time) and publishes more articles while the
// test runs; all lists every article it will have published.
type growingSite struct {
	url  string
	site *fakenews.Site
	all  []fakenews.Article
	done chan struct{} // closed when every article is published
}

func newGrowingSite(t *testing.T) *growingSite {
	t.Helper()
	g := &growingSite{site: fakenews.New(), done: make(chan struct{})}
	start := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	var later []fakenews.Article
	for _, ch := range channels {
		arts := fakenews.Generate(ch, 14, start)
		for i := range arts {
			arts[i].Channel = ch
		}
		g.site.Add(ch, arts[:4]...)
		g.all = append(g.all, arts...)
		later = append(later, arts[4:]...)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/news/") {
			time.Sleep(150 * time.Millisecond)
		}
		g.site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	g.url = srv.URL
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		defer close(g.done)
		for i, a := range later {
			select {
			case <-stop:
				return
			case <-time.After(250 * time.Millisecond):
			}
			g.site.Add(later[i].Channel, a)
		}
	}()
	return g
}

// failoverHosts are two hosts' daemons on one configuration (each in its
// own folder, with its own working copy), one bare upstream and one state.
type failoverHosts struct {
	t       *testing.T
	bin     string
	bare    string
	site    *growingSite
	dirs    map[string]string
	daemons map[string]*exec.Cmd
	exited  map[string]chan error
	logs    map[string]*lockedBuffer
	openDB  func() *store.Store
	metrics map[string]string // host's --metrics-addr
}

// newFailoverHosts writes the configuration of hosts "a" and "b", whose
// output.state is state(host).
func newFailoverHosts(t *testing.T, state func(host string) string, openDB func() *store.Store) *failoverHosts {
	t.Helper()
	root := t.TempDir()
	f := &failoverHosts{t: t, bin: buildBinary(t), bare: filepath.Join(root, "up.git"), site: newGrowingSite(t),
		dirs: map[string]string{}, daemons: map[string]*exec.Cmd{}, exited: map[string]chan error{},
		logs: map[string]*lockedBuffer{}, openDB: openDB, metrics: map[string]string{}}
	gitIn(t, root, "init", "-q", "--bare", "-b", "main", f.bare)
	var chs strings.Builder
	for _, ch := range channels {
		fmt.Fprintf(&chs, "      - {id: %s, name: 频道%s, feed: \"%s/feeds/%s.xml\"}\n", ch, ch, f.site.url, ch)
	}
	for _, host := range []string{"a", "b"} {
		dir := filepath.Join(root, host)
		os.MkdirAll(dir, 0o755)
		f.dirs[host] = dir
		os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(fmt.Sprintf(`output:
  dir: mirror
  state: %q
  page_url: "https://github.com/o/r/blob/main/{path}"
  pixel_url: "http://counter.example.test/r/{path}"
indexes: {length: 4}
publish:
  keep: 1000
  upstream: up
  remotes: [{name: up, url: "file://%s"}]
fetch: {workers: 2, allow: [127.0.0.1]}
sources:
  - id: ex
    prefix: X
    rules: {body: div.article}
    channels:
%s`, state(host), f.bare, chs.String())), 0o644)
	}
	return f
}

// lockedBuffer is a log both a daemon and the test use.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start starts host's daemon.
func (f *failoverHosts) start(host string) {
	f.t.Helper()
	f.metrics[host] = freeLoopbackAddr(f.t)
	cmd := exec.Command(f.bin, "run", "-c", filepath.Join(f.dirs[host], "config.yaml"), "--host-id", host,
		"--every", foEvery.String(), "--jitter", "0", "--lease", foLease.String(), "--metrics-addr", f.metrics[host])
	f.logs[host] = &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = f.logs[host], f.logs[host]
	if err := cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	cmd.WaitDelay = 5 * time.Second
	done := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		done <- err
		close(done)
	}()
	f.daemons[host], f.exited[host] = cmd, done
	f.t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		if f.t.Failed() {
			f.t.Logf("log of host %s:\n%s", host, f.logs[host])
		}
	})
}

// holder waits until a host holds the lease and names it.
func (f *failoverHosts) holder(within time.Duration, not string) (string, time.Duration) {
	f.t.Helper()
	db := f.openDB()
	defer db.Close()
	began := time.Now()
	for time.Since(began) < within {
		l, found, err := db.LeaseHolder(context.Background(), "sync")
		if err == nil && found && l.Held && l.Holder != not {
			return l.Holder, time.Since(began)
		}
		time.Sleep(50 * time.Millisecond)
	}
	f.t.Fatalf("no host other than %q holds the lease after %s", not, within)
	return "", 0
}

// waitPushed waits until the upstream has a commit.
func (f *failoverHosts) waitPushed(within time.Duration) {
	f.t.Helper()
	for began := time.Now(); time.Since(began) < within; time.Sleep(100 * time.Millisecond) {
		if exec.Command("git", "-C", f.bare, "rev-parse", "--verify", "-q", "main").Run() == nil {
			return
		}
	}
	f.t.Fatalf("nothing pushed to the upstream after %s", within)
}

// waitComplete waits, once the site stopped growing, until the upstream
// holds a page of every article.
func (f *failoverHosts) waitComplete(within time.Duration) {
	f.t.Helper()
	<-f.site.done
	want := len(f.site.all)
	got := 0
	for began := time.Now(); time.Since(began) < within; time.Sleep(250 * time.Millisecond) {
		out, err := exec.Command("git", "-C", f.bare, "ls-tree", "-r", "--name-only", "main", "pages").Output()
		if err != nil {
			continue
		}
		if got = strings.Count(string(out), ".md\n"); got >= want {
			return
		}
	}
	f.t.Fatalf("the upstream has %d of %d pages after %s", got, want, within)
}

// stop ends host's daemon with SIGTERM.
func (f *failoverHosts) stop(host string) {
	f.t.Helper()
	f.daemons[host].Process.Signal(syscall.SIGTERM)
	select {
	case err := <-f.exited[host]:
		if err != nil {
			f.t.Errorf("daemon %s after SIGTERM: %v", host, err)
		}
	case <-time.After(30 * time.Second):
		f.t.Errorf("daemon %s did not stop after SIGTERM", host)
	}
}

// checkUpstream asserts that the upstream holds every article of the site
// exactly once: one page each, added once in a linear history, and that
// git finds nothing wrong with it.
func (f *failoverHosts) checkUpstream() {
	f.t.Helper()
	t := f.t
	files := strings.Fields(gitIn(t, f.bare, "ls-tree", "-r", "--name-only", "main", "pages"))
	var pages []string
	for _, p := range files {
		if strings.HasSuffix(p, ".md") {
			pages = append(pages, p)
		}
	}
	if len(pages) != len(f.site.all) {
		t.Errorf("the upstream has %d pages for %d articles:\n%s", len(pages), len(f.site.all), strings.Join(pages, "\n"))
	}
	for _, a := range f.site.all {
		out, _ := exec.Command("git", "-C", f.bare, "grep", "-l", "-F", "第二段："+a.ID+"。", "main", "--", "pages/*.md").Output()
		if n := len(strings.Fields(string(out))); n != 1 {
			t.Errorf("article %s is on %d pages of the upstream, want 1: %s", a.ID, n, out)
		}
	}
	added := map[string]int{}
	for _, p := range strings.Fields(gitIn(t, f.bare, "log", "--diff-filter=A", "--name-only", "--format=", "main", "--", "pages")) {
		added[p]++
	}
	for p, n := range added {
		if n != 1 {
			t.Errorf("%s was added %d times to the upstream's history", p, n)
		}
	}
	if merges := gitIn(t, f.bare, "rev-list", "--merges", "main"); merges != "" {
		t.Errorf("the upstream's history has merges: %s", merges)
	}
	if out, err := exec.Command("git", "-C", f.bare, "fsck", "--strict").CombinedOutput(); err != nil {
		t.Errorf("git fsck --strict of the upstream: %v\n%s", err, out)
	}
}

// failover runs both daemons, ends the lease holder's part with cut once
// it has pushed and is mid-sync, and checks that the other host takes
// over within one interval plus the lease's time and completes the
// mirror; it returns the host that was cut.
func (f *failoverHosts) failover(cut func(host string)) string {
	f.t.Helper()
	f.start("a")
	f.start("b")
	first, _ := f.holder(30*time.Second, "")
	f.waitPushed(60 * time.Second)
	time.Sleep(700 * time.Millisecond) // into its next run
	cut(first)
	next, took := f.holder(foEvery+foLease+10*time.Second, first)
	f.t.Logf("host %s cut; host %s holds the lease %s later", first, next, took.Round(time.Millisecond))
	if limit := foEvery + foLease; took > limit+2*time.Second {
		f.t.Errorf("host %s took over %s after host %s was cut, want within one interval plus the lease (%s) and 2 s of slack", next, took, first, limit)
	}
	f.waitComplete(90 * time.Second)
	f.stop(next)
	f.checkUpstream()
	if out, err := exec.Command("git", "-C", filepath.Join(f.dirs[next], "mirror"), "fsck", "--strict").CombinedOutput(); err != nil {
		f.t.Errorf("git fsck --strict of %s's working copy: %v\n%s", next, err, out)
	}
	for _, l := range strings.Split(f.logs[next].String(), "\n") {
		if strings.Contains(l, "took over") || strings.Contains(l, "lease") {
			f.t.Log(l)
		}
	}
	if !strings.Contains(f.logs[next].String(), "took over from another host") {
		f.t.Errorf("host %s never caught up with the upstream as it took over", next)
	}
	return first
}

func TestDaemonOnSharedSQLiteStateTakesOverFromAKilledHolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two daemons for about half a minute; .ci/run runs it in full")
	}
	state := filepath.Join(t.TempDir(), "shared", "state.db")
	open := func() *store.Store {
		db, err := store.Open(context.Background(), state)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	open().Close() // both hosts share the state from their first run
	f := newFailoverHosts(t, func(string) string { return state }, open)
	f.failover(func(host string) { f.daemons[host].Process.Signal(syscall.SIGKILL) })
}

// sharedPostgres is a fresh PostgreSQL state for the test: its address,
// and a store on it for the test's own reads.
func sharedPostgres(t *testing.T) (string, func() *store.Store) {
	t.Helper()
	dsn := storetest.PostgresState(t)
	return dsn, func() *store.Store {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
}

func TestDaemonOnPostgresTakesOverFromAKilledHolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two daemons for about half a minute; .ci/run runs it in full")
	}
	dsn, open := sharedPostgres(t)
	f := newFailoverHosts(t, func(string) string { return dsn }, open)
	f.failover(func(host string) { f.daemons[host].Process.Signal(syscall.SIGKILL) })
}

func TestDaemonOnPostgresTakesOverFromAHolderCutOffFromTheDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two daemons for about half a minute; .ci/run runs it in full")
	}
	dsn, open := sharedPostgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	// Each host reaches PostgreSQL through a forwarder of its own.
	forwarders := map[string]*forwarder{}
	state := func(host string) string {
		fw := newForwarder(t, u.Host)
		forwarders[host] = fw
		v := *u
		v.Host = fw.addr()
		return v.String()
	}
	f := newFailoverHosts(t, state, open)
	cut := f.failover(func(host string) { forwarders[host].cutOff() })
	// The host cut off is alive, standing by, and says so.
	if err := f.daemons[cut].Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("host %s cut off from the database died: %v", cut, err)
	}
	if resp, err := http.Get("http://" + f.metrics[cut] + "/healthz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz of the host cut off: %v %v; want 503", resp, err)
	}
	if scrape := get(t, "http://"+f.metrics[cut]+"/metrics"); !strings.Contains(scrape, `newsmirror_lease_held{host="`+cut+`"} 0`) ||
		!strings.Contains(scrape, "newsmirror_store_up 0") {
		t.Errorf("metrics of the host cut off:\n%s", scrape)
	}
	if log := f.logs[cut].String(); !strings.Contains(log, "lease lost: this host stops syncing") {
		t.Errorf("host %s never said it lost the lease:\n%s", cut, log)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// forwarder is a loopback TCP forwarder between one daemon and the
// database; cutOff closes every connection through it and refuses new
// ones, as a network cut would.
type forwarder struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	cut    bool
}

func newForwarder(t *testing.T, target string) *forwarder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fw := &forwarder{ln: ln, target: target}
	t.Cleanup(fw.cutOff)
	go fw.serve()
	return fw
}

func (fw *forwarder) addr() string { return fw.ln.Addr().String() }

func (fw *forwarder) serve() {
	for {
		c, err := fw.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", fw.target)
		if err != nil {
			c.Close()
			continue
		}
		fw.mu.Lock()
		if fw.cut {
			fw.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		fw.conns = append(fw.conns, c, up)
		fw.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

func (fw *forwarder) cutOff() {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.cut = true
	fw.ln.Close()
	for _, c := range fw.conns {
		c.Close()
	}
	fw.conns = nil
}
