// Package schedule hands a run's jobs to its workers, host by host: one
// queue per host, taken round-robin so that every host's politeness slots
// are kept busy. A job whose host asked to wait (Retry-After) goes back
// to the head of its host's queue with a time before which it does not
// start; meanwhile the workers take the other hosts' jobs. It knows
// nothing of articles: a job is any value with a host.
package schedule

import "time"

// Job is one queued job and what its host said so far.
type Job[T any] struct {
	Item T
	// NotBefore is when it may start; zero for at once.
	NotBefore time.Time
	// Deferrals counts the times the host asked this job to wait.
	Deferrals int
	// Paused counts the times the job found its host paused by another
	// job's answer, and so sent nothing.
	Paused int
}

// Queues are the jobs still to start, one queue per host.
type Queues[T any] struct {
	host   func(T) string
	order  []string // hosts, in the order first seen
	queues map[string][]Job[T]
	next   int // where the round-robin goes on
	count  int
}

// New queues items, in their order within each host; host names an
// item's host ("" is a host too).
func New[T any](items []T, host func(T) string) *Queues[T] {
	q := &Queues[T]{host: host, queues: map[string][]Job[T]{}}
	for _, it := range items {
		q.Push(Job[T]{Item: it}, false)
	}
	return q
}

// Len is the number of jobs queued.
func (q *Queues[T]) Len() int { return q.count }

// Push queues j at the end of its host's queue, or at its head when front
// (a job that was asked to wait keeps its turn).
func (q *Queues[T]) Push(j Job[T], front bool) {
	h := q.host(j.Item)
	if _, ok := q.queues[h]; !ok {
		q.order = append(q.order, h)
	}
	if front {
		q.queues[h] = append([]Job[T]{j}, q.queues[h]...)
	} else {
		q.queues[h] = append(q.queues[h], j)
	}
	q.count++
}

// Take removes and returns the next job that may start at now, the next
// host's in turn: a job starts at its NotBefore or when paused (the time
// its host is paused until, zero for not paused) ends, whichever is
// later. When no job may start, ok is false and wake is when the first
// will (zero when none is queued).
func (q *Queues[T]) Take(now time.Time, paused func(T) time.Time) (j Job[T], ok bool, wake time.Time) {
	for range len(q.order) {
		h := q.order[q.next]
		q.next = (q.next + 1) % len(q.order)
		list := q.queues[h]
		if len(list) == 0 {
			continue
		}
		at := list[0].NotBefore
		if p := paused(list[0].Item); p.After(at) {
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
	return Job[T]{}, false, wake
}
