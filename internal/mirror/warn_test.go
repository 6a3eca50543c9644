package mirror

import (
	"fmt"
	"log/slog"
	"sync"
	"testing"
)

// TestWarningsFromConcurrentArticlesAreAllKept: the workers mirroring
// articles at once each warn (a page that lost text); every warning
// reaches the run's report.
func TestWarningsFromConcurrentArticlesAreAllKept(t *testing.T) {
	r := &run{log: slog.New(slog.DiscardHandler), report: &Report{}}
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				r.warn(fmt.Sprintf("worker %d: text lost %d", w, i))
			}
		})
	}
	wg.Wait()
	if n := len(r.report.Warnings); n != workers*each {
		t.Fatalf("%d warnings kept, want %d", n, workers*each)
	}
}
