package counter

import (
	"hash/maphash"
	"sync"
	"time"
)

// limiter keeps a token bucket per client. Clients are known only by a keyed
// hash of their address: the key is random, lives in memory only, and the
// address itself is never kept. The table is bounded: each shard holds two
// generations of buckets, and when the current one is full the older one is
// dropped, so clients not seen for a while are forgotten first.
type limiter struct {
	seed   maphash.Seed
	rate   float64 // tokens per second
	burst  float64
	genMax int // buckets per generation per shard
	shards [limiterShards]limiterShard
}

const limiterShards = 16

type limiterShard struct {
	mu       sync.Mutex
	cur, old map[uint64]bucket
}

type bucket struct {
	tokens float64
	last   int64 // unix nanoseconds of the last refill
}

func newLimiter(rate float64, burst, maxClients int) *limiter {
	l := &limiter{seed: maphash.MakeSeed(), rate: rate, burst: float64(burst)}
	l.genMax = max(1, maxClients/(2*limiterShards))
	for i := range l.shards {
		l.shards[i].cur = make(map[uint64]bucket)
	}
	return l
}

// allow takes a token from client's bucket, reporting false when it is empty.
func (l *limiter) allow(client string, now time.Time) bool {
	h := maphash.String(l.seed, client)
	s := &l.shards[h%limiterShards]
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.cur[h]
	if !ok {
		b, ok = s.old[h]
		if !ok {
			b = bucket{tokens: l.burst, last: now.UnixNano()}
		}
		if len(s.cur) >= l.genMax {
			s.old, s.cur = s.cur, make(map[uint64]bucket, l.genMax)
		}
	}
	elapsed := float64(now.UnixNano()-b.last) / float64(time.Second)
	b.tokens = min(l.burst, b.tokens+max(0, elapsed)*l.rate)
	b.last = now.UnixNano()
	allowed := b.tokens >= 1
	if allowed {
		b.tokens--
	}
	s.cur[h] = b
	return allowed
}
