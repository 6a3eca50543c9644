package mirror

import (
	"context"
	"time"

	"github.com/newsmirror/newsmirror/internal/outage"
	"github.com/newsmirror/newsmirror/internal/schedule"
)

// outcome is how one job went, as a worker hands it back.
type outcome struct {
	written []string
	err     error
	// stopped is a job cut short by the end of the stop grace: not a
	// failure of the article, which stays to do for the next run.
	stopped bool
}

// runJobs mirrors jobs on the configured number of workers, host by host
// (package schedule). A worker never sleeps out a host's Retry-After: the
// job goes back to its host's queue until then (at most fetch.retries
// times, and only for waits within fetch.max_retry_wait), and the worker
// takes another host's job. When ctx is cancelled no new job starts; the
// articles in hand have the stop grace (Deps.StopGrace) to finish, so
// that they can be committed, and are then cancelled: one article never
// holds the stop.
func (r *run) runJobs(ctx context.Context, jobs []job) {
	work := context.WithoutCancel(ctx)
	inHand, cancel := r.graceAfter(ctx)
	defer cancel()
	pool := schedule.Pool[job, outcome]{
		Workers: r.cfg.Fetch.Workers,
		Paused:  func(j job) time.Time { return r.client.PausedUntil(j.item.URL) },
		Do: func(j schedule.Job[job]) outcome {
			written, err := r.mirrorUnlessDown(inHand, j.Item)
			return outcome{written, err, err != nil && inHand.Err() != nil}
		},
		Done: func(j schedule.Job[job], o outcome) (schedule.Job[job], bool) { return r.finished(work, j, o) },
	}
	pool.Run(ctx, schedule.New(jobs, func(j job) string { return outage.HostOf(j.item.URL) }))
}

// graceAfter returns a context that ends r.stopGrace after ctx does.
func (r *run) graceAfter(ctx context.Context) (context.Context, context.CancelFunc) {
	inHand, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(max(r.stopGrace, 0), func() { cancel(context.Cause(ctx)) })
		context.AfterFunc(inHand, func() { t.Stop() })
	})
	return inHand, func() { stop(); cancel(nil) }
}

// finished records a finished job, unless its host asked it to wait:
// then it is put off (schedule.Later) to be tried again in this run.
func (r *run) finished(ctx context.Context, j schedule.Job[job], o outcome) (schedule.Job[job], bool) {
	if o.stopped {
		r.log.Warn("article cut short by the stop; tried again next run", "url", j.Item.item.URL, "err", o.err)
		r.progress.articleDone()
		return j, false
	}
	opts := r.clientFor(j.Item.src).Options()
	lim := schedule.Limits{Retries: opts.Retries, MaxWait: opts.MaxRetryWait}
	if later, ok := schedule.Later(j, o.err, lim, time.Now()); ok {
		return later, true
	}
	r.record(ctx, j.Item, o.written, o.err)
	return j, false
}
