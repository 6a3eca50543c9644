package counter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// DefaultStopWait is how long the final flush keeps trying (Options.StopWait)
// when a configuration says nothing.
const DefaultStopWait = 20 * time.Second

// spilledHit is one buffered count in the spill file.
type spilledHit struct {
	Path  string `json:"path"`
	Hour  int64  `json:"hour"` // hours since the Unix epoch
	Count int64  `json:"count"`
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

// spill appends the buffered counts to the spill file, through a temporary
// file and a rename, and reports what happened.
func (c *Counter) spill(cause error) error {
	if c.cfg.Spill == "" {
		return fmt.Errorf("hit counts lost: %w", cause)
	}
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	c.mu.Lock()
	batch := c.pending
	c.pending = map[hitKey]int64{}
	c.mu.Unlock()
	if !c.spilled { // else the buffer already holds the file's counts
		old, err := readSpill(c.cfg.Spill)
		if err != nil {
			return errors.Join(cause, err)
		}
		for k, n := range old {
			batch[k] += n
		}
	}
	if err := writeSpill(c.cfg.Spill, batch); err != nil {
		return errors.Join(fmt.Errorf("hit counts lost: %w", cause), err)
	}
	c.spilled = false // the file holds every count; nothing is buffered
	c.cfg.Log.Error("the state database took no hit counts at shutdown; kept for the next start",
		"file", c.cfg.Spill, "counts", len(batch), "err", cause)
	return nil
}

// loadSpill adds the counts a stopped counter spilled to the buffer and
// tries to write them (for no longer than StopWait); a flush that writes
// them removes the file.
func (c *Counter) loadSpill(ctx context.Context) error {
	if c.cfg.Spill == "" {
		return nil
	}
	batch, err := readSpill(c.cfg.Spill)
	if err != nil || len(batch) == 0 {
		return err
	}
	c.mu.Lock()
	for k, n := range batch {
		c.pending[k] += n
	}
	c.spilled = true
	c.mu.Unlock()
	c.cfg.Log.Info("hit counts kept at the last shutdown read back", "file", c.cfg.Spill, "counts", len(batch))
	fctx, cancel := context.WithTimeout(ctx, c.stopWait())
	defer cancel()
	if err := c.Flush(fctx); err != nil {
		c.cfg.Log.Error("write the spilled hit counts; kept for the next flush", "err", err)
	}
	return nil
}

// dropSpill removes the spill file once its counts are in the database.
// Called with flushMu held.
func (c *Counter) dropSpill() {
	if !c.spilled {
		return
	}
	if err := os.Remove(c.cfg.Spill); err != nil && !errors.Is(err, os.ErrNotExist) {
		c.cfg.Log.Error("remove the spilled hit counts (written to the database; they would count twice)", "file", c.cfg.Spill, "err", err)
		return
	}
	c.spilled = false
}

func readSpill(path string) (map[hitKey]int64, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read spilled hit counts: %w", err)
	}
	var list []spilledHit
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("read spilled hit counts %s: %w", path, err)
	}
	out := make(map[hitKey]int64, len(list))
	for _, h := range list {
		out[hitKey{h.Path, h.Hour}] += h.Count
	}
	return out, nil
}

func writeSpill(path string, batch map[hitKey]int64) error {
	list := make([]spilledHit, 0, len(batch))
	for k, n := range batch {
		list = append(list, spilledHit{k.path, k.hour, n})
	}
	data, err := json.Marshal(list)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("spill hit counts: %w", err)
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
