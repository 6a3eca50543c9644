package publish

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
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

// LockFile is the lock's path inside a mirror folder.
const LockFile = OwnDir + "/lock"

// MirrorLock is one process's exclusive hold on a mirror folder. It lives
// inside the folder (not beside a state database, which two
// configurations may place apart), so whatever configuration names the
// folder meets the same lock.
type MirrorLock struct {
	dir  os.FileInfo // the folder held
	path string
	f    *os.File
	// shared: a reader's hold (LockShared), which writes nothing.
	shared bool
}

// Lock takes the exclusive lock of the mirror folder dir (creating the
// folder when missing). The kernel releases it when the process ends,
// however it ends, so a killed run never leaves a stale lock. Call Release
// to let go earlier.
func Lock(dir string) (*MirrorLock, error) {
	path := filepath.Join(dir, filepath.FromSlash(LockFile))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := flockWithin(f, lockGrace, syscall.LOCK_EX); err != nil {
		data, _ := os.ReadFile(path)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockedError{Path: path, PID: pid}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &MirrorLock{dir: fi, path: path, f: f}, nil
}

// lockGrace is how long Lock waits for a lock that is held: a process
// that was just killed may take a moment to let go of it (its children
// die with it); a running newsmirror holds it far longer.
const lockGrace = 2 * time.Second

// flockWithin takes the lock on f (how: LOCK_EX or LOCK_SH), trying again
// for up to wait.
func flockWithin(f *os.File, wait time.Duration, how int) error {
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Release lets the lock go; a nil lock is a no-op.
func (l *MirrorLock) Release() {
	if l != nil && l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

// LockShared takes a reader's hold on the mirror folder dir: it waits,
// like Lock, while a newsmirror that writes holds the lock, and keeps one
// from starting until Release. It writes nothing: no folder or lock file
// is created (a folder no newsmirror has locked yet gives a nil lock and
// no error) and the lock file keeps its holder's pid. A shared hold does
// not count as holding the mirror (Holds is false).
func LockShared(dir string) (*MirrorLock, error) {
	path := filepath.Join(dir, filepath.FromSlash(LockFile))
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := flockWithin(f, lockGrace, syscall.LOCK_SH); err != nil {
		data, _ := os.ReadFile(path)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &LockedError{Path: path, PID: pid}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &MirrorLock{path: path, f: f, shared: true}, nil
}

// Holds reports whether l is held, exclusively, and is the lock of the
// folder dir.
func (l *MirrorLock) Holds(dir string) bool {
	if l == nil || l.f == nil || l.shared {
		return false
	}
	fi, err := os.Stat(dir)
	return err == nil && os.SameFile(fi, l.dir)
}

// ErrNotHeld means an operation that needs the mirror's lock ran without
// it.
var ErrNotHeld = errors.New("the mirror's lock is not held")
