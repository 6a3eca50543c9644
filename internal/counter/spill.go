package counter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

// DefaultStopWait is how long the final flush keeps trying (Options.StopWait)
// when a configuration says nothing.
const DefaultStopWait = 20 * time.Second

// spilledHit is one buffered count in the spill file, with the id of the
// batch it belongs to. Files written before batches had ids hold counts
// without one.
type spilledHit struct {
	Path  string `json:"path"`
	Hour  int64  `json:"hour"` // hours since the Unix epoch
	Count int64  `json:"count"`
	Host  string `json:"host,omitempty"`
	Seq   int64  `json:"seq,omitempty"`
}

// finalFlush writes the buffered counts when the counter stops. A database
// that is locked or failing is tried again with a growing pause until
// Options.StopWait has passed; then the counts go to the spill file, which
// the next New reads and writes: no counted hit is lost.
func (c *Counter) finalFlush(ctx context.Context) error {
	fctx, cancel := context.WithTimeout(ctx, c.stopWait())
	defer cancel()
	pause := 50 * time.Millisecond
	var err error
	for {
		if err = c.Flush(fctx); err == nil {
			return nil
		}
		c.cfg.Log.Warn("write hit counts at shutdown; trying again", "err", err, "in", pause)
		select {
		case <-fctx.Done():
			return c.spill(err)
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
	}
}

func (c *Counter) stopWait() time.Duration {
	if c.cfg.Options.StopWait <= 0 {
		return DefaultStopWait
	}
	return c.cfg.Options.StopWait
}

// spill adds the buffered counts to the spill file as batches with their
// ids (the counts never sent get one now), and reports what happened. The
// file is read, merged and replaced (through a temporary file and a
// rename) under a lock, so counters on one host sharing the file each add
// their own; a batch in the file twice, or read by two counters, is still
// written once, the store skipping an id it has.
func (c *Counter) spill(cause error) error {
	if c.cfg.Spill == "" {
		return fmt.Errorf("hit counts lost: %w", cause)
	}
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	if b := c.takePending(); b != nil {
		c.sent = append(c.sent, b)
	}
	err := withSpillLock(c.cfg.Spill, func() error {
		old, legacy, err := readSpill(c.cfg.Spill)
		if err != nil {
			return err
		}
		return writeSpill(c.cfg.Spill, mergeBatches(old, c.sent), legacy)
	})
	if err != nil {
		return errors.Join(fmt.Errorf("hit counts lost: %w", cause), err)
	}
	c.cfg.Log.Error("the state database took no hit counts at shutdown; kept for the next start",
		"file", c.cfg.Spill, "batches", len(c.sent), "err", cause)
	c.sent, c.fromSpill = nil, nil
	return nil
}

// loadSpill takes the batches of the spill file (counts without an id
// become a batch of this counter) and tries to write them, for no longer
// than StopWait; a flush that writes them takes them out of the file.
func (c *Counter) loadSpill(ctx context.Context) error {
	if c.cfg.Spill == "" {
		return nil
	}
	var sent []*batch
	var legacy map[hitKey]int64
	err := withSpillLock(c.cfg.Spill, func() (err error) {
		sent, legacy, err = readSpill(c.cfg.Spill)
		return err
	})
	if err != nil || len(sent)+len(legacy) == 0 {
		return err
	}
	c.flushMu.Lock()
	c.fromSpill = map[store.BatchID]bool{}
	for _, b := range sent {
		c.fromSpill[b.id] = true
	}
	c.sent = sent
	if len(legacy) > 0 {
		c.seq++
		c.sent = append(c.sent, &batch{id: store.BatchID{Host: c.cfg.Instance, Seq: c.seq}, counts: legacy})
		c.legacy = true
	}
	c.flushMu.Unlock()
	c.cfg.Log.Info("hit counts kept at an earlier shutdown read back", "file", c.cfg.Spill, "batches", len(c.sent))
	fctx, cancel := context.WithTimeout(ctx, c.stopWait())
	defer cancel()
	if err := c.Flush(fctx); err != nil {
		c.cfg.Log.Error("write the spilled hit counts; kept for the next flush", "err", err)
	}
	return nil
}

// dropSpill takes the batches this counter read from the spill file, now
// written, out of it (removing the file when nothing else is left), so
// that the next start does not send them again. Called with flushMu held.
func (c *Counter) dropSpill() {
	if len(c.fromSpill) == 0 && !c.legacy {
		return
	}
	err := withSpillLock(c.cfg.Spill, func() error {
		list, legacy, err := readSpill(c.cfg.Spill)
		if err != nil {
			return err
		}
		var keep []*batch
		for _, b := range list {
			if !c.fromSpill[b.id] {
				keep = append(keep, b)
			}
		}
		if c.legacy {
			legacy = nil
		}
		if len(keep)+len(legacy) == 0 {
			if err := os.Remove(c.cfg.Spill); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			return nil
		}
		return writeSpill(c.cfg.Spill, keep, legacy)
	})
	if err != nil {
		c.cfg.Log.Error("take the written hit counts out of the spill file (the next start sends them again; they are not counted twice)",
			"file", c.cfg.Spill, "err", err)
		return
	}
	c.fromSpill, c.legacy = nil, false
}

// mergeBatches is a's batches then those of b not in a, by id.
func mergeBatches(a, b []*batch) []*batch {
	seen := map[store.BatchID]bool{}
	out := make([]*batch, 0, len(a)+len(b))
	for _, list := range [][]*batch{a, b} {
		for _, x := range list {
			if !seen[x.id] {
				seen[x.id] = true
				out = append(out, x)
			}
		}
	}
	return out
}

// withSpillLock runs fn holding an exclusive lock on the spill file's lock
// file (path + ".lock"), which counters on one host sharing the file take
// in turn.
func withSpillLock(path string, fn func() error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("spill hit counts: %w", err)
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("lock spilled hit counts: %w", err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock spilled hit counts %s: %w", path, err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return fn()
}

// readSpill reads the spill file: its batches, in file order, and the
// counts of an older file that have no batch id. A missing file holds
// nothing.
func readSpill(path string) ([]*batch, map[hitKey]int64, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read spilled hit counts: %w", err)
	}
	var list []spilledHit
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, nil, fmt.Errorf("read spilled hit counts %s: %w", path, err)
	}
	var sent []*batch
	byID := map[store.BatchID]*batch{}
	legacy := map[hitKey]int64{}
	for _, h := range list {
		k := hitKey{h.Path, h.Hour}
		if h.Host == "" {
			legacy[k] += h.Count
			continue
		}
		id := store.BatchID{Host: h.Host, Seq: h.Seq}
		b := byID[id]
		if b == nil {
			b = &batch{id: id, counts: map[hitKey]int64{}}
			byID[id] = b
			sent = append(sent, b)
		}
		b.counts[k] += h.Count
	}
	return sent, legacy, nil
}

// writeSpill replaces the spill file with the batches and counts without
// an id, through a temporary file and a rename. Called under the lock.
func writeSpill(path string, sent []*batch, legacy map[hitKey]int64) error {
	var list []spilledHit
	for _, b := range sent {
		for k, n := range b.counts {
			list = append(list, spilledHit{k.path, k.hour, n, b.id.Host, b.id.Seq})
		}
	}
	for k, n := range legacy {
		list = append(list, spilledHit{Path: k.path, Hour: k.hour, Count: n})
	}
	data, err := json.Marshal(list)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err == nil {
		_, err = f.Write(data)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("spill hit counts: %w", err)
	}
	return nil
}
