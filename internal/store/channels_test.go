package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func TestValidatorsRoundTripAndForget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		want := store.Validators{ETag: `"abc"`, LastModified: "Sat, 28 Nov 2026 10:00:00 GMT"}
		must(t, db.SaveValidators(ctx, "http://x/feed", want, time.Now()))
		if got, err := db.Validators(ctx, "http://x/feed"); err != nil || got != want {
			t.Errorf("validators = %+v, %v; want %+v", got, err, want)
		}
		must(t, db.SaveValidators(ctx, "http://x/feed", store.Validators{}, time.Now()))
		if got, err := db.Validators(ctx, "http://x/feed"); err != nil || got != (store.Validators{}) {
			t.Errorf("forgotten validators = %+v, %v", got, err)
		}
	})
}
