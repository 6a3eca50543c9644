package counter

// size is how many clients are remembered.
func (l *limiter) size() int {
	n := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		n += len(s.cur) + len(s.old)
		s.mu.Unlock()
	}
	return n
}

// SetKnown makes paths the countable set, as Refresh would from a mirror of
// that many pages.
func (c *Counter) SetKnown(paths []string) {
	set := make(pathSet, len(paths))
	for _, p := range paths {
		set[p] = p
	}
	c.known.Store(&set)
}

// Buffered is how many counts the counter holds unwritten.
func (c *Counter) Buffered() int {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	return c.buffered()
}
