package fetch

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// gates keep the client polite: at most perHost requests in flight to one
// host, starts at least minInterval apart, and at most max over all hosts.
// They are shared by every per-source view of a client.
type gates struct {
	global chan struct{}
	mu     sync.Mutex
	hosts  map[string]*hostGate
}

type hostGate struct {
	slots chan struct{}
	mu    sync.Mutex
	next  time.Time // earliest start of the next request
	// paused is when the host's last Retry-After ends: no request starts
	// before it.
	paused time.Time
}

func newGates(max int) *gates {
	return &gates{global: make(chan struct{}, max), hosts: map[string]*hostGate{}}
}

// host returns the gate of host, made with perHost slots the first time.
// Sources sharing a host share its gate: the first to use it sets its size.
func (g *gates) host(host string, perHost int) *hostGate {
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.hosts[host]
	if h == nil {
		h = &hostGate{slots: make(chan struct{}, perHost)}
		g.hosts[host] = h
	}
	return h
}

// pause keeps every request to host from starting before until (a
// Retry-After it sent); a later pause extends it, an earlier one does not
// shorten it.
func (g *gates) pause(host string, until time.Time) {
	h := g.host(host, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if until.After(h.paused) {
		h.paused = until
	}
}

// pausedUntil is when host's pause ends; zero when it is not paused.
func (g *gates) pausedUntil(host string) time.Time {
	g.mu.Lock()
	h := g.hosts[host]
	g.mu.Unlock()
	if h == nil {
		return time.Time{}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.paused.After(time.Now()) {
		return time.Time{}
	}
	return h.paused
}

// acquire waits out host's pause, then for a slot of host, then its
// interval, then a global slot, and returns the function that gives the
// slots back. Every wait ends when ctx does.
func (g *gates) acquire(ctx context.Context, host string, perHost int, interval time.Duration) (func(), error) {
	if until := g.pausedUntil(host); !until.IsZero() {
		if err := sleep(ctx, time.Until(until)); err != nil {
			return nil, err
		}
	}
	h := g.host(host, perHost)
	if err := take(ctx, h.slots); err != nil {
		return nil, err
	}
	if err := h.space(ctx, interval); err != nil {
		<-h.slots
		return nil, err
	}
	if err := take(ctx, g.global); err != nil {
		<-h.slots
		return nil, err
	}
	return func() { <-g.global; <-h.slots }, nil
}

// space waits until interval has passed since the previous start.
func (h *hostGate) space(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return nil
	}
	h.mu.Lock()
	now := time.Now()
	start := now
	if h.next.After(now) {
		start = h.next
	}
	h.next = start.Add(interval)
	h.mu.Unlock()
	return sleep(ctx, start.Sub(now))
}

func take(ctx context.Context, sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// HostBackoffFor is how long to leave a host alone after streak runs in a
// row found it down: HostBackoff doubled per run, capped at
// MaxHostBackoff, the upper half jittered so that mirrors sharing a host
// do not return to it at once.
func (o Options) HostBackoffFor(streak int) time.Duration {
	o = fill(o)
	back := o.MaxHostBackoff
	if streak < 1 {
		streak = 1
	}
	if shift := streak - 1; shift < 32 && o.HostBackoff<<shift > 0 && o.HostBackoff<<shift < o.MaxHostBackoff {
		back = o.HostBackoff << shift
	}
	return back/2 + rand.N(back/2+1)
}
