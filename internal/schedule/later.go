package schedule

import (
	"errors"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

// MaxPaused bounds how often a job waits for a pause another job's answer
// set, so that a host that keeps pausing cannot hold a run.
const MaxPaused = 8

// Limits bound how long a job may be put off.
type Limits struct {
	// Retries is how many times the host may ask the job itself to wait
	// (fetch.retries).
	Retries int
	// MaxWait is the longest wait taken (fetch.max_retry_wait).
	MaxWait time.Duration
}

// Later turns a job that failed with err into the same job queued for the
// time its host asked for, when err is a *fetch.RetryLaterError within
// lim: asked at most lim.Retries times, paused by others at most
// MaxPaused times, and a wait from now of at most lim.MaxWait. Otherwise
// ok is false and err is the job's outcome.
func Later[T any](j Job[T], err error, lim Limits, now time.Time) (next Job[T], ok bool) {
	var later *fetch.RetryLaterError
	if err == nil || !errors.As(err, &later) {
		return Job[T]{}, false
	}
	next = Job[T]{Item: j.Item, NotBefore: later.At, Deferrals: j.Deferrals, Paused: j.Paused}
	if later.Asked {
		next.Deferrals++
	} else {
		next.Paused++
	}
	if next.Deferrals > lim.Retries || next.Paused > MaxPaused || later.At.Sub(now) > lim.MaxWait {
		return Job[T]{}, false
	}
	return next, true
}
