// Package publish writes the mirror's files and records them in Git. It is
// the only package that runs git.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Tree is the mirror's working tree. Files are written whole or not at all.
type Tree struct {
	Dir string
	// Owns, when set, reports whether newsmirror writes the file at rel
	// (a slash path). Write and Remove refuse any other path with a
	// *NotOwnedError, so an operator's file (a LICENSE, a CNAME, a
	// workflow under .github/) is never rewritten or removed.
	Owns func(rel string) bool
}

// NotOwnedError is a write or removal refused because newsmirror does not
// own the file.
type NotOwnedError struct {
	Path string // slash path inside the tree
	Op   string // "write" or "remove"
}

func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("refusing to %s %s: newsmirror does not write this file (it is the operator's)", e.Op, e.Path)
}

// Write stores data at rel (a slash-separated path inside the tree) through
// a temporary file (under TempDir) and a rename, so a crash never leaves
// half a file. It
// reports false, writing nothing, when the file already holds data.
func (t Tree) Write(rel string, data []byte) (bool, error) {
	path, err := t.owned(rel, "write")
	if err != nil {
		return false, err
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, fmt.Errorf("write %s: %w", rel, err)
	}
	if err := writeAtomic(filepath.Join(t.Dir, filepath.FromSlash(TempDir)), path, data); err != nil {
		return false, fmt.Errorf("write %s: %w", rel, err)
	}
	return true, nil
}

// Exists reports whether rel is a file in the tree.
func (t Tree) Exists(rel string) bool {
	path, err := t.path(rel)
	if err != nil {
		return false
	}
	_, err = os.Stat(path)
	return err == nil
}

// Remove deletes rel; a missing file is not an error.
func (t Tree) Remove(rel string) error {
	path, err := t.owned(rel, "remove")
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", rel, err)
	}
	return nil
}

// path maps rel into the tree, refusing anything that would leave it.
func (t Tree) path(rel string) (string, error) {
	if !fs.ValidPath(rel) || strings.Contains(rel, "\\") || strings.HasPrefix(rel, ".git/") {
		return "", fmt.Errorf("refusing path %q outside the mirror", rel)
	}
	return filepath.Join(t.Dir, filepath.FromSlash(rel)), nil
}

// owned maps rel into the tree when newsmirror owns it.
func (t Tree) owned(rel, op string) (string, error) {
	path, err := t.path(rel)
	if err == nil && t.Owns != nil && !t.Owns(rel) {
		return "", &NotOwnedError{Path: rel, Op: op}
	}
	return path, err
}

// TempDir is the folder, inside newsmirror's own folder of the tree, where
// files are written before they are renamed into place; it is git-ignored.
const TempDir = OwnDir + "/tmp"

// Clean removes the temporary files a killed run left behind. It needs the
// mirror's lock (see Lock): then no other newsmirror writes the tree.
func (t Tree) Clean(held *MirrorLock) error {
	if !held.Holds(t.Dir) {
		return fmt.Errorf("remove temporary files in %s: %w", t.Dir, ErrNotHeld)
	}
	if err := os.RemoveAll(filepath.Join(t.Dir, filepath.FromSlash(TempDir))); err != nil {
		return fmt.Errorf("remove temporary files: %w", err)
	}
	return nil
}

func writeAtomic(tmpDir, path string, data []byte) error {
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(tmpDir, "w-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data) // flushed to disk by Tree.Sync, before the commit
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// Sync flushes the files at rels and their folders to disk, many at once:
// one fsync per written file would cost a disk round trip each, while a
// batch before the commit costs about one. Missing files are skipped.
func (t Tree) Sync(rels []string) error {
	dirs := map[string]bool{}
	var paths []string
	for _, rel := range rels {
		path, err := t.path(rel)
		if err != nil {
			return err
		}
		paths = append(paths, path)
		dirs[filepath.Dir(path)] = true
	}
	for d := range dirs {
		paths = append(paths, d)
	}
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i, p := range paths {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = syncFile(p)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("flush %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("flush %s: %w", path, err)
	}
	return nil
}
