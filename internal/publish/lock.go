package publish

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked means another newsmirror holds the mirror's lock.
var ErrLocked = errors.New("another newsmirror is working on this mirror")

// LockedError says which process holds the lock.
type LockedError struct {
	Path string
	PID  int // 0 when unknown
}

func (e *LockedError) Error() string {
	who := "another newsmirror"
	if e.PID > 0 {
		who = fmt.Sprintf("another newsmirror (pid %d)", e.PID)
	}
	return fmt.Sprintf("%s is working on this mirror (lock %s); wait for it or stop it", who, e.Path)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// Lock takes the exclusive lock at path, a file beside the state
// database. The kernel releases it when the process ends, however it ends,
// so a killed run never leaves a stale lock. Call the returned function to
// release it.
func Lock(path string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		data, _ := os.ReadFile(path)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockedError{Path: path, PID: pid}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() { f.Close() }, nil
}
