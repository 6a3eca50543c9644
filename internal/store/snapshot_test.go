package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

// folderBytes maps each file of dir to its content.
func folderBytes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(data)
	}
	return out
}

func TestSnapshotCopiesTheStateAndLeavesItUntouched(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	if err := db.SaveValidators(ctx, "http://news.test/feed", store.Validators{ETag: `"v1"`}, at); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := folderBytes(t, dir)

	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := store.Snapshot(ctx, path, dst); err != nil {
		t.Fatal(err)
	}
	if after := folderBytes(t, dir); len(after) != len(before) {
		t.Fatalf("files beside the state after a snapshot: %d, before: %d", len(after), len(before))
	} else {
		for name, data := range before {
			if after[name] != data {
				t.Errorf("%s changed by a snapshot", name)
			}
		}
	}
	cp, err := store.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	v, err := cp.Validators(ctx, "http://news.test/feed")
	if err != nil || v.ETag != `"v1"` {
		t.Fatalf("copy's validators = %+v, %v; want the original's", v, err)
	}
	if err := store.Snapshot(ctx, filepath.Join(dir, "missing.db"), filepath.Join(t.TempDir(), "x.db")); err == nil {
		t.Error("snapshot of a missing database: no error")
	}
}

// TestSnapshotLeavesACrashedStateUntouched: a state whose writer died
// with committed transactions still in its write-ahead log (the files as
// a crash leaves them: copied while the writer is open) stays byte for
// byte as it was, log and shared-memory index included, and the copy has
// every committed row.
func TestSnapshotLeavesACrashedStateUntouched(t *testing.T) {
	ctx := context.Background()
	live := filepath.Join(t.TempDir(), "state.db")
	db, err := store.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	etag := strings.Repeat("e", 2000)
	for i := range 200 {
		feed := fmt.Sprintf("http://news.test/feed/%d", i)
		if err := db.SaveValidators(ctx, feed, store.Validators{ETag: etag}, at); err != nil {
			t.Fatal(err)
		}
	}
	crashed := t.TempDir()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		data, err := os.ReadFile(live + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(crashed, "state.db"+suffix), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before := folderBytes(t, crashed)
	if w, d := len(before["state.db-wal"]), len(before["state.db"]); w < 4*d || w < 400<<10 {
		t.Fatalf("write-ahead log %d bytes beside a %d-byte database: not the crash this test needs", w, d)
	}

	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := store.Snapshot(ctx, filepath.Join(crashed, "state.db"), dst); err != nil {
		t.Fatal(err)
	}
	after := folderBytes(t, crashed)
	if len(after) != len(before) {
		t.Errorf("files beside the state after a snapshot: %d, before: %d", len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed by a snapshot (%d bytes, then %d)", name, len(data), len(after[name]))
		}
	}
	cp, err := store.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	v, err := cp.Validators(ctx, "http://news.test/feed/199")
	if err != nil || v.ETag != etag {
		t.Errorf("the copy lacks the last committed row: %d-byte ETag, %v", len(v.ETag), err)
	}
}
