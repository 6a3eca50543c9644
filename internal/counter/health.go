package counter

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// How /healthz checks the state database: one ping at a time, its answer
// reused for healthCache, so that a flood of health requests (the public
// listener answers them) costs the shared database at most one ping per
// healthCache.
const (
	healthCache   = time.Second
	healthTimeout = 2 * time.Second
)

// storeHealth is the last answer of the state database to a ping.
type storeHealth struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// serveHealth answers 200 "ok" when the state database answers, and 503
// with the reason when it does not: a counter whose store is unreachable
// still answers pixels and keeps their counts, but a health check (a load
// balancer, a container's HEALTHCHECK) must know that nothing is written.
func (c *Counter) serveHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := c.storeErr(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("store unreachable: " + err.Error() + "\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

// storeErr pings the state database unless a ping ended within healthCache.
func (c *Counter) storeErr(ctx context.Context) error {
	h := &c.health
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.at.IsZero() && time.Since(h.at) < healthCache {
		return h.err
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), healthTimeout)
	defer cancel()
	h.err = c.cfg.DB.Ping(pctx)
	h.at = time.Now()
	return h.err
}
