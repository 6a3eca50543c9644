// Package publish writes the mirror's files and records them in Git. It is
// the only package that runs git.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strconv"
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
	// Creating, when set, is told of a file about to be created (before
	// it exists), so that its owner can remember it is newsmirror's even
	// if the run dies before committing it; an error stops the write.
	Creating func(rel string) error
	// Replacing, when set, is asked before an existing file gets other
	// content; an error (a *NotOwnedError for an operator's file at a path
	// newsmirror writes) stops the write and leaves the file as it is.
	Replacing func(rel string) error
}

// NotOwnedError is a write or removal refused because newsmirror does not
// own the file.
type NotOwnedError struct {
	Path string // slash path inside the tree
	Op   string // "write", "remove" or "replace"
}

func (e *NotOwnedError) Error() string {
	if e.Op == "replace" {
		return fmt.Sprintf("refusing to replace %s: newsmirror wants this path but did not write the file there "+
			"(it is neither in the repository nor written by an earlier run); move it away, or run again with %s to let newsmirror replace it",
			e.Path, AdoptFlag)
	}
	return fmt.Sprintf("refusing to %s %s: newsmirror does not write this file (it is the operator's)", e.Op, e.Path)
}

// Write stores data at rel (a slash-separated path inside the tree) through
// a temporary file (under TempDir) and a rename, so a crash never leaves
// half a file. It reports false, writing nothing, when the file already
// holds data.
//
// Every file is opened beneath the tree with os.Root, which never follows
// a symbolic link out of it; and a symbolic link on rel's way (a folder
// "pages/c1" or the file itself, as an upstream can commit) is replaced by
// a real folder or file, so no write lands anywhere but at rel.
func (t Tree) Write(rel string, data []byte) (bool, error) {
	if _, err := t.owned(rel, "write"); err != nil {
		return false, err
	}
	root, err := os.OpenRoot(t.Dir)
	if err != nil {
		return false, fmt.Errorf("write %s: %w", rel, err)
	}
	defer root.Close()
	if err := unlinkSymlinks(root, rel); err != nil {
		return false, fmt.Errorf("write %s: %w", rel, err)
	}
	old, err := root.ReadFile(rel)
	switch {
	case err == nil && bytes.Equal(old, data):
		return false, nil
	case err == nil && t.Replacing != nil:
		if err := t.Replacing(rel); err != nil {
			return false, err
		}
	case err != nil && t.Creating != nil:
		if err := t.Creating(rel); err != nil {
			return false, err
		}
	}
	if dir := path.Dir(rel); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return false, fmt.Errorf("write %s: %w", rel, err)
		}
	}
	if err := writeAtomic(root, rel, data); err != nil {
		return false, fmt.Errorf("write %s: %w", rel, err)
	}
	return true, nil
}

// unlinkSymlinks removes each symbolic link among rel's folders and rel
// itself, so that rel names a place in the tree and nothing else.
func unlinkSymlinks(root *os.Root, rel string) error {
	for i := 0; i <= len(rel); i++ {
		if i < len(rel) && rel[i] != '/' {
			continue
		}
		p := rel[:i]
		fi, err := root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			replaced, err := removeLink(root, p)
			if err != nil {
				return fmt.Errorf("replace the symbolic link %s: %w", p, err)
			}
			if !replaced {
				return nil // the rest of the way is gone with it
			}
		}
	}
	return nil
}

// removeLink removes the symbolic link p. Writers run at once: another may
// have removed it already (then nothing is left on the way), or replaced it
// with a real folder in between (replaced: the way goes on through that
// folder); only a link still there is an error.
func removeLink(root *os.Root, p string) (replaced bool, err error) {
	err = root.Remove(p)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if fi, lerr := root.Lstat(p); lerr == nil && fi.Mode()&fs.ModeSymlink == 0 {
		return true, nil
	}
	return false, err
}

// Exists reports whether rel is a file in the tree (a symbolic link is
// not).
func (t Tree) Exists(rel string) bool {
	if _, err := t.path(rel); err != nil {
		return false
	}
	root, err := os.OpenRoot(t.Dir)
	if err != nil {
		return false
	}
	defer root.Close()
	fi, err := root.Lstat(rel)
	return err == nil && fi.Mode().IsRegular()
}

// Remove deletes rel (a symbolic link itself, never its target); a missing
// file is not an error.
func (t Tree) Remove(rel string) error {
	if _, err := t.owned(rel, "remove"); err != nil {
		return err
	}
	root, err := os.OpenRoot(t.Dir)
	if err != nil {
		return fmt.Errorf("remove %s: %w", rel, err)
	}
	defer root.Close()
	if err := root.Remove(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
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
	root, err := os.OpenRoot(t.Dir)
	if err != nil {
		return fmt.Errorf("remove temporary files: %w", err)
	}
	defer root.Close()
	if err := root.RemoveAll(TempDir); err != nil {
		return fmt.Errorf("remove temporary files: %w", err)
	}
	return nil
}

// writeAtomic writes data to a new file under TempDir and renames it to
// rel, all beneath root.
func writeAtomic(root *os.Root, rel string, data []byte) error {
	if err := unlinkSymlinks(root, TempDir); err != nil {
		return err
	}
	if err := root.MkdirAll(TempDir, 0o755); err != nil {
		return err
	}
	var f *os.File
	var tmp string
	for {
		tmp = TempDir + "/w-" + strconv.FormatUint(rand.Uint64(), 36)
		var err error
		f, err = root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	_, err := f.Write(data) // flushed to disk by Tree.Sync, before the commit
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, rel)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// Sync flushes the files at rels and their folders to disk, many at once:
// one fsync per written file would cost a disk round trip each, while a
// batch before the commit costs about one. Missing files are skipped.
func (t Tree) Sync(rels []string) error {
	dirs := map[string]bool{}
	var names []string
	for _, rel := range rels {
		if _, err := t.path(rel); err != nil {
			return err
		}
		names = append(names, rel)
		dirs[path.Dir(rel)] = true
	}
	for d := range dirs {
		names = append(names, d)
	}
	root, err := os.OpenRoot(t.Dir)
	if err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	defer root.Close()
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i, name := range names {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = syncFile(root, name)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// syncFile flushes the file or folder name beneath root; a missing one, or
// a symbolic link, is skipped.
func syncFile(root *os.Root, name string) error {
	if fi, err := root.Lstat(name); err != nil || fi.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	f, err := root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("flush %s: %w", name, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("flush %s: %w", name, err)
	}
	return nil
}
