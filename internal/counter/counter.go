// Package counter is newsmirror's hit counter: a small HTTP server that
// answers the invisible pixel of every mirrored page and index, counts the
// hits of real readers per page and hour, and writes them to the state
// database, where the next sync turns them into the hot list. Counts are
// written in batches carrying an id, sent again under that id until the
// database answers, so that counters on several hosts sharing one state
// write every counted hit exactly once; the buffer between writes is
// bounded (Options.MaxPending).
//
// It is built to face the internet: only paths of the mirror are counted (a
// flood of random paths grows neither memory nor the database), crawlers are
// not counted, a token bucket per client blunts inflation, a client (an IPv4
// address or an IPv6 /64) counts once per page per hour, and no client
// address or User-Agent is ever stored or logged.
package counter

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/store"
)

// Config is what a Counter needs.
type Config struct {
	// DB receives the counts and knows the mirror's pages.
	DB *store.Store
	// Dir is the mirror folder, where the index files are.
	Dir string
	// Prefix is the request path before a repository path, e.g. "/goodnews/";
	// see Prefix.
	Prefix  string
	Options Options
	// Metrics counts hits; nil counts nothing.
	Metrics *metrics.Metrics
	// HideMetrics keeps /metrics off this handler (it is served elsewhere).
	HideMetrics bool
	// Log receives flush and refresh problems; nil discards them.
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Spill is the file where the counts go when the state database takes
	// none at shutdown (locked, unreachable); New reads it back and the next
	// flush writes them. It is this host's own file, never shared. Empty:
	// such counts are lost (and Run says so).
	Spill string
	// Instance names this counter in the ids of the batches it writes; it
	// must differ between counters writing to one state database, and
	// between starts of one. Empty: the host name and a random suffix.
	Instance string
}

// Counter counts page hits. It is an http.Handler and safe for concurrent use.
type Counter struct {
	cfg     Config
	known   atomic.Pointer[pathSet]
	limiter *limiter
	seen    *seenHour
	bots    bots

	mu      sync.Mutex
	pending map[hitKey]int64
	full    chan struct{} // asks Run for a flush when pending is at its bound

	flushMu   sync.Mutex             // one flush at a time; guards the fields below
	sent      []*batch               // written without a known outcome: sent again as they are
	seq       int64                  // the last batch's sequence number
	fromSpill map[store.BatchID]bool // batches read from the spill file, to take out once written
	legacy    bool                   // sent holds the spill file's counts that had no id
	health    storeHealth
}

type hitKey struct {
	path string
	hour int64 // hours since the Unix epoch
}

// New returns a counter that knows the mirror's current pages.
func New(ctx context.Context, cfg Config) (*Counter, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Instance == "" {
		cfg.Instance = instanceName()
	}
	o := cfg.Options
	c := &Counter{
		cfg:     cfg,
		limiter: newLimiter(o.ClientRate, o.ClientBurst, o.MaxClients),
		seen:    newSeenHour(o.MaxClients * 4),
		bots:    newBots(o.Bots),
		pending: map[hitKey]int64{},
		full:    make(chan struct{}, 1),
	}
	if err := c.Refresh(ctx); err != nil {
		return nil, err
	}
	if err := c.loadSpill(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Prefix is the request path prefix of a pixel URL template whose path ends
// in {path}: "http://counter.example/goodnews/{path}" → "/goodnews/".
func Prefix(pixelURL string) (string, error) {
	before, after, found := strings.Cut(pixelURL, "{path}")
	if !found || after != "" || strings.ContainsAny(before, "{}?#") {
		return "", fmt.Errorf("pixel URL %q must end in {path} with no other placeholder or query", pixelURL)
	}
	u, err := url.Parse(before)
	if err != nil {
		return "", fmt.Errorf("pixel URL %q: %w", pixelURL, err)
	}
	if !strings.HasPrefix(u.Path, "/") {
		return "/" + u.Path, nil
	}
	return u.Path, nil
}

// Refresh reloads the set of countable paths.
func (c *Counter) Refresh(ctx context.Context) error {
	set, err := loadPaths(ctx, c.cfg.DB, c.cfg.Dir)
	if err != nil {
		return fmt.Errorf("load countable paths: %w", err)
	}
	c.known.Store(&set)
	c.cfg.Metrics.KnownPaths(len(set))
	return nil
}

// ServeHTTP answers /healthz, /metrics and the pixel under the prefix.
// /healthz and /metrics come first: with the prefix "/" they are no file
// of the mirror anyway.
func (c *Counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/healthz":
		c.serveHealth(w, r)
	case p == "/metrics" && !c.cfg.HideMetrics:
		c.cfg.Metrics.Handler().ServeHTTP(w, r)
	case strings.HasPrefix(p, c.cfg.Prefix):
		c.servePixel(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (c *Counter) servePixel(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		c.cfg.Metrics.HitRejected(metrics.RejectMethod)
		return
	}
	if r.Method == http.MethodGet {
		c.count(r)
	}
	writePixel(w)
}

// count adds the hit when it is a reader's view of a page of the mirror.
func (c *Counter) count(r *http.Request) {
	p, ok := (*c.known.Load())[repoPath(strings.TrimPrefix(r.URL.Path, c.cfg.Prefix))]
	if !ok {
		c.cfg.Metrics.HitRejected(metrics.RejectUnknown)
		return
	}
	if c.bots.is(r.UserAgent()) {
		c.cfg.Metrics.HitRejected(metrics.RejectBot)
		return
	}
	now := c.cfg.Now()
	client := clientKey(c.client(r))
	if !c.limiter.allow(client, now) {
		c.cfg.Metrics.HitRejected(metrics.RejectRate)
		return
	}
	hour := now.Unix() / 3600
	if !relay(r.UserAgent()) && !c.seen.first(client, p, hour) {
		c.cfg.Metrics.HitRejected(metrics.RejectRepeat)
		return
	}
	if !c.add(hitKey{p, hour}) {
		c.cfg.Metrics.HitRejected(metrics.RejectFull)
		return
	}
	c.cfg.Metrics.HitCounted()
}

// add adds one hit to the buffer, unless it would hold more than
// Options.MaxPending counts: then it asks Run for a flush and reports false.
func (c *Counter) add(k hitKey) bool {
	c.mu.Lock()
	_, had := c.pending[k]
	ok := had || len(c.pending) < c.maxPending()
	if ok {
		c.pending[k]++
	}
	c.mu.Unlock()
	if !ok {
		select {
		case c.full <- struct{}{}:
		default:
		}
	}
	return ok
}

// client is the address the request is counted for (keyed by clientKey,
// hashed, never stored).
func (c *Counter) client(r *http.Request) string {
	if h := c.cfg.Options.ClientHeader; h != "" {
		if v := r.Header.Get(h); v != "" {
			if i := strings.LastIndexByte(v, ','); i >= 0 {
				v = v[i+1:]
			}
			return strings.TrimSpace(v)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Prune deletes the hit counts older than Options.KeepHits.
func (c *Counter) Prune(ctx context.Context) error {
	_, err := c.cfg.DB.PruneHits(ctx, c.cfg.Now().Add(-c.cfg.Options.KeepHits))
	return err
}
