package main

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ahead makes the photos of the next sync while the current one runs, on
// one thread of the lowest priority, so that the sync it overlaps loses
// next to nothing to it and its CPU time can be told apart from the
// sync's; whatever is left when the sync ends is made on two goroutines
// at full speed, outside the sync's timing, as when nothing is made
// ahead. A photo's bytes depend on its seed only, not on who made it.
type ahead struct {
	cache *photoCache
	cur   atomic.Pointer[batch] // the batch the thread works on
	wake  chan struct{}         // a new batch, or stop (closed)
	cpu   atomic.Int64          // the thread's CPU time, in ns, photo by photo
	// overlap is false where the thread could not be made: everything is
	// made by finish.
	overlap bool
}

// newAhead starts the thread; when it cannot be given a low priority and
// its own CPU clock, nothing is made ahead and err says why.
func newAhead(cache *photoCache) (a *ahead, err error) {
	a = &ahead{cache: cache, wake: make(chan struct{}, 1)}
	ready := make(chan error)
	go a.work(ready)
	err = <-ready
	a.overlap = err == nil
	return a, err
}

// work makes photos of the current batch each time it is woken.
func (a *ahead) work(ready chan<- error) {
	// Never unlocked: the thread ends with the goroutine, and its
	// priority with it.
	runtime.LockOSThread()
	if err := lowerThreadPriority(); err != nil {
		ready <- fmt.Errorf("photos are not made ahead: %w", err)
		return
	}
	close(ready)
	for range a.wake {
		b := a.cur.Load()
		for i, ok := b.take(); ok; i, ok = b.take() {
			t0 := threadCPU()
			b.make(a.cache, i)
			a.cpu.Add(int64(threadCPU() - t0))
		}
	}
}

// start hands the photos of seeds to the thread and returns their batch.
func (a *ahead) start(seeds []uint64) *batch {
	b := &batch{seeds: seeds, photos: make([][]byte, len(seeds)), errs: make([]error, len(seeds))}
	if a.overlap {
		a.cur.Store(b)
		select {
		case a.wake <- struct{}{}:
		default: // already woken: it loads the batch when done with the last
		}
	}
	return b
}

// finish makes what the thread has not made of b, puts b's photos in the
// cache and returns the errors of those that failed. It does not wait
// for the thread: a photo it is still making is made again here.
func (a *ahead) finish(b *batch) error {
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for i, ok := b.take(); ok; i, ok = b.take() {
				b.make(a.cache, i)
			}
		})
	}
	wg.Wait()
	var errs []error
	for i, seed := range b.seeds {
		p, err := b.result(i)
		if p == nil && err == nil {
			b.make(a.cache, i)
			p, err = b.result(i)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		a.cache.put(seed, p)
	}
	return errors.Join(errs...)
}

// cpuTime is the CPU time the thread has spent making photos.
func (a *ahead) cpuTime() time.Duration { return time.Duration(a.cpu.Load()) }

// stop ends the thread once it has finished the photo it is making.
func (a *ahead) stop() {
	if b := a.cur.Load(); b != nil {
		b.next.Store(int64(len(b.seeds)))
	}
	if a.overlap {
		close(a.wake)
	}
}

// batch is the photos of one sync: taken one at a time by whoever makes
// them, kept by index.
type batch struct {
	seeds []uint64
	next  atomic.Int64 // the index of the next photo to take

	mu     sync.Mutex
	photos [][]byte
	errs   []error
}

// take returns the index of a photo nobody has taken yet.
func (b *batch) take() (int, bool) {
	i := int(b.next.Add(1) - 1)
	return i, i < len(b.seeds)
}

// make makes photo i and keeps it unless someone made it first.
func (b *batch) make(c *photoCache, i int) {
	p, err := c.Photo(b.seeds[i])
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.photos[i] == nil && b.errs[i] == nil {
		b.photos[i], b.errs[i] = p, err
	}
}

func (b *batch) result(i int) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.photos[i], b.errs[i]
}
