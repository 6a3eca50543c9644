package mirror

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/newsmirror/newsmirror/internal/overlay"
	"github.com/newsmirror/newsmirror/internal/owner"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/store"
)

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
	_ files = (*overlay.Tree)(nil)
)

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
	r.tree = overlay.New(r.owner.Tree(base))
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
	r.report.Changes = r.tree.(*overlay.Tree).Changes()
	if len(r.report.Changes) > 0 {
		r.report.Message = r.cfg.CommitMessage(r.now, len(r.report.Written))
	}
	return nil
}
