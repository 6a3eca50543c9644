package mirror

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/store"
)

// openState opens the state database; a missing one is filled from the
// export the mirror repository carries (publish.StateBranch), so that a
// new host with only a clone of the mirror goes on as the old one would.
// An export that cannot be imported stops the run and leaves no database
// behind (no article, in a PostgreSQL one): running on without it would
// mirror again what was retired. A PostgreSQL state is new while it holds
// no article, so the first run on it fills it from the export.
func (r *run) openState(ctx context.Context, path string) error {
	shared := store.IsPostgres(path)
	_, err := os.Stat(path)
	fresh := shared || errors.Is(err, fs.ErrNotExist)
	if r.db, err = store.Open(ctx, path); err != nil {
		return err
	}
	if r.lease != nil {
		r.db.Fence(*r.lease)
	}
	if !fresh {
		return nil
	}
	if shared {
		empty, err := r.db.Empty(ctx)
		if err != nil {
			r.db.Close()
			return err
		}
		if !empty {
			return nil
		}
	}
	if err := r.importState(ctx); err != nil {
		r.db.Close()
		if shared {
			return err // the import was one transaction: nothing is left
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
		return err
	}
	return nil
}

// importState imports the newest export found (fetching the upstream's
// when the repository has none), then reconciles it with the mirror's
// last commit.
func (r *run) importState(ctx context.Context) error {
	if up, ok := upstream(r.cfg); ok && !r.frozen {
		if _, err := r.repo.FetchState(ctx, up, r.cfg.Publish.PushTimeout); err != nil {
			r.warn(fmt.Sprintf("no state database, and the upstream's state export could not be fetched: %v", err))
		}
	}
	saved, found, err := r.repo.LoadState(ctx)
	if err != nil {
		return err
	}
	head := r.repo.Head(ctx)
	if !found {
		if head != "" {
			r.warn(fmt.Sprintf("no state database and no %s branch to import it from: articles the feeds still list are mirrored again and pages retention retired may come back", publish.StateBranch))
		}
		return nil
	}
	h, err := r.db.ImportFiles(ctx, saved.Files)
	if err != nil {
		return fmt.Errorf("%w (from %s; the run stopped to bring nothing retired back: fix or delete that branch to start without it)", err, saved.Ref)
	}
	r.log.Info("state database imported", "from", saved.Ref, "describes", h.Commit, "exported", saved.When)
	return r.reconcile(ctx, h.Commit, head)
}

// reconcile makes an imported state agree with the mirror's last commit
// head when the export describes another (older) commit: live pages that
// commit does not hold were retired (or removed by hand) and are
// tombstoned; pages it holds that the state does not know are counted in
// a warning (their articles, when a feed lists them again, are written
// again at the same path, never as a second page).
func (r *run) reconcile(ctx context.Context, described, head string) error {
	if head == "" {
		return nil
	}
	files, err := r.repo.HeadFiles(ctx, "")
	if err != nil {
		return err
	}
	gone, err := r.db.RetireGone(ctx, func(page string) bool {
		for _, f := range r.pageFiles(page) {
			if files[f] {
				return true
			}
		}
		return false
	})
	if err != nil {
		return err
	}
	unknown, err := r.unknownPages(ctx, files)
	if err != nil {
		return err
	}
	adopted := 0
	if len(unknown) > 0 {
		at := r.repo.HeadTime(ctx)
		for _, p := range unknown {
			ok, err := r.adoptPage(ctx, p, at)
			if err != nil {
				return err
			}
			if ok {
				adopted++
			}
		}
	}
	if described != head || len(gone) > 0 || len(unknown) > 0 {
		r.warn(fmt.Sprintf("imported state describes commit %s, the mirror is at %s: %d pages it lists are gone from the mirror (now retired); %d pages of the mirror were not in it, %d of them taken back from their original URL",
			shortRev(described), shortRev(head), len(gone), len(unknown), adopted))
	}
	return nil
}

// unknownPages lists the page files (pages/<channel>/<id>.md) of the
// mirror that no live article of the state names, sorted.
func (r *run) unknownPages(ctx context.Context, files map[string]bool) ([]string, error) {
	live, err := r.db.LivePaths(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, p := range live {
		known[p] = true
	}
	var out []string
	for f := range files {
		if strings.HasPrefix(f, "pages/") && strings.HasSuffix(f, ".md") && strings.Count(f, "/") == 2 && !known[f] {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out, nil
}

// exportState commits the state database's export onto the state branch
// when its tip does not describe the mirror's last commit yet (a
// committing run, or the first run of a mirror that had none). A failure
// is a warning: the mirror itself is committed.
func (r *run) exportState(ctx context.Context) {
	head := r.repo.Head(ctx)
	if head == "" || r.repo.StateDescribes(ctx, head) {
		return
	}
	files, err := r.db.ExportFiles(ctx, head)
	if err == nil {
		_, err = r.repo.SaveState(ctx, files, head, r.now)
	}
	if err != nil {
		r.warn(fmt.Sprintf("state not exported to %s (a new host would not know this run): %v", publish.StateBranch, err))
		return
	}
	r.report.StateBytes = 0
	for _, data := range files {
		r.report.StateBytes += len(data)
	}
}

// stateRefspecs push the state branch beside the mirror's, when there is
// one.
func (r *run) stateRefspecs(ctx context.Context) []string {
	if !r.repo.HasRef(ctx, publish.StateRef) {
		return nil
	}
	return []string{publish.StateRef + ":" + publish.StateRef}
}

func shortRev(h string) string {
	if h == "" {
		return "(none)"
	}
	return h[:min(len(h), 10)]
}
