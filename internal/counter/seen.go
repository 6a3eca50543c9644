package counter

import (
	"hash/maphash"
	"net/netip"
	"sync"
)

// seenHour remembers which (client, page) pairs were counted in the current
// hour, so that a client counts at most once per page per hour: a page
// needs many readers, not many requests, to rise in the hot list. Pairs are
// kept only as a hash keyed by a random seed made for the hour, in memory:
// when the hour changes the seed and every hash are dropped, and no address
// is ever kept, so nothing links a reader to a page afterwards. The set is
// bounded; when full, further pairs of the hour are not counted (fail
// closed: a flood of addresses cannot inflate a page past the bound).
type seenHour struct {
	mu   sync.Mutex
	hour int64
	seed maphash.Seed
	set  map[uint64]struct{}
	max  int
}

func newSeenHour(max int) *seenHour {
	return &seenHour{hour: -1, max: max}
}

// first reports whether client reads page for the first time in hour, and
// remembers that it did.
func (s *seenHour) first(client, page string, hour int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if hour != s.hour {
		s.hour, s.seed, s.set = hour, maphash.MakeSeed(), make(map[uint64]struct{})
	}
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(client)
	h.WriteByte(0)
	h.WriteString(page)
	k := h.Sum64()
	if _, ok := s.set[k]; ok || len(s.set) >= s.max {
		return false
	}
	s.set[k] = struct{}{}
	return true
}

// clientKey is what identifies a client for counting: its IPv4 address, or
// the /64 network of its IPv6 address (one host or subscriber commonly has
// a whole /64, and picks any address in it). Anything else is kept as is.
func clientKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
