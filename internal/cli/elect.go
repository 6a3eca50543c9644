package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/store"
)

// leaseName is the lease that elects the daemon that syncs.
const leaseName = "sync"

// DefaultLeaseTTL is run's --lease: how long a host that stops renewing
// keeps the lease (a dead or cut-off host is replaced within this, plus
// the standbys' polling, a third of it).
const DefaultLeaseTTL = time.Minute

// election is one host's part in choosing, among the daemons that share
// one state database, the one that syncs: the holder of a lease row whose
// expiry the database's clock decides (store.AcquireLease). The holder
// renews it every third of its time-to-live and gives it up, cancelling
// its run, once it could not renew it for four fifths of it: before the
// database lets another host take it. The others poll it as often and
// take it once it has expired. Every host writes a heartbeat as it does.
type election struct {
	cfg  *config.Config
	host string
	ttl  time.Duration
	log  *slog.Logger
	m    *metrics.Cluster
	db   *store.Store // nil until the state exists (open)
	// opened is db, for /healthz's goroutines.
	opened atomic.Pointer[store.Store]
	// takeover says the lease was last held by another host and this host
	// has not caught up with the upstream since (mirror.Deps.TakeOver).
	takeover bool
	// daemon: the host writes heartbeats (run does, a one-shot sync not).
	daemon  bool
	started bool // the daemon's start is in its heartbeat
}

// defaultHostID names this host in the lease and heartbeats: the host
// name and the configuration file, so that two daemons of one host on two
// configurations are two hosts.
func defaultHostID(cfg *config.Config) string {
	name, err := os.Hostname()
	if err != nil {
		name = "unknown-host"
	}
	file, err := filepath.Abs(cfg.File)
	if err != nil {
		file = cfg.File
	}
	return name + ":" + file
}

// hostIDFlag is --host-id.
func hostIDFlag(fs *flag.FlagSet) *string {
	return fs.String("host-id", "", "this host's `name` in the lease and heartbeats of a shared state (default: host name and configuration file)")
}

// HeldError means another host holds the lease: its daemon syncs.
type HeldError struct{ Lease store.Lease }

func (e *HeldError) Error() string {
	return fmt.Sprintf("host %s holds the lease until %s: its daemon syncs this mirror (stop it, or let it sync)",
		e.Lease.Holder, e.Lease.Until.Format(time.RFC3339))
}

// once takes the lease for one sync, or says who holds it.
func (el *election) once(ctx context.Context) (*hold, error) {
	if err := el.open(ctx); err != nil {
		return nil, err
	}
	if el.db == nil {
		return el.trivial(ctx), nil
	}
	sent := time.Now()
	l, err := el.acquire(ctx)
	if err != nil {
		return nil, err
	}
	if !l.Held {
		return nil, &HeldError{Lease: l}
	}
	el.takeover = takingOverFrom(l) != ""
	return el.keep(ctx, l, sent), nil
}

// takingOverFrom is the host the holder of l must catch up with, "" for
// none.
func takingOverFrom(l store.Lease) string {
	if l.Previous == l.Holder {
		return ""
	}
	return l.Previous
}

