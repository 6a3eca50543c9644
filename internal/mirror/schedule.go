package mirror

import (
	"context"
	"errors"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/outage"
)

// done is one finished job, as a worker hands it back.
type done struct {
	queuedJob
	written []string
	err     error
	// stopped is a job cut short by the end of the stop grace: not a
	// failure of the article, which stays to do for the next run.
	stopped bool
}

// hostQueues are the jobs still to start, one queue per host, taken
// round-robin so that every host's politeness slots are kept busy. A job
// whose host asked to wait (Retry-After) goes back to the head of its
// host's queue with a time before which it does not start; meanwhile the
// workers take the other hosts' jobs.
type hostQueues struct {
	order  []string
	queues map[string][]queuedJob
	next   int // where the round-robin goes on
	count  int
}

type queuedJob struct {
	job
	notBefore time.Time
	deferrals int // times the host asked this job to wait
	// paused counts the times the job found its host paused by another
	// job's answer, and so sent nothing.
	paused int
}

// maxPaused bounds how often a job waits for a pause another job's
// answer set, so that a host that keeps pausing cannot hold a run.
const maxPaused = 8

func newHostQueues(jobs []job) *hostQueues {
	q := &hostQueues{queues: map[string][]queuedJob{}}
	for _, j := range jobs {
		q.push(queuedJob{job: j}, false)
	}
	return q
}

func (q *hostQueues) push(j queuedJob, front bool) {
	h := outage.HostOf(j.item.URL)
	if _, ok := q.queues[h]; !ok {
		q.order = append(q.order, h)
	}
	if front {
		q.queues[h] = append([]queuedJob{j}, q.queues[h]...)
	} else {
		q.queues[h] = append(q.queues[h], j)
	}
	q.count++
}

// take removes and returns the next job that may start at now; when none
// may, it returns when the first will (zero when no job waits).
func (q *hostQueues) take(now time.Time, paused func(rawURL string) time.Time) (queuedJob, bool, time.Time) {
	var wake time.Time
	for range len(q.order) {
		h := q.order[q.next]
		q.next = (q.next + 1) % len(q.order)
		list := q.queues[h]
		if len(list) == 0 {
			continue
		}
		at := list[0].notBefore
		if p := paused(list[0].item.URL); p.After(at) {
			at = p
		}
		if !at.After(now) {
			q.queues[h] = list[1:]
			q.count--
			return list[0], true, time.Time{}
		}
		if wake.IsZero() || at.Before(wake) {
			wake = at
		}
	}
	return queuedJob{}, false, wake
}

// runJobs mirrors jobs on the configured number of workers. A worker never
// sleeps out a host's Retry-After: the job goes back to its host's queue
// until then (at most fetch.retries times, and only for waits within
// fetch.max_retry_wait), and the worker takes another host's job. When
// ctx is cancelled no new job starts; the articles in hand have the stop
// grace (Deps.StopGrace) to finish, so that they can be committed, and
// are then cancelled: one article never holds the stop.
func (r *run) runJobs(ctx context.Context, jobs []job) {
	workers := min(r.cfg.Fetch.Workers, len(jobs))
	if workers == 0 {
		return
	}
	work := context.WithoutCancel(ctx)
	inHand, cancel := r.graceAfter(ctx)
	defer cancel()
	start, finished := make(chan queuedJob), make(chan done)
	for range workers {
		go func() {
			for j := range start {
				written, err := r.mirrorUnlessDown(inHand, j.job)
				finished <- done{j, written, err, err != nil && inHand.Err() != nil}
			}
		}()
	}
	r.dispatch(ctx, work, newHostQueues(jobs), workers, start, finished)
	close(start)
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

// dispatch hands queued jobs to idle workers and records what they finish
// (the only goroutine that records), until every job is done or, once ctx
// ends, every job started is.
func (r *run) dispatch(ctx, work context.Context, q *hostQueues, workers int, start chan<- queuedJob, finished <-chan done) {
	busy := 0
	var held *queuedJob // taken from the queues, not yet started
	for {
		cancelled := ctx.Err() != nil
		if busy == 0 && (cancelled || (held == nil && q.count == 0)) {
			return
		}
		var send chan<- queuedJob
		var timer *time.Timer
		var wakeC <-chan time.Time
		if !cancelled && busy < workers {
			if held == nil {
				if j, ok, wake := q.take(time.Now(), r.client.PausedUntil); ok {
					held = &j
				} else if !wake.IsZero() {
					timer = time.NewTimer(time.Until(wake))
					wakeC = timer.C
				}
			}
			if held != nil {
				send = start
			}
		}
		var next queuedJob
		if held != nil {
			next = *held
		}
		stop := ctx.Done()
		if cancelled {
			stop = nil // wait only for the jobs in hand
		}
		select {
		case send <- next:
			busy++
			held = nil
		case d := <-finished:
			busy--
			if d.stopped {
				r.log.Warn("article cut short by the stop; tried again next run", "url", d.job.item.URL, "err", d.err)
				r.progress.articleDone()
			} else if later, ok := r.retryLater(d); ok {
				q.push(later, true)
			} else {
				r.record(work, d.job, d.written, d.err)
			}
		case <-wakeC:
		case <-stop:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// retryLater turns a job whose host asked to wait into a queued job that
// starts then, unless its own requests were answered so fetch.retries
// times already, it found the host paused by others maxPaused times, or
// the wait is beyond fetch.max_retry_wait.
func (r *run) retryLater(d done) (queuedJob, bool) {
	var later *fetch.RetryLaterError
	if d.err == nil || !errors.As(d.err, &later) {
		return queuedJob{}, false
	}
	opts := r.clientFor(d.job.src).Options()
	next := queuedJob{job: d.job, notBefore: later.At, deferrals: d.deferrals, paused: d.paused}
	if later.Asked {
		next.deferrals++
	} else {
		next.paused++
	}
	if next.deferrals > opts.Retries || next.paused > maxPaused || time.Until(later.At) > opts.MaxRetryWait {
		return queuedJob{}, false
	}
	return next, true
}
