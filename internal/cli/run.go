package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

// runDaemon syncs and publishes every --every (± --jitter) until SIGINT or
// SIGTERM, which let the current articles finish, commit what is complete
// and exit 0. A lock file keeps a second instance off the mirror.
func runDaemon(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "run")
	every := durationFlag(fs, "every", 2*time.Hour, "time between the starts of two runs, a `duration` such as 30m or 2h")
	jitter := fs.Float64("jitter", 0.1, "random share of --every added or taken off each wait (0–0.5)")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics and /healthz on this `address` (e.g. 127.0.0.1:9090); empty: none")
	adopt := adoptFlag(fs)
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	if *every <= 0 || *jitter < 0 || *jitter > 0.5 {
		fmt.Fprintln(e.stderr, "newsmirror run: --every must be positive and --jitter within 0–0.5")
		return ExitUsage
	}
	held, err := lockMirror(cfg, *adopt)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror run:", err)
		return refusedCode(err)
	}
	defer held.Release()
	m, err := serveMetrics(ctx, e, *metricsAddr)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror run:", err)
		return ExitFatal
	}
	for {
		start := time.Now()
		code := syncWith(ctx, e, cfg, mirror.Deps{Client: fetch.New(cfg.Fetch, fetch.OnRetry(m.Retry)), Log: e.log, Pull: true, Metrics: m, Adopt: *adopt, Lock: held})
		if ctx.Err() != nil {
			e.log.Info("daemon stopped by signal; what was complete is committed", "exit", code)
			return ExitOK
		}
		observeRepo(ctx, e, cfg, m)
		wait := nextWait(*every, *jitter, time.Since(start))
		e.log.Info("run finished", "exit", code, "next_run_in", wait.Round(time.Second).String())
		if err := sleep(ctx, wait); err != nil {
			e.log.Info("daemon stopped by signal while waiting for the next run")
			return ExitOK
		}
	}
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
