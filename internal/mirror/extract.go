package mirror

import (
	"context"

	"github.com/newsmirror/newsmirror/internal/store"
)

// health records one extraction; a failure to record is only logged.
func (r *run) health(ctx context.Context, j job, outcome extractOutcome, alert, warning string) {
	if outcome == fallback {
		r.metrics.Fallback(j.src.ID)
	}
	if err := r.db.RecordHealth(ctx, extractEvent(j, outcome, alert, warning, r.now)); err != nil {
		r.log.Error("record extract health", "err", err)
	}
}

// unchanged reports whether j's article is mirrored already with the same
// content and title, so its page needs no rewrite.
func unchanged(j job, hash string) bool {
	live := j.known.State == store.Pending || j.known.State == store.Committed
	return live && j.known.Hash == hash && j.known.Title == j.item.Title
}
