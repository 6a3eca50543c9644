package owner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// CreatedLog lists, one per line, the named files runs created and have
// not committed yet; it outlives a killed run.
const CreatedLog = publish.OwnDir + "/created"

// Options say how a run treats an operator's file at a named path.
type Options struct {
	// Adopt lets newsmirror take such files (Deps.Adopt).
	Adopt bool
	// Dry keeps the created files in memory only: a dry run writes no log.
	Dry bool
}

// Watch readies the first-write check for a run on repo: the files
// earlier runs created and did not commit, and (asked once, when first
// needed) what the repository tracks.
func (f *Files) Watch(ctx context.Context, repo *publish.Repo, opts Options) error {
	f.opts, f.created = opts, map[string]bool{}
	f.log = filepath.Join(repo.Dir, filepath.FromSlash(CreatedLog))
	data, err := os.ReadFile(f.log)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", f.log, err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" {
			f.created[l] = true
		}
	}
	var once sync.Once
	var set map[string]bool
	f.tracked = func() (map[string]bool, error) {
		once.Do(func() { set, err = repo.Tracked(ctx, f.namedRoots()...) })
		return set, err
	}
	return nil
}

// Creating records a named file before the run creates it, so that it
// stays newsmirror's if the run dies before committing it
// (publish.Tree.Creating).
func (f *Files) Creating(rel string) error {
	if !f.Named(rel) {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.created[rel] {
		return nil
	}
	if !f.opts.Dry {
		if err := f.appendLog(rel); err != nil {
			return fmt.Errorf("record %s as newsmirror's: %w", rel, err)
		}
	}
	f.created[rel] = true
	return nil
}

func (f *Files) appendLog(rel string) error {
	if err := os.MkdirAll(filepath.Dir(f.log), 0o755); err != nil {
		return err
	}
	w, err := os.OpenFile(f.log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = w.WriteString(rel + "\n")
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// Replacing refuses, with a *publish.NotOwnedError, to replace a named
// file newsmirror did not write: neither tracked by the repository nor
// created by a run, unless adopted (publish.Tree.Replacing).
func (f *Files) Replacing(rel string) error {
	if !f.Named(rel) || f.opts.Adopt {
		return nil
	}
	f.mu.Lock()
	created := f.created[rel]
	f.mu.Unlock()
	if created {
		return nil
	}
	tracked, err := f.tracked()
	if err != nil {
		return fmt.Errorf("check %s: %w", rel, err)
	}
	if tracked[rel] {
		return nil
	}
	return &publish.NotOwnedError{Path: rel, Op: "replace"}
}

// Committed forgets the created files: the commit holds them now.
func (f *Files) Committed() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.created = map[string]bool{}
	if err := os.Remove(f.log); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("clear %s: %w", f.log, err)
	}
	return nil
}
