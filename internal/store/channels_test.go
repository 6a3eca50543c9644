package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

func TestChannelHealthCountsConsecutiveFailuresUntilASuccess(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	must(t, db.RecordChannelOK(ctx, "s", "c", 20, t0))
	must(t, db.RecordChannelError(ctx, "s", "c", "HTTP 500", t0.Add(time.Hour)))
	must(t, db.RecordChannelError(ctx, "s", "c", "HTTP 502", t0.Add(2*time.Hour)))
	must(t, db.RecordChannelError(ctx, "s", "d", "not JSON", t0))
	hs, err := db.ChannelHealth(ctx)
	if err != nil || len(hs) != 2 {
		t.Fatalf("health = %+v, %v", hs, err)
	}
	c := hs[0]
	if c.Channel != "c" || c.Failures != 2 || c.LastError != "HTTP 502" || c.Items != 20 || !c.LastSuccess.Equal(t0) || !c.Failing() {
		t.Errorf("after two failures: %+v", c)
	}
	// A 304 (items < 0) is a success that keeps the item count.
	must(t, db.RecordChannelOK(ctx, "s", "c", -1, t0.Add(3*time.Hour)))
	hs, _ = db.ChannelHealth(ctx)
	if c := hs[0]; c.Failures != 0 || c.Items != 20 || c.Failing() || c.LastError != "HTTP 502" {
		t.Errorf("after a 304: %+v", c)
	}
}

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
