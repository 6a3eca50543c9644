package outage

import (
	"sync"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

// MinDown is how many transient failures a host needs in a run before it
// can be found down.
const MinDown = 2

// Hosts tracks how the hosts of a run's articles are doing; the run's
// workers may share it. A host is down when at least MinDown of its
// articles failed transiently and they outnumber the rest of its
// articles tried.
type Hosts struct {
	mu    sync.Mutex
	known map[string]store.Host // down before this run
	runs  map[string]*tally
}

// tally is one host's outcomes in this run.
type tally struct {
	ok, transient, permanent int
	down                     bool
	since                    time.Time
}

// NewHosts returns a tracker for a run that starts with the hosts known
// down before it (store.Store.Hosts), which may be nil.
func NewHosts(known map[string]store.Host) *Hosts {
	return &Hosts{known: known, runs: map[string]*tally{}}
}

func (h *Hosts) tally(host string) *tally {
	t := h.runs[host]
	if t == nil {
		t = &tally{}
		h.runs[host] = t
	}
	return t
}

// Blocked returns why host must not be asked at now (a *HostDownError),
// nil when it may be.
func (h *Hosts) Blocked(host string, now time.Time) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := h.runs[host]; t != nil && t.down {
		return &HostDownError{Host: host, Since: t.since}
	}
	if k, ok := h.known[host]; ok && now.Before(k.NotBefore) {
		return &HostDownError{Host: host, Since: k.DownSince, Until: k.NotBefore}
	}
	return nil
}

// Note counts one article's outcome on host: class is "" for a success,
// else Class of its error. It reports whether that made the host down,
// which it does once per run; a host known down before keeps its first
// DownSince.
func (h *Hosts) Note(host, class string, now time.Time) (wentDown bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.tally(host)
	switch class {
	case "":
		t.ok++
	case store.Transient:
		t.transient++
	default:
		t.permanent++
	}
	if t.down || t.transient < MinDown || t.transient <= t.ok+t.permanent {
		return false
	}
	t.down, t.since = true, now
	if k, ok := h.known[host]; ok {
		t.since = k.DownSince
	}
	return true
}

// WasDown reports whether host was known down before this run.
func (h *Hosts) WasDown(host string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.known[host]
	return ok
}
