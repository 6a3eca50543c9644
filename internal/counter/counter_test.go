package counter_test

import (
	"bytes"
	"context"
	"fmt"
	"image/gif"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/store"
)

const reader = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"

var epoch = time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)

// mirrorFixture is a state database with two live pages and one failed
// article, and a mirror folder with the home page and one index.
type mirrorFixture struct {
	dir string
	db  *store.Store
}

func newMirror(t testing.TB) *mirrorFixture {
	t.Helper()
	dir := t.TempDir()
	return fillMirror(t, dir, filepath.Join(dir, ".newsmirror", "state.db"))
}

// fillMirror makes newMirror's mirror in dir with its state at state.
func fillMirror(t testing.TB, dir, state string) *mirrorFixture {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, state)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, id := range []string{"101", "102"} {
		a := store.Article{URL: "http://x.test/" + id + ".html", Source: "x", Channel: "world", ID: id, Title: "新闻" + id, Path: "pages/world/" + id + ".md", Mirrored: epoch}
		if err := db.SavePending(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveFailure(ctx, store.Failure{URL: "http://x.test/104.html", Source: "x", Channel: "world", Reason: "HTTP 404", Class: store.Permanent, At: epoch}); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "README.md", "# home")
	write(t, dir, "indexes/X看世界.md", "index")
	return &mirrorFixture{dir: dir, db: db}
}

