package schedule

import (
	"context"
	"time"
)

// Pool runs queued jobs on a fixed number of workers. A worker never
// sleeps out a host's wait: a job put off goes back to its host's queue
// and the worker takes another host's job.
type Pool[T, R any] struct {
	// Workers is how many jobs run at once.
	Workers int
	// Paused is when an item's host may be asked again, zero when it may
	// be now (fetch.Client.PausedUntil); nil for never paused.
	Paused func(T) time.Time
	// Do runs one job on a worker goroutine and returns its result.
	Do func(Job[T]) R
	// Done receives every finished job with its result, always on the
	// goroutine that called Run, so it needs no lock. It returns the job
	// to queue again at the head of its host's queue and true to put the
	// job off (see Later), false when the job is over.
	Done func(Job[T], R) (again Job[T], putOff bool)
}

// Run hands q's jobs to idle workers and passes what they finish to Done,
// until every job is over or, once ctx ends, every job started is: no job
// starts after ctx ends, and those in hand are waited for (Do decides how
// long they may go on).
func (p Pool[T, R]) Run(ctx context.Context, q *Queues[T]) {
	workers := min(p.Workers, q.Len())
	if workers <= 0 {
		return
	}
	d := &dispatcher[T, R]{p: p, q: q, workers: workers, start: make(chan Job[T]), finished: make(chan finished[T, R])}
	for range workers {
		go d.work()
	}
	defer close(d.start)
	for !d.over(ctx) {
		d.step(ctx)
	}
}

type finished[T, R any] struct {
	job    Job[T]
	result R
}

// dispatcher is Run's state; only Run's goroutine touches it.
type dispatcher[T, R any] struct {
	p        Pool[T, R]
	q        *Queues[T]
	workers  int
	start    chan Job[T]
	finished chan finished[T, R]
	busy     int     // jobs in hand
	held     *Job[T] // taken from the queues, not yet started
}

// work runs on each worker goroutine until start is closed.
func (d *dispatcher[T, R]) work() {
	for j := range d.start {
		d.finished <- finished[T, R]{j, d.p.Do(j)}
	}
}

// over reports whether Run is done: nothing in hand and nothing left to
// start, or to be started once ctx ended.
func (d *dispatcher[T, R]) over(ctx context.Context) bool {
	return d.busy == 0 && (ctx.Err() != nil || (d.held == nil && d.q.Len() == 0))
}

// step waits for one thing: an idle worker taking the held job, a job
// finishing, the time the first put-off job may start, or ctx ending.
func (d *dispatcher[T, R]) step(ctx context.Context) {
	var send chan<- Job[T]
	var wake <-chan time.Time
	stop := ctx.Done()
	if ctx.Err() != nil {
		stop = nil // wait only for the jobs in hand
	} else if d.busy < d.workers {
		if t := d.hold(); t != nil {
			defer t.Stop()
			wake = t.C
		}
		if d.held != nil {
			send = d.start
		}
	}
	var next Job[T]
	if d.held != nil {
		next = *d.held
	}
	select {
	case send <- next:
		d.busy++
		d.held = nil
	case f := <-d.finished:
		d.busy--
		if again, putOff := d.p.Done(f.job, f.result); putOff {
			d.q.Push(again, true)
		}
	case <-wake:
	case <-stop:
	}
}

// hold takes the next job that may start now into held; when none may, it
// returns a timer that fires when the first will, nil when none waits.
func (d *dispatcher[T, R]) hold() *time.Timer {
	if d.held != nil {
		return nil
	}
	j, ok, wake := d.q.Take(time.Now(), d.paused)
	if ok {
		d.held = &j
		return nil
	}
	if wake.IsZero() {
		return nil
	}
	return time.NewTimer(time.Until(wake))
}

func (d *dispatcher[T, R]) paused(it T) time.Time {
	if d.p.Paused == nil {
		return time.Time{}
	}
	return d.p.Paused(it)
}
