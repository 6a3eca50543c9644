package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

func TestValidatorsRoundTripAndForget(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := store.Validators{ETag: `"abc"`, LastModified: "Sat, 28 Nov 2026 10:00:00 GMT"}
	must(t, db.SaveValidators(ctx, "http://x/feed", want, time.Now()))
	if got, err := db.Validators(ctx, "http://x/feed"); err != nil || got != want {
		t.Errorf("validators = %+v, %v; want %+v", got, err, want)
	}
	must(t, db.SaveValidators(ctx, "http://x/feed", store.Validators{}, time.Now()))
	if got, err := db.Validators(ctx, "http://x/feed"); err != nil || got != (store.Validators{}) {
		t.Errorf("forgotten validators = %+v, %v", got, err)
	}
}
