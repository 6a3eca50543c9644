package outage_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/outage"
	"github.com/newsmirror/newsmirror/internal/store"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func TestHostGoesDownWhenTransientFailuresOutnumberTheRest(t *testing.T) {
	h := outage.NewHosts(nil)
	steps := []struct {
		class    string
		wentDown bool
	}{
		{"", false},              // 1 ok
		{store.Transient, false}, // 1 transient vs 1 ok
		{store.Permanent, false}, // 1 vs 2
		{store.Transient, false}, // 2 vs 2: not more
		{store.Transient, true},  // 3 vs 2: down
		{store.Transient, false}, // said once
	}
	for i, s := range steps {
		if got := h.Note("a.example", s.class, t0); got != s.wentDown {
			t.Fatalf("step %d (%q): went down %v, want %v", i, s.class, got, s.wentDown)
		}
	}
	var down *outage.HostDownError
	if err := h.Blocked("a.example", t0); !errors.As(err, &down) || !down.Since.Equal(t0) || !down.Until.IsZero() {
		t.Errorf("Blocked = %v, want down since %v for the rest of the run", err, t0)
	}
	if err := h.Blocked("b.example", t0); err != nil {
		t.Errorf("another host is blocked: %v", err)
	}
}

func TestOneTransientFailureNeverTakesAHostDown(t *testing.T) {
	h := outage.NewHosts(nil)
	if h.Note("a.example", store.Transient, t0) {
		t.Fatal("down after one failure")
	}
	if err := h.Blocked("a.example", t0); err != nil {
		t.Fatalf("blocked after one failure: %v", err)
	}
}

func TestHostKnownDownStaysBlockedUntilItsBackoffEnds(t *testing.T) {
	since := t0.Add(-3 * time.Hour)
	h := outage.NewHosts(map[string]store.Host{
		"a.example": {Host: "a.example", DownSince: since, NotBefore: t0.Add(10 * time.Minute)},
	})
	var down *outage.HostDownError
	if err := h.Blocked("a.example", t0); !errors.As(err, &down) || !down.Until.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("during backoff: %v", err)
	}
	if err := h.Blocked("a.example", t0.Add(time.Hour)); err != nil {
		t.Fatalf("after backoff: %v", err)
	}
	if !h.WasDown("a.example") || h.WasDown("b.example") {
		t.Error("WasDown does not tell the host known down before the run")
	}
	// Found down again: it keeps the day it first went down.
	h.Note("a.example", store.Transient, t0)
	if !h.Note("a.example", store.Transient, t0) {
		t.Fatal("not found down again")
	}
	if err := h.Blocked("a.example", t0.Add(time.Hour)); !errors.As(err, &down) || !down.Since.Equal(since) {
		t.Errorf("found down again: %v, want since %v", err, since)
	}
}

func TestHostsCountOutcomesFromManyWorkers(t *testing.T) {
	h := outage.NewHosts(nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	downs := 0
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if h.Note("a.example", store.Transient, t0) {
					mu.Lock()
					downs++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if downs != 1 {
		t.Errorf("host went down %d times, want once", downs)
	}
}
