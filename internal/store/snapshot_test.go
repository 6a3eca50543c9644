package store_test

import (
	"context"
	"os"
	"path/filepath"
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
