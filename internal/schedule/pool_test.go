package schedule_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/schedule"
)

func jobs(hosts, each int) []string {
	var out []string
	for h := range hosts {
		for i := range each {
			out = append(out, fmt.Sprintf("http://h%d/%d", h, i))
		}
	}
	return out
}

func TestPoolRunsEveryJobOnAtMostWorkersAtOnce(t *testing.T) {
	items := jobs(3, 10)
	var running, most atomic.Int32
	var doneSeen []string // Done runs on Run's goroutine: no lock needed there
	p := schedule.Pool[string, string]{
		Workers: 4,
		Do: func(j schedule.Job[string]) string {
			n := running.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			return j.Item + " ok"
		},
		Done: func(j schedule.Job[string], r string) (schedule.Job[string], bool) {
			if r != j.Item+" ok" {
				t.Errorf("result %q for %q", r, j.Item)
			}
			doneSeen = append(doneSeen, j.Item)
			return j, false
		},
	}
	p.Run(context.Background(), schedule.New(items, hostOf))
	slices.Sort(doneSeen)
	want := slices.Clone(items)
	slices.Sort(want)
	if !slices.Equal(doneSeen, want) {
		t.Errorf("done %d jobs, want every one of %d once", len(doneSeen), len(want))
	}
	if m := most.Load(); m > 4 || m < 1 {
		t.Errorf("%d jobs ran at once, want at most 4", m)
	}
}

func TestPoolRunsAPutOffJobAgainOnceItsWaitEnds(t *testing.T) {
	var tries atomic.Int32
	start := time.Now()
	var secondAt time.Time
	p := schedule.Pool[string, int32]{
		Workers: 2,
		Do:      func(schedule.Job[string]) int32 { return tries.Add(1) },
		Done: func(j schedule.Job[string], try int32) (schedule.Job[string], bool) {
			if try == 1 {
				j.NotBefore = time.Now().Add(50 * time.Millisecond)
				j.Deferrals++
				return j, true
			}
			secondAt = time.Now()
			if j.Deferrals != 1 {
				t.Errorf("second try carries %d deferrals, want 1", j.Deferrals)
			}
			return j, false
		},
	}
	p.Run(context.Background(), schedule.New([]string{"http://a/1"}, hostOf))
	if tries.Load() != 2 {
		t.Fatalf("%d tries, want 2", tries.Load())
	}
	if secondAt.Sub(start) < 50*time.Millisecond {
		t.Errorf("tried again after %v, before the wait ended", secondAt.Sub(start))
	}
}

func TestPoolStartsNothingOnceCancelledAndWaitsForJobsInHand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	var started, finished atomic.Int32
	p := schedule.Pool[string, bool]{
		Workers: 2,
		Do: func(schedule.Job[string]) bool {
			if started.Add(1) == 2 {
				cancel()
			}
			<-release
			return true
		},
		Done: func(j schedule.Job[string], _ bool) (schedule.Job[string], bool) {
			finished.Add(1)
			return j, false
		},
	}
	ran := make(chan struct{})
	go func() {
		p.Run(ctx, schedule.New(jobs(2, 5), hostOf))
		close(ran)
	}()
	<-ctx.Done()
	select {
	case <-ran:
		t.Fatal("Run returned with jobs in hand")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	<-ran
	if started.Load() != 2 || finished.Load() != 2 {
		t.Errorf("started %d, finished %d: want the 2 in hand only", started.Load(), finished.Load())
	}
}

func TestPoolWithNoJobsReturnsAtOnce(t *testing.T) {
	p := schedule.Pool[string, bool]{Workers: 4,
		Do:   func(schedule.Job[string]) bool { t.Error("Do called"); return false },
		Done: func(j schedule.Job[string], _ bool) (schedule.Job[string], bool) { return j, false }}
	p.Run(context.Background(), schedule.New[string](nil, hostOf))
}
