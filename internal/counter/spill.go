package counter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

// DefaultStopWait is how long the final flush keeps trying (Options.StopWait)
// when a configuration says nothing.
const DefaultStopWait = 20 * time.Second

// spilledHit is one buffered count in the spill file. Host and Seq name
// the batch it was sent in without a known outcome, which is sent again
// under that id; both are empty for counts never sent.
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

// spill writes the buffered counts to the spill file, through a temporary
// file and a rename, and reports what happened: sent batches keep their
// ids, so that the next start sends them again as they are.
func (c *Counter) spill(cause error) error {
	if c.cfg.Spill == "" {
		return fmt.Errorf("hit counts lost: %w", cause)
	}
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	c.mu.Lock()
	pending := c.pending
	c.pending = map[hitKey]int64{}
	c.mu.Unlock()
	sent := c.sent
	if !c.spilled { // else the buffer already holds the file's counts
		old, oldPending, err := readSpill(c.cfg.Spill)
		if err != nil {
			return errors.Join(cause, err)
		}
		sent = append(old, sent...)
		for k, n := range oldPending {
			pending[k] += n
		}
	}
	if err := writeSpill(c.cfg.Spill, sent, pending); err != nil {
		return errors.Join(fmt.Errorf("hit counts lost: %w", cause), err)
	}
	c.sent = nil
	c.spilled = false // the file holds every count; nothing is buffered
	c.cfg.Log.Error("the state database took no hit counts at shutdown; kept for the next start",
		"file", c.cfg.Spill, "batches", len(sent), "unsent", len(pending), "err", cause)
	return nil
}

// loadSpill takes the batches a stopped counter spilled, and its unsent
// counts as a new batch, and tries to write them (for no longer than
// StopWait); a flush that writes them removes the file.
func (c *Counter) loadSpill(ctx context.Context) error {
	if c.cfg.Spill == "" {
		return nil
	}
	sent, pending, err := readSpill(c.cfg.Spill)
	if err != nil || len(sent)+len(pending) == 0 {
		return err
	}
	c.flushMu.Lock()
	c.sent = sent
	if len(pending) > 0 {
		c.seq++
		c.sent = append(c.sent, &batch{id: store.BatchID{Host: c.cfg.Instance, Seq: c.seq}, counts: pending})
	}
	c.spilled = true
	c.flushMu.Unlock()
	c.cfg.Log.Info("hit counts kept at the last shutdown read back", "file", c.cfg.Spill,
		"batches", len(sent), "unsent", len(pending))
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

// readSpill reads the spill file: the batches sent under an id, in file
// order, and the counts never sent. A missing file holds nothing.
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
	pending := map[hitKey]int64{}
	for _, h := range list {
		k := hitKey{h.Path, h.Hour}
		if h.Host == "" {
			pending[k] += h.Count
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
	return sent, pending, nil
}

func writeSpill(path string, sent []*batch, pending map[hitKey]int64) error {
	var list []spilledHit
	for _, b := range sent {
		for k, n := range b.counts {
			list = append(list, spilledHit{k.path, k.hour, n, b.id.Host, b.id.Seq})
		}
	}
	for k, n := range pending {
		list = append(list, spilledHit{Path: k.path, Hour: k.hour, Count: n})
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
