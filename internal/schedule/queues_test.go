package schedule_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/schedule"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func hostOf(raw string) string {
	u, _ := url.Parse(raw)
	return u.Host
}

func never(string) time.Time { return time.Time{} }

// takeAll takes jobs until none may start at now.
func takeAll(q *schedule.Queues[string], now time.Time, paused func(string) time.Time) []string {
	var got []string
	for {
		j, ok, _ := q.Take(now, paused)
		if !ok {
			return got
		}
		got = append(got, j.Item)
	}
}

func TestQueuesTakeHostsInTurn(t *testing.T) {
	q := schedule.New([]string{"http://a/1", "http://a/2", "http://a/3", "http://b/1", "http://c/1", "http://c/2"}, hostOf)
	if q.Len() != 6 {
		t.Fatalf("Len = %d, want 6", q.Len())
	}
	got := takeAll(q, t0, never)
	want := []string{"http://a/1", "http://b/1", "http://c/1", "http://a/2", "http://c/2", "http://a/3"}
	if !slices.Equal(got, want) {
		t.Errorf("taken %v, want %v", got, want)
	}
	if q.Len() != 0 {
		t.Errorf("Len = %d after taking all", q.Len())
	}
}

func TestJobPutOffWaitsAtTheHeadOfItsHostsQueue(t *testing.T) {
	q := schedule.New([]string{"http://a/1", "http://a/2", "http://b/1"}, hostOf)
	first, _, _ := q.Take(t0, never)
	first.NotBefore = t0.Add(time.Minute)
	q.Push(first, true)
	// a/1 waits and holds a/2 behind it; b's job goes on.
	if got := takeAll(q, t0, never); !slices.Equal(got, []string{"http://b/1"}) {
		t.Fatalf("taken before a's wait ends: %v", got)
	}
	_, ok, wake := q.Take(t0, never)
	if ok || !wake.Equal(t0.Add(time.Minute)) {
		t.Fatalf("Take = ok %v wake %v, want none until %v", ok, wake, t0.Add(time.Minute))
	}
	if got := takeAll(q, t0.Add(time.Minute), never); !slices.Equal(got, []string{"http://a/1", "http://a/2"}) {
		t.Errorf("taken once a's wait ended: %v", got)
	}
	if _, ok, wake := q.Take(t0, never); ok || !wake.IsZero() {
		t.Errorf("empty queues: ok %v wake %v", ok, wake)
	}
}

func TestPausedHostHoldsItsJobsUntilThePauseEnds(t *testing.T) {
	q := schedule.New([]string{"http://a/1", "http://b/1", "http://b/2"}, hostOf)
	pausedB := func(raw string) time.Time {
		if hostOf(raw) == "b" {
			return t0.Add(30 * time.Second)
		}
		return time.Time{}
	}
	if got := takeAll(q, t0, pausedB); !slices.Equal(got, []string{"http://a/1"}) {
		t.Fatalf("taken while b is paused: %v", got)
	}
	if _, _, wake := q.Take(t0, pausedB); !wake.Equal(t0.Add(30 * time.Second)) {
		t.Errorf("wake %v, want the end of b's pause", wake)
	}
	if got := takeAll(q, t0.Add(30*time.Second), pausedB); len(got) != 2 {
		t.Errorf("taken after the pause: %v", got)
	}
}

func TestLaterPutsOffOnlyWhatTheHostAskedWithinLimits(t *testing.T) {
	lim := schedule.Limits{Retries: 2, MaxWait: time.Minute}
	asked := func(wait time.Duration) error {
		return fmt.Errorf("fetch: %w", &fetch.RetryLaterError{At: t0.Add(wait), Err: &fetch.StatusError{Code: 503}, Asked: true})
	}
	j := schedule.Job[string]{Item: "http://a/1"}
	if _, ok := schedule.Later(j, nil, lim, t0); ok {
		t.Error("a success is put off")
	}
	if _, ok := schedule.Later(j, &fetch.StatusError{Code: 503}, lim, t0); ok {
		t.Error("a failure without a wait is put off")
	}
	if _, ok := schedule.Later(j, asked(2*time.Minute), lim, t0); ok {
		t.Error("a wait beyond MaxWait is put off")
	}
	for i := range lim.Retries {
		next, ok := schedule.Later(j, asked(10*time.Second), lim, t0)
		if !ok || next.Item != j.Item || !next.NotBefore.Equal(t0.Add(10*time.Second)) || next.Deferrals != i+1 {
			t.Fatalf("deferral %d: %+v ok %v", i+1, next, ok)
		}
		j = next
	}
	if _, ok := schedule.Later(j, asked(10*time.Second), lim, t0); ok {
		t.Error("put off more than Retries times")
	}
}

func TestLaterBoundsWaitsForPausesOthersSet(t *testing.T) {
	lim := schedule.Limits{Retries: 0, MaxWait: time.Minute}
	paused := &fetch.RetryLaterError{At: t0.Add(time.Second), Err: fmt.Errorf("host paused"), Asked: false}
	j := schedule.Job[string]{Item: "http://a/1"}
	for i := range schedule.MaxPaused {
		next, ok := schedule.Later(j, paused, lim, t0)
		if !ok || next.Paused != i+1 || next.Deferrals != 0 {
			t.Fatalf("pause %d: %+v ok %v", i+1, next, ok)
		}
		j = next
	}
	if _, ok := schedule.Later(j, paused, lim, t0); ok {
		t.Errorf("waited for others' pauses more than %d times", schedule.MaxPaused)
	}
}
