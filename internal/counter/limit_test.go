package counter

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterForgetsOldClientsAndStaysBounded(t *testing.T) {
	l := newLimiter(1, 2, 1024)
	now := time.Unix(1_800_000_000, 0)
	for i := range 100_000 {
		l.allow(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now)
	}
	if n := l.size(); n > 1024 {
		t.Errorf("%d clients remembered, want at most 1024", n)
	}
	// A client seen just now is still remembered: its bucket stays empty.
	l.allow("192.0.2.1", now)
	l.allow("192.0.2.1", now)
	if l.allow("192.0.2.1", now) {
		t.Error("third hit within the same instant allowed with a burst of 2")
	}
	if !l.allow("192.0.2.1", now.Add(time.Second)) {
		t.Error("no token regained after a second at rate 1")
	}
}
