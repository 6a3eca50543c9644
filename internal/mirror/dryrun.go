package mirror

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/newsmirror/newsmirror/internal/owner"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/store"
)

// Change is one file a run writes or removes (a dry run: would), as a
// repository path.
type Change struct {
	Path string
	// Op is "A" for a new file, "M" for a changed one, "D" for one
	// removed, as git diff --name-status says.
	Op string
}

// files is the mirror's working tree as a run uses it: the real tree
// (publish.Tree), or a dry run's overlay of it.
type files interface {
	Write(rel string, data []byte) (bool, error)
	Exists(rel string) bool
	Remove(rel string) error
	Sync(rels []string) error
}

var (
	_ files = publish.Tree{}
	_ files = (*dryTree)(nil)
)

// dryTree is a dry run's working tree: reads go to the real tree unless
// the run wrote or removed the file, writes and removals are only
// remembered (as content hashes). Ownership is checked as the real tree
// checks it, so a dry run refuses what a real run would.
type dryTree struct {
	base publish.Tree
	mu   sync.Mutex
	// over maps a written file to its content's hash, a removed one to
	// nil.
	over map[string]*[sha256.Size]byte
}

func newDryTree(base publish.Tree) *dryTree {
	return &dryTree{base: base, over: map[string]*[sha256.Size]byte{}}
}

// Write remembers data as rel's content; it reports false when rel
// already holds data.
func (t *dryTree) Write(rel string, data []byte) (bool, error) {
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
func (t *dryTree) Remove(rel string) error {
	if err := t.check(rel, "remove"); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.over[rel] = nil
	return nil
}

// Exists reports whether rel is a file after the run's writes.
func (t *dryTree) Exists(rel string) bool {
	t.mu.Lock()
	sum, ok := t.over[rel]
	t.mu.Unlock()
	if ok {
		return sum != nil
	}
	return t.base.Exists(rel)
}

// Sync flushes nothing: nothing was written.
func (t *dryTree) Sync([]string) error { return nil }

// check refuses what publish.Tree refuses: paths outside the tree and
// files newsmirror does not own.
func (t *dryTree) check(rel, op string) error {
	if !fs.ValidPath(rel) || rel == "." || filepath.IsAbs(rel) || len(rel) >= 5 && rel[:5] == ".git/" {
		return fmt.Errorf("refusing path %q outside the mirror", rel)
	}
	if t.base.Owns != nil && !t.base.Owns(rel) {
		return &publish.NotOwnedError{Path: rel, Op: op}
	}
	return nil
}

// current is rel's content hash after the run's writes; callers hold mu.
func (t *dryTree) current(rel string) ([sha256.Size]byte, bool) {
	if sum, ok := t.over[rel]; ok {
		if sum == nil {
			return [sha256.Size]byte{}, false
		}
		return *sum, true
	}
	return t.onDisk(rel)
}

// onDisk is the hash of rel as the real tree holds it.
func (t *dryTree) onDisk(rel string) ([sha256.Size]byte, bool) {
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

// changes are the files the run would have created, changed or removed,
// by path: a file written back to what it held, or created and removed
// again, is none.
func (t *dryTree) changes() []Change {
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

// ErrDryRunPostgres refuses a dry run on a PostgreSQL state database:
// the run needs a copy of the state it can change and throw away, which
// only a SQLite database gives today.
var ErrDryRunPostgres = errors.New("sync --dry-run needs a SQLite state database: a PostgreSQL state (output.state) cannot be copied for it")

// scratch is a dry run's own folder (outside the mirror): the copy of the
// state database, and a repository standing for one the mirror does not
// have yet.
type scratch struct{ dir string }

func newScratch() (*scratch, error) {
	dir, err := os.MkdirTemp("", "newsmirror-dry-run-")
	if err != nil {
		return nil, fmt.Errorf("dry run: %w", err)
	}
	return &scratch{dir: dir}, nil
}

func (s *scratch) remove() {
	if s != nil {
		os.RemoveAll(s.dir)
	}
}

// state copies the state database at path into the scratch folder and
// returns the copy's path; a missing database gives a path where none is
// yet (the run then imports the mirror's export, as a real run would).
func (s *scratch) state(ctx context.Context, path string) (string, error) {
	if store.IsPostgres(path) {
		return "", ErrDryRunPostgres
	}
	dst := filepath.Join(s.dir, "state.db")
	err := store.Snapshot(ctx, path, dst)
	if _, serr := os.Stat(path); errors.Is(serr, fs.ErrNotExist) {
		return dst, nil
	}
	return dst, err
}

// openDry opens what a dry run reads: the mirror's repository as it is
// (or, when output.dir holds none yet, one made in the scratch folder:
// empty, or a clone of publish.upstream as a real run would make), the
// working tree behind an overlay, and a copy of the state database, under
// a shared hold on the mirror's lock (without it, with a warning, when
// another newsmirror holds it).
func (r *run) openDry(ctx context.Context, adopt bool) error {
	held, err := publish.LockShared(r.cfg.Output.Dir)
	if errors.Is(err, publish.ErrLocked) {
		// The daemon holds the lock between its rounds too; a dry run
		// changes nothing, so it reads on without the lock.
		r.warn(fmt.Sprintf("%v: this dry run reads the mirror without the lock; what it reads may change under it", err))
	} else if err != nil {
		return err
	}
	r.unlock = held.Release
	if r.scratch, err = newScratch(); err != nil {
		return err
	}
	base := r.cfg.Output.Dir
	if err := r.openDryRepo(ctx, &base); err != nil {
		return err
	}
	r.owner = owner.New(r.cfg)
	if err := r.owner.Watch(ctx, r.repo, owner.Options{Adopt: adopt, Dry: true}); err != nil {
		return err
	}
	r.tree = newDryTree(r.owner.Tree(base))
	if store.IsPostgres(r.cfg.Output.State) {
		return ErrDryRunPostgres
	}
	state, err := r.scratch.state(ctx, r.cfg.StatePath())
	if err != nil {
		return err
	}
	return r.openState(ctx, state)
}

// openDryRepo opens the mirror's repository without changing it; when
// there is none, it makes one in the scratch folder, a clone of the
// upstream when one is set (then *tree is the clone's working tree).
func (r *run) openDryRepo(ctx context.Context, tree *string) error {
	var err error
	if _, serr := os.Stat(filepath.Join(r.cfg.Output.Dir, ".git")); serr == nil {
		r.frozen = true
		r.repo, err = publish.OpenRepo(ctx, r.cfg.Output.Dir, r.cfg.Output.GitAuthor)
		return err
	}
	dir := filepath.Join(r.scratch.dir, "repo")
	if up, ok := upstream(r.cfg); ok {
		r.repo, err = publish.Clone(ctx, dir, r.cfg.Output.GitAuthor, up, r.cfg.Publish.Branch, r.cfg.Publish.PushTimeout)
		*tree = dir
		return err
	}
	r.repo, err = publish.OpenRepo(ctx, dir, r.cfg.Output.GitAuthor)
	return err
}

// dryCommit reports what the commit would hold and say, and commits
// nothing.
func (r *run) dryCommit() error {
	r.report.Changes = r.tree.(*dryTree).changes()
	if len(r.report.Changes) > 0 {
		r.report.Message = r.cfg.CommitMessage(r.now, len(r.report.Written))
	}
	return nil
}