func write(t testing.TB, dir, rel, text string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (m *mirrorFixture) counter(t *testing.T, opts counter.Options, met *metrics.Metrics) *counter.Counter {
	t.Helper()
	c, err := counter.New(context.Background(), counter.Config{
		DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: opts, Metrics: met,
		Now: func() time.Time { return epoch },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (m *mirrorFixture) hits(t *testing.T, path string) int64 {
	t.Helper()
	n, err := m.db.Hits(context.Background(), path, epoch.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// get sends one pixel request from client with the given User-Agent.
func get(h http.Handler, target, client, ua string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.RemoteAddr = client + ":40000"
	req.Header.Set("User-Agent", ua)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestCountsReadersOfPagesAndIndexesOnly(t *testing.T) {
	m := newMirror(t)
	c := m.counter(t, counter.DefaultOptions(), nil)
	for i, target := range []string{
		"/goodnews/pages/world/101.md",
		"/goodnews/pages/world/101.md?from=rss",
		"/goodnews/README.md",
		"/goodnews/indexes/%E7%9C%8BX.md", // not an index of the mirror
		"/goodnews/indexes/X%E7%9C%8B%E4%B8%96%E7%95%8C.md",
		"/goodnews/pages/world/104.md",      // failed article: no page
		"/goodnews/pages/world/../101.md",   // not a clean path
		"/goodnews/pages/world/random-1.md", // random paths create no key
		"/goodnews//pages/world/101.md",
	} {
		rec := get(c, target, fmt.Sprintf("192.0.2.%d", i+1), reader) // a reader each: one counts once per page and hour
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/gif" {
			t.Errorf("%s: %d %s, want the pixel", target, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"pages/world/101.md": 2, "README.md": 1, "indexes/X看世界.md": 1,
		"pages/world/102.md": 0, "pages/world/104.md": 0, "pages/world/random-1.md": 0, "indexes/看X.md": 0,
	}
	for path, n := range want {
		if got := m.hits(t, path); got != n {
			t.Errorf("hits of %s = %d, want %d", path, got, n)
		}
	}
}

func TestBotsAreAnsweredButNotCounted(t *testing.T) {
	m := newMirror(t)
	opts := counter.DefaultOptions()
	opts.Bots = []string{"MirrorWatch"}
	met := metrics.New()
	c := m.counter(t, opts, met)
	for _, ua := range []string{
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (compatible; Baiduspider/2.0)",
		"curl/8.5.0",
		"Go-http-client/1.1",
		"",
		"mirrorwatch/1.0",
	} {
		if rec := get(c, "/goodnews/pages/world/101.md", "192.0.2.1", ua); rec.Code != http.StatusOK {
			t.Errorf("%q: status %d", ua, rec.Code)
		}
	}
	get(c, "/goodnews/pages/world/101.md", "192.0.2.1", "github-camo (c0ffee)")
	c.Flush(context.Background())
	if n := m.hits(t, "pages/world/101.md"); n != 1 {
		t.Errorf("hits = %d, want 1 (only GitHub's image proxy, fetching for a reader)", n)
	}
	scrape := get(met.Handler(), "/metrics", "127.0.0.1", "prometheus").Body.String()
	for _, want := range []string{`newsmirror_hits_rejected_total{reason="bot"} 6`, "newsmirror_hits_counted_total 1", "newsmirror_counter_known_paths 4"} {
		if !strings.Contains(scrape, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestPixelIsAnUncachableTransparentGIF(t *testing.T) {
	c := newMirror(t).counter(t, counter.DefaultOptions(), nil)
	rec := get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader)
	img, err := gif.Decode(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("pixel is not a GIF: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1 || b.Dy() != 1 {
		t.Errorf("pixel is %v, want 1×1", b)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("pixel alpha = %d, want transparent", a)
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") || !strings.Contains(cc, "no-cache") {
		t.Errorf("Cache-Control = %q", cc)
	}
	if rec.Header().Get("Expires") == "" || rec.Header().Get("Pragma") != "no-cache" {
		t.Errorf("headers %v lack Expires and Pragma", rec.Header())
	}
}

func TestOtherPathsAndMethods(t *testing.T) {
	c := newMirror(t).counter(t, counter.DefaultOptions(), nil)
	if rec := get(c, "/healthz", "192.0.2.1", reader); rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("/healthz: %d %q", rec.Code, rec.Body.String())
	}
	if rec := get(c, "/elsewhere/pages/world/101.md", "192.0.2.1", reader); rec.Code != http.StatusNotFound {
		t.Errorf("path outside the counter: %d, want 404", rec.Code)
	}
	req := httptest.NewRequest(http.MethodPost, "/goodnews/pages/world/101.md", strings.NewReader("x"))
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestClientBeyondItsBurstIsNotCounted(t *testing.T) {
	m := newMirror(t)
	opts := counter.DefaultOptions()
	opts.ClientBurst, opts.ClientRate = 3, 0.001
	c := m.counter(t, opts, nil)
	pages := []string{"pages/world/101.md", "pages/world/102.md", "README.md", "indexes/X看世界.md"}
	for i := range 10 {
		get(c, "/goodnews/"+pages[i%len(pages)], "192.0.2.1", reader)
	}
	get(c, "/goodnews/pages/world/101.md", "198.51.100.7", reader)
	c.Flush(context.Background())
	var n int64
	for _, p := range pages {
		n += m.hits(t, p)
	}
	if n != 4 {
		t.Errorf("hits = %d, want 3 from the busy client and 1 from the other", n)
	}
}

func TestClientHeaderKeysBucketsBehindAProxy(t *testing.T) {
	m := newMirror(t)
	opts := counter.DefaultOptions()
	opts.ClientBurst, opts.ClientRate, opts.ClientHeader = 1, 0.001, "X-Forwarded-For"
	c := m.counter(t, opts, nil)
	for _, fwd := range []string{"203.0.113.1", "203.0.113.2", "10.9.9.9, 203.0.113.3", "203.0.113.3"} {
		req := httptest.NewRequest(http.MethodGet, "/goodnews/pages/world/102.md", nil)
		req.RemoteAddr = "127.0.0.1:5000"
		req.Header.Set("User-Agent", reader)
		req.Header.Set("X-Forwarded-For", fwd)
		c.ServeHTTP(httptest.NewRecorder(), req)
	}
	c.Flush(context.Background())
	if n := m.hits(t, "pages/world/102.md"); n != 3 {
		t.Errorf("hits = %d, want one per forwarded client (the last address of the list)", n)
	}
}

func TestRefreshCountsPagesAddedLater(t *testing.T) {
	m := newMirror(t)
	c := m.counter(t, counter.DefaultOptions(), nil)
	ctx := context.Background()
	err := m.db.SavePending(ctx, store.Article{URL: "http://x.test/103.html", Source: "x", Channel: "world", ID: "103", Path: "pages/world/103.md", Mirrored: epoch})
	if err != nil {
		t.Fatal(err)
	}
	get(c, "/goodnews/pages/world/103.md", "192.0.2.1", reader)
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	get(c, "/goodnews/pages/world/103.md", "192.0.2.1", reader)
	c.Flush(ctx)
	if n := m.hits(t, "pages/world/103.md"); n != 1 {
		t.Errorf("hits = %d, want 1 (the hit after the refresh)", n)
	}
}

func TestAReaderCountsOncePerPageAndHour(t *testing.T) {
	m := newMirror(t)
	now := epoch
	opts := counter.DefaultOptions()
	opts.ClientBurst = 1000
	c, err := counter.New(context.Background(), counter.Config{DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: opts, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader)
	}
	// One host picking addresses all over its IPv6 /64 is one reader.
	for i := range 50 {
		get(c, "/goodnews/pages/world/101.md", fmt.Sprintf("[2001:db8:1:2::%x]", i+1), reader)
		get(c, "/goodnews/pages/world/101.md", fmt.Sprintf("[2001:db8:1:2:%x::1]", i+1), reader)
	}
	get(c, "/goodnews/pages/world/102.md", "192.0.2.1", reader)          // another page
	get(c, "/goodnews/pages/world/101.md", "[2001:db8:1:3::1]", reader)  // another /64
	get(c, "/goodnews/pages/world/101.md", "[::ffff:192.0.2.1]", reader) // the IPv4 reader again
	// GitHub's image proxy relays many readers: not deduplicated.
	for range 5 {
		get(c, "/goodnews/README.md", "140.82.112.1", "github-camo (876de43e)")
	}
	now = now.Add(time.Hour)
	get(c, "/goodnews/pages/world/101.md", "192.0.2.1", reader) // the next hour
	c.Flush(context.Background())
	if n := m.hits(t, "pages/world/101.md"); n != 4 {
		t.Errorf("hits of 101 = %d, want 4: the IPv4 reader in two hours, two IPv6 /64s", n)
	}
	if n := m.hits(t, "pages/world/102.md"); n != 1 {
		t.Errorf("hits of 102 = %d, want 1", n)
	}
	if n := m.hits(t, "README.md"); n != 5 {
		t.Errorf("hits relayed by GitHub's image proxy = %d, want 5", n)
	}
}

func TestFlushAddsToEarlierCounts(t *testing.T) {
	m := newMirror(t)
	c := m.counter(t, counter.DefaultOptions(), nil)
	ctx := context.Background()
	for i := range 3 {
		get(c, "/goodnews/pages/world/101.md", fmt.Sprintf("192.0.2.%d", i+1), reader)
		if err := c.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := m.hits(t, "pages/world/101.md"); n != 3 {
		t.Errorf("hits = %d, want 3", n)
	}
}

func TestPrefixOfPixelURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://gfw-breaker.win/goodnews/{path}", "/goodnews/"},
		{"http://127.0.0.1:8080/{path}", "/"},
		{"https://c.example/a%20b/{path}", "/a b/"},
		{"http://c.example/hit?p={path}", ""},
		{"http://c.example/{channel}/{path}", ""},
		{"http://c.example/{path}.gif", ""},
		{"", ""},
	} {
		got, err := counter.Prefix(tc.in)
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("Prefix(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestMetricsCanBeKeptOffThePublicListener(t *testing.T) {
	m := newMirror(t)
	met := metrics.New()
	c, err := counter.New(context.Background(), counter.Config{
		DB: m.db, Dir: m.dir, Prefix: "/goodnews/", Options: counter.DefaultOptions(), Metrics: met, HideMetrics: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec := get(c, "/metrics", "192.0.2.1", reader); rec.Code != http.StatusNotFound {
		t.Errorf("/metrics on the public handler: %d, want 404", rec.Code)
	}
	if rec := get(newMirror(t).counter(t, counter.DefaultOptions(), met), "/metrics", "192.0.2.1", reader); !strings.Contains(rec.Body.String(), "newsmirror_hits_counted_total") {
		t.Errorf("/metrics not served by default: %d", rec.Code)
	}
}

func TestRootPrefixStillAnswersHealthAndMetrics(t *testing.T) {
	m := newMirror(t)
	c, err := counter.New(context.Background(), counter.Config{
		DB: m.db, Dir: m.dir, Prefix: "/", Options: counter.DefaultOptions(), Metrics: metrics.New(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec := get(c, "/healthz", "192.0.2.1", reader); rec.Body.String() != "ok\n" {
		t.Errorf("/healthz = %q", rec.Body.String())
	}
	if rec := get(c, "/metrics", "192.0.2.1", reader); !strings.Contains(rec.Body.String(), "newsmirror_hits_counted_total") {
		t.Errorf("/metrics not served with the prefix /")
	}
	get(c, "/README.md", "192.0.2.1", reader)
	c.Flush(context.Background())
	if n := m.hits(t, "README.md"); n != 1 {
		t.Errorf("hits of README.md = %d, want 1", n)
	}
}

func TestPruneDeletesCountsOlderThanKeepHits(t *testing.T) {
	m := newMirror(t)
	ctx := context.Background()
	old := store.HitCount{Path: "pages/world/101.md", Hour: epoch.Add(-31 * 24 * time.Hour).Truncate(time.Hour), Count: 9}
	recent := store.HitCount{Path: "pages/world/101.md", Hour: epoch.Add(-29 * 24 * time.Hour).Truncate(time.Hour), Count: 4}
	if err := m.db.AddHits(ctx, []store.HitCount{old, recent}); err != nil {
		t.Fatal(err)
	}
	c := m.counter(t, counter.DefaultOptions(), nil)
	if err := c.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := m.db.Hits(ctx, "pages/world/101.md", time.Time{})
	if err != nil || n != 4 {
		t.Errorf("hits kept = %d, %v; want only the 4 of 29 days ago", n, err)
	}
}
