// Package overlay is a dry run's working tree: it answers reads as the
// mirror would after the run's writes and removals, which it only
// remembers, and lists what the run would have changed. Nothing beneath
// the mirror is written.
package overlay

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// Change is one file a run would write or remove, as a repository path.
type Change struct {
	Path string
	// Op is "A" for a new file, "M" for a changed one, "D" for one
	// removed, as git diff --name-status says.
	Op string
}

// Tree is a working tree over a real one (publish.Tree): reads go to the
// real tree unless the run wrote or removed the file, writes and removals
// are only remembered (as content hashes). Ownership is checked as the
// real tree checks it, so a dry run refuses what a real run would.
// Workers may share it.
type Tree struct {
	base publish.Tree
	mu   sync.Mutex
	// over maps a written file to its content's hash, a removed one to
	// nil.
	over map[string]*[sha256.Size]byte
}

// New returns an overlay over base that has changed nothing yet.
func New(base publish.Tree) *Tree {
	return &Tree{base: base, over: map[string]*[sha256.Size]byte{}}
}

// Write remembers data as rel's content; it reports false when rel
// already holds data.
func (t *Tree) Write(rel string, data []byte) (bool, error) {
	if err := t.check(rel, "write"); err != nil {
		return false, err
	}
	sum := sha256.Sum256(data)
	t.mu.Lock()
	defer t.mu.Unlock()
	old, exists := t.current(rel)
	switch {
	case exists && old == sum:
		return false, nil
	case exists && t.base.Replacing != nil:
		if err := t.base.Replacing(rel); err != nil {
			return false, err
		}
	case !exists && t.base.Creating != nil:
		if err := t.base.Creating(rel); err != nil {
			return false, err
		}
	}
	t.over[rel] = &sum
	return true, nil
}

// Remove remembers that rel is gone.
func (t *Tree) Remove(rel string) error {
	if err := t.check(rel, "remove"); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.over[rel] = nil
	return nil
}

// Exists reports whether rel is a file after the run's writes.
func (t *Tree) Exists(rel string) bool {
	t.mu.Lock()
	sum, ok := t.over[rel]
	t.mu.Unlock()
	if ok {
		return sum != nil
	}
	return t.base.Exists(rel)
}

// Sync flushes nothing: nothing was written.
func (t *Tree) Sync([]string) error { return nil }

// check refuses what publish.Tree refuses: paths outside the tree and
// files newsmirror does not own.
func (t *Tree) check(rel, op string) error {
	if !fs.ValidPath(rel) || rel == "." || filepath.IsAbs(rel) || len(rel) >= 5 && rel[:5] == ".git/" {
		return fmt.Errorf("refusing path %q outside the mirror", rel)
	}
	if t.base.Owns != nil && !t.base.Owns(rel) {
		return &publish.NotOwnedError{Path: rel, Op: op}
	}
	return nil
}

// current is rel's content hash after the run's writes; callers hold mu.
func (t *Tree) current(rel string) ([sha256.Size]byte, bool) {
	if sum, ok := t.over[rel]; ok {
		if sum == nil {
			return [sha256.Size]byte{}, false
		}
		return *sum, true
	}
	return t.onDisk(rel)
}

// onDisk is the hash of rel as the real tree holds it.
func (t *Tree) onDisk(rel string) ([sha256.Size]byte, bool) {
	if !t.base.Exists(rel) {
		return [sha256.Size]byte{}, false
	}
	root, err := os.OpenRoot(t.base.Dir)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	defer root.Close()
	data, err := root.ReadFile(rel)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256(data), true
}

// Changes are the files the run would have created, changed or removed,
// by path: a file written back to what it held, or created and removed
// again, is none.
func (t *Tree) Changes() []Change {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Change
	for rel, sum := range t.over {
		old, existed := t.onDisk(rel)
		switch {
		case sum == nil && existed:
			out = append(out, Change{Path: rel, Op: "D"})
		case sum != nil && !existed:
			out = append(out, Change{Path: rel, Op: "A"})
		case sum != nil && *sum != old:
			out = append(out, Change{Path: rel, Op: "M"})
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return cmp.Compare(a.Path, b.Path) })
	return out
}
