package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/store"
)

// runDaemon syncs and publishes every --every (± --jitter) until SIGINT or
// SIGTERM, which let the current articles finish, commit what is complete
// and exit 0. A lock file keeps a second instance off the mirror. Daemons
// of several hosts sharing one state database elect the one that syncs
// through a lease (election); the others stand by and take over when it
// stops renewing it.
func runDaemon(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "run")
	every := durationFlag(fs, "every", 2*time.Hour, "time between the starts of two runs, a `duration` such as 30m or 2h")
	jitter := fs.Float64("jitter", 0.1, "random share of --every added or taken off each wait (0–0.5)")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics and /healthz on this `address` (e.g. 127.0.0.1:9090); empty: none")
	hostID := hostIDFlag(fs)
	ttl := durationFlag(fs, "lease", DefaultLeaseTTL, "how long the lease electing the host that syncs outlives its last renewal, a `duration`: a dead host is replaced within it")
	adopt := adoptFlag(fs)
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	if *every <= 0 || *jitter < 0 || *jitter > 0.5 || *ttl <= 0 {
		fmt.Fprintln(e.stderr, "newsmirror run: --every and --lease must be positive and --jitter within 0–0.5")
		return ExitUsage
	}
	held, err := lockMirror(cfg, *adopt)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror run:", err)
		return refusedCode(err)
	}
	defer held.Release()
	host := cmp.Or(*hostID, defaultHostID(cfg))
	el := &election{cfg: cfg, host: host, ttl: *ttl, log: e.log, daemon: true}
	defer el.close()
	m, err := serveMetrics(ctx, e, *metricsAddr, el.ping)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror run:", err)
		return ExitFatal
	}
	el.m = metrics.NewCluster(m, host)
	d := &daemon{e: e, cfg: cfg, el: el, m: m, every: *every, jitter: *jitter,
		deps: mirror.Deps{Client: fetch.New(cfg.Fetch, fetch.OnRetry(m.Retry)), Log: e.log, Pull: true, Metrics: m, Adopt: *adopt, Lock: held}}
	for {
		h, err := el.await(ctx)
		if err != nil {
			e.log.Info("daemon stopped by signal while standing by", "signal", signalName(ctx))
			return ExitOK
		}
		code, stop := d.lead(ctx, h)
		el.stop(h)
		if stop {
			e.log.Info("daemon stopped by signal; what was complete is committed", "signal", signalName(ctx), "exit", code)
			return ExitOK
		}
	}
}

// daemon is run's loop.
type daemon struct {
	e      *env
	cfg    *config.Config
	el     *election
	m      *metrics.Metrics
	every  time.Duration
	jitter float64
	deps   mirror.Deps
}

// lead syncs every interval while h holds; it returns when the lease is
// lost, when the state a run created can be shared now (a trivial hold
// ends), or with stop set when the daemon is stopped.
func (d *daemon) lead(ctx context.Context, h *hold) (code int, stop bool) {
	for {
		start := time.Now()
		deps := d.deps
		deps.Lease, deps.TakeOver = h.lease, d.el.takeover && h.lease != nil
		var rep *mirror.Report
		code, rep = syncReport(h.ctx, d.e, d.cfg, deps)
		if ctx.Err() != nil {
			return code, true
		}
		if err := leaseLostCause(h.ctx); err != nil {
			d.e.log.Warn("run abandoned: the lease was lost, nothing more is committed or pushed", "err", err)
			return code, false
		}
		d.afterRun(ctx, code, rep)
		observeRepo(ctx, d.e, d.cfg, d.m)
		wait := nextWait(d.every, d.jitter, time.Since(start))
		d.e.log.Info("run finished", "exit", code, "next_run_in", wait.Round(time.Second).String())
		if err := sleep(h.ctx, wait); err != nil {
			if ctx.Err() != nil {
				d.e.log.Info("daemon stopped by signal while waiting for the next run", "signal", signalName(ctx))
				return code, true
			}
			return code, false
		}
		if h.lease == nil && d.el.open(ctx) == nil && d.el.db != nil {
			return code, false // elect from now on
		}
	}
}

// afterRun records the run's outcome in the heartbeat and whether the
// next run must catch up with the upstream first: a takeover not done
// yet, or a push the upstream rejected (another host pushed).
func (d *daemon) afterRun(ctx context.Context, code int, rep *mirror.Report) {
	if code != ExitFatal || (rep != nil && rep.CaughtUp) {
		d.el.takeover = false
	}
	if rejected(d.cfg, rep) {
		d.el.takeover = true
	}
	d.el.beat(ctx, runResult(code, rep))
}

// rejected reports whether the upstream refused the run's push because it
// holds commits the mirror lacks (another host pushed). A forced push's
// stale lease that publish could settle, and any other failure, is not
// one: catching up would throw the run's commit away.
func rejected(cfg *config.Config, rep *mirror.Report) bool {
	if rep == nil {
		return false
	}
	for _, p := range rep.Pushes {
		var rej *publish.RejectedError
		if p.Remote == cfg.Publish.Upstream && errors.As(p.Err, &rej) {
			return true
		}
	}
	return false
}

// runResult sums a run up for the heartbeat.
func runResult(code int, rep *mirror.Report) string {
	if rep == nil {
		return fmt.Sprintf("exit %d", code)
	}
	s := fmt.Sprintf("exit %d: %d pages written", code, len(rep.Written))
	if rep.CaughtUp {
		s += ", took over"
	}
	if rep.Commit != "" {
		s += ", commit " + shortHash(rep.Commit)
	}
	return s
}

// leaseLostCause is why ctx ended when it was the lease's loss, else nil.
func leaseLostCause(ctx context.Context) error {
	if err := context.Cause(ctx); errors.Is(err, store.ErrLeaseLost) {
		return err
	}
	return nil
}

// nextWait is the time from the end of a run that took took to the start
// of the next: every, moved by up to ±jitter of itself.
func nextWait(every time.Duration, jitter float64, took time.Duration) time.Duration {
	j := time.Duration((rand.Float64()*2 - 1) * jitter * float64(every))
	return max(every+j-took, 0)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// signalName names the signal that stopped ctx ("terminated", "interrupt").
func signalName(ctx context.Context) string {
	if s, ok := stopped(ctx); ok {
		return s.Signal.String()
	}
	return ""
}
