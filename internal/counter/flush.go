package counter

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

// DefaultMaxPending is Options.MaxPending when a configuration says nothing.
const DefaultMaxPending = 100_000

// flushTimeout bounds one flush, so that an unreachable state database
// holds the flush loop for no longer than this.
const flushTimeout = 15 * time.Second

// batch is counts written in one transaction under one id. Once sent, a
// batch is sent again only as it is, under the same id, until the store
// answers: the store ignores an id it has recorded, so a batch whose
// reply was lost after its commit does not count twice.
type batch struct {
	id     store.BatchID
	counts map[hitKey]int64
}

func (b *batch) list() []store.HitCount {
	out := make([]store.HitCount, 0, len(b.counts))
	for k, n := range b.counts {
		out = append(out, store.HitCount{Path: k.path, Hour: time.Unix(k.hour*3600, 0).UTC(), Count: n})
	}
	return out
}

// instanceName is the host name and a random suffix: unique to one start
// of one process, so batch ids need no sequence kept across starts.
func instanceName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "counter"
	}
	var b [6]byte
	rand.Read(b[:])
	return host + "/" + hex.EncodeToString(b[:])
}

// Flush writes the buffered counts to the state database: first the
// batches sent before without a known outcome, then the counts buffered
// since, as a new batch. On failure every count is kept for the next flush
// (at least once), and a sent batch keeps its id (at most once).
func (c *Counter) Flush(ctx context.Context) error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	if err := c.writeSent(ctx); err != nil {
		return err
	}
	if b := c.takePending(); b != nil {
		c.sent = append(c.sent, b)
		if err := c.writeSent(ctx); err != nil {
			return err
		}
	}
	c.dropSpill()
	return nil
}

// writeSent writes the sent batches in order, keeping those not written.
// Called with flushMu held.
func (c *Counter) writeSent(ctx context.Context) error {
	defer func() { c.cfg.Metrics.HitsBuffered(c.buffered()) }()
	for len(c.sent) > 0 {
		b := c.sent[0]
		applied, err := c.cfg.DB.AddHitBatch(ctx, b.id, c.cfg.Now(), b.list())
		if err != nil {
			c.cfg.Metrics.FlushError()
			return err
		}
		if !applied {
			c.cfg.Metrics.HitBatchRepeated()
			c.cfg.Log.Info("hit batch found already written (sent again after a lost reply); not counted twice",
				"instance", b.id.Host, "seq", b.id.Seq, "counts", len(b.counts))
		}
		c.sent[0] = nil
		c.sent = c.sent[1:]
	}
	return nil
}

// takePending moves the buffered counts into a new batch, nil when there
// are none. Called with flushMu held.
func (c *Counter) takePending() *batch {
	c.mu.Lock()
	counts := c.pending
	if len(counts) > 0 {
		c.pending = make(map[hitKey]int64)
	}
	c.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	c.seq++
	return &batch{id: store.BatchID{Host: c.cfg.Instance, Seq: c.seq}, counts: counts}
}

// buffered is how many counts are held unwritten. Called with flushMu held.
func (c *Counter) buffered() int {
	c.mu.Lock()
	n := len(c.pending)
	c.mu.Unlock()
	for _, b := range c.sent {
		n += len(b.counts)
	}
	return n
}

func (c *Counter) maxPending() int {
	if c.cfg.Options.MaxPending <= 0 {
		return DefaultMaxPending
	}
	return c.cfg.Options.MaxPending
}
