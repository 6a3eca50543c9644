package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// budgetWarnShare is the share of publish.size_budget from which status
// warns, before it asks for attention above the budget.
const budgetWarnShare = 0.8

// repoStatus is the mirror repository's size for status and /metrics.
type repoStatus struct {
	sizes  publish.Sizes
	budget publish.ByteSize
	window publish.Window // publish.history
}

// measureRepo measures the mirror repository of cfg; ok is false when
// output.dir holds no repository yet (nothing is created).
func measureRepo(ctx context.Context, cfg *config.Config, now time.Time) (repoStatus, bool, error) {
	if _, err := os.Stat(filepath.Join(cfg.Output.Dir, ".git")); err != nil {
		return repoStatus{}, false, nil
	}
	s, err := (&publish.Repo{Dir: cfg.Output.Dir}).Sizes(ctx, now)
	if err != nil {
		return repoStatus{}, false, err
	}
	return repoStatus{sizes: s, budget: cfg.Publish.SizeBudget, window: cfg.Publish.History}, true, nil
}

// alert is the repository's problem that needs an operator, and warn the
// one to watch; "" when none.
func (r repoStatus) alert() (alert, warn string) {
	used, budget := r.sizes.Repository(), int64(r.budget)
	msg := fmt.Sprintf("repository is %s (packed %s, loose %s), %.0f%% of publish.size_budget %s",
		publish.ByteSize(used), publish.ByteSize(r.sizes.Packed), publish.ByteSize(r.sizes.Loose), 100*float64(used)/float64(budget), r.budget)
	switch {
	case used > budget:
		return msg + ": over it (docs/publishing.md, \"Repository size\")", ""
	case float64(used) >= budgetWarnShare*float64(budget):
		return "", msg
	}
	return "", ""
}

// print writes the repository's lines of status.
func (r repoStatus) print(w io.Writer, loc *time.Location) {
	s := r.sizes
	fmt.Fprintf(w, "repository: %s packed, %s loose (%.0f%% of the %s budget)\n",
		publish.ByteSize(s.Packed), publish.ByteSize(s.Loose), 100*float64(s.Repository())/float64(r.budget), r.budget)
	fmt.Fprintf(w, "working tree: %s in %d files\n", publish.ByteSize(s.Tree), s.Files)
	if s.Commits == 0 {
		fmt.Fprintln(w, "history: no commit yet")
		return
	}
	fmt.Fprintf(w, "growth: %s a day over the last %s\n", publish.ByteSize(s.Growth), days(s.GrowthDays))
	fmt.Fprintln(w, "history: "+r.history(loc))
}

// history says what history the repository holds and what it keeps.
func (r repoStatus) history(loc *time.Location) string {
	s := r.sizes
	held := fmt.Sprintf("%d commits since %s", s.Commits, stamp(s.Oldest, loc))
	window := "full history"
	if !r.window.IsZero() {
		window = "window " + r.window.String() + " (publish.history)"
	}
	if s.Rerooted.IsZero() {
		return window + ", " + held
	}
	return fmt.Sprintf("%s, %s, last re-root %s", window, held, stamp(s.Rerooted, loc))
}

func days(d float64) string {
	if d == 1 {
		return "day"
	}
	return fmt.Sprintf("%.0f days", d)
}

// observe sets the repository gauges of m.
func (r repoStatus) observe(m *metrics.Metrics) {
	s := r.sizes
	m.Repository(metrics.RepoSizes{Packed: s.Packed, Loose: s.Loose, Tree: s.Tree, Files: s.Files,
		GrowthPerDay: s.Growth, Budget: int64(r.budget), Oldest: s.Oldest})
}

// repoMeasureEvery is how often serve measures the repository for its
// gauges (a walk of the tree and a few git commands).
const repoMeasureEvery = 10 * time.Minute

// observeRepo measures the repository of cfg into m's gauges; a failure
// is logged.
func observeRepo(ctx context.Context, e *env, cfg *config.Config, m *metrics.Metrics) {
	if m == nil {
		return
	}
	r, ok, err := measureRepo(ctx, cfg, time.Now())
	if err != nil {
		e.log.Warn("measure repository", "err", err)
	}
	if ok {
		r.observe(m)
	}
}

// watchRepo keeps m's repository gauges current until ctx is done.
func watchRepo(ctx context.Context, e *env, cfg *config.Config, m *metrics.Metrics) {
	t := time.NewTicker(repoMeasureEvery)
	defer t.Stop()
	for {
		observeRepo(ctx, e, cfg, m)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