// open opens the state database once it exists. A SQLite state that does
// not exist yet is left for the first run to create (and to fill from the
// mirror's export): nobody else can hold a lease in it.
func (el *election) open(ctx context.Context) error {
	if el.db != nil {
		return nil
	}
	path := el.cfg.StatePath()
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !store.IsPostgres(path) {
		return nil
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	el.db = db
	el.opened.Store(db)
	return nil
}

// close closes the state database.
func (el *election) close() {
	if el.db != nil {
		el.db.Close()
	}
}

// hold is this host's hold on the lease, renewed in the background until
// stop; ctx ends when the lease is lost (cause store.ErrLeaseLost) or the
// daemon stops.
type hold struct {
	lease   *store.Lease // nil: a state no other host can share yet
	ctx     context.Context
	cancel  context.CancelCauseFunc
	renewed chan struct{} // closed when the renewal has ended
}

// await returns once this host holds the lease, polling it meanwhile.
func (el *election) await(ctx context.Context) (*hold, error) {
	standby := ""
	for {
		err := el.open(ctx)
		if err == nil && el.db == nil {
			return el.trivial(ctx), nil
		}
		var l store.Lease
		if err == nil {
			sent := time.Now()
			l, err = el.acquire(ctx)
			if err == nil && l.Held {
				from := takingOverFrom(l)
				el.takeover = el.takeover || from != ""
				el.log.Info("holding the lease: this host syncs", "host", el.host, "generation", l.Token, "taking_over_from", from)
				return el.keep(ctx, l, sent), nil
			}
		}
		switch {
		case err != nil:
			el.log.Warn("standing by: the state database is out of reach", "err", err)
		case l.Holder != standby:
			standby = l.Holder
			el.log.Info("standing by: another host holds the lease", "holder", l.Holder, "until", l.Until)
		}
		el.beat(ctx, "")
		if err := sleep(ctx, el.poll()); err != nil {
			return nil, err
		}
	}
}

// trivial is the hold of a host alone with its state (no database yet).
func (el *election) trivial(ctx context.Context) *hold {
	hctx, cancel := context.WithCancelCause(ctx)
	h := &hold{ctx: hctx, cancel: cancel, renewed: make(chan struct{})}
	close(h.renewed)
	return h
}

// keep starts renewing l, acquired by a request sent at sent.
func (el *election) keep(ctx context.Context, l store.Lease, sent time.Time) *hold {
	hctx, cancel := context.WithCancelCause(ctx)
	h := &hold{lease: &l, ctx: hctx, cancel: cancel, renewed: make(chan struct{})}
	el.m.Held(el.host, true)
	go func() {
		defer close(h.renewed)
		el.renew(h, sent)
	}()
	return h
}

// renew renews h's lease every third of its time to live until h ends;
// it cancels h once the lease is lost or could not be renewed in time.
// The host's own deadline counts from when each renewal was sent, so it
// falls before the expiry the database set on receiving it, whatever the
// clocks say; a fifth of the time to live is left for writes in flight.
func (el *election) renew(h *hold, sent time.Time) {
	deadline := sent.Add(el.ttl - el.ttl/5)
	for {
		next := min(el.ttl/3, time.Until(deadline))
		if sleep(h.ctx, next) != nil {
			return
		}
		if !time.Now().Before(deadline) {
			el.lose(h, "it could not be renewed in time")
			return
		}
		rctx, cancel := context.WithDeadline(h.ctx, deadline)
		sent := time.Now()
		l, err := timed(el, metrics.StoreRenew, func() (store.Lease, error) { return el.db.RenewLease(rctx, *h.lease, el.ttl) })
		cancel()
		switch {
		case err == nil && !l.Held:
			el.lose(h, "another host holds it")
			return
		case err == nil:
			deadline = sent.Add(el.ttl - el.ttl/5)
			el.beat(h.ctx, "")
		case h.ctx.Err() == nil:
			el.log.Warn("lease not renewed; trying again", "err", err, "gives_up_in", time.Until(deadline).Round(time.Millisecond).String())
		}
	}
}

// lose ends h: its run stops before committing.
func (el *election) lose(h *hold, why string) {
	el.m.Held(el.host, false)
	el.log.Warn("lease lost: this host stops syncing and stands by", "why", why, "generation", h.lease.Token)
	h.cancel(fmt.Errorf("%w: %s", store.ErrLeaseLost, why))
}

// stop ends h and, when it still holds the lease, releases it so another
// host need not wait for it to expire.
func (el *election) stop(h *hold) {
	h.cancel(nil)
	<-h.renewed
	if h.lease == nil || errors.Is(context.Cause(h.ctx), store.ErrLeaseLost) {
		return
	}
	el.m.Held(el.host, false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := el.db.ReleaseLease(ctx, *h.lease); err != nil {
		el.log.Warn("lease not released: another host takes over when it expires", "err", err)
	}
}

// acquire tries to take the lease.
func (el *election) acquire(ctx context.Context) (store.Lease, error) {
	return timed(el, metrics.StoreAcquire, func() (store.Lease, error) {
		return el.db.AcquireLease(ctx, leaseName, el.host, el.ttl)
	})
}

// beat writes this host's heartbeat (with result, when a run ended); a
// failure is only logged.
func (el *election) beat(ctx context.Context, result string) {
	if el.db == nil || !el.daemon {
		return
	}
	_, err := timed(el, metrics.StoreHeartbeat, func() (struct{}, error) {
		return struct{}{}, el.db.Beat(ctx, el.host, !el.started, result)
	})
	if err == nil {
		el.started = true
	} else if ctx.Err() == nil {
		el.log.Warn("heartbeat not written", "err", err)
	}
}

// poll is the time between two tries of a standby: a third of the time to
// live, give or take a tenth, so that standbys do not ask at once.
func (el *election) poll() time.Duration {
	return time.Duration(float64(el.ttl/3) * (0.9 + 0.2*rand.Float64()))
}

// timed runs one store operation of el and records its duration.
func timed[T any](el *election, op string, fn func() (T, error)) (T, error) {
	began := time.Now()
	v, err := fn()
	el.m.Store(op, time.Since(began), err)
	return v, err
}

// ping answers /healthz: the state database is in reach (within 2 s), or
// not opened yet (a first run creates it).
func (el *election) ping(ctx context.Context) error {
	db := el.opened.Load()
	if db == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return db.Ping(ctx)
}
