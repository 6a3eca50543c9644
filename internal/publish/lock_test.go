package publish_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/publish"
)

func TestLockKeepsSecondInstanceOut(t *testing.T) {
	dir := t.TempDir()
	held, err := publish.Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = publish.Lock(dir)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Errorf("second lock: %v, want a message naming this process", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".newsmirror", "lock")); err != nil {
		t.Errorf("the lock is not inside the mirror folder: %v", err)
	}
	held.Release()
	again, err := publish.Lock(dir)
	if err != nil {
		t.Errorf("lock after release: %v", err)
	}
	again.Release()
}

func TestRecoverRemovesGitLocksOnlyUnderTheMirrorLock(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "mirror")
	repo, err := publish.OpenRepo(ctx, dir, "t <t@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".git", "index.lock")
	os.WriteFile(stale, nil, 0o644)

	if err := repo.Recover(nil); !errors.Is(err, publish.ErrNotHeld) {
		t.Errorf("Recover without the lock: %v, want ErrNotHeld", err)
	}
	other, err := publish.Lock(t.TempDir()) // another folder's lock
	if err != nil {
		t.Fatal(err)
	}
	defer other.Release()
	if err := repo.Recover(other); !errors.Is(err, publish.ErrNotHeld) {
		t.Errorf("Recover under another folder's lock: %v, want ErrNotHeld", err)
	}
	if _, err := os.Stat(stale); err != nil {
		t.Fatalf("index.lock removed without the mirror's lock: %v", err)
	}
	held, err := publish.Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	if err := repo.Recover(held); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("index.lock left under the mirror's lock: %v", err)
	}
}
