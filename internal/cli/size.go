package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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
	// plan is what the next run's re-root step would do (nil: no window
	// and none pending); now is when all this was measured.
	plan *publish.RerootPlan
	now  time.Time
}

// measureRepo measures the mirror repository of cfg; ok is false when
// output.dir holds no repository yet (nothing is created).
func measureRepo(ctx context.Context, cfg *config.Config, now time.Time) (repoStatus, bool, error) {
	if _, err := os.Stat(filepath.Join(cfg.Output.Dir, ".git")); err != nil {
		return repoStatus{}, false, nil
	}
	repo := &publish.Repo{Dir: cfg.Output.Dir}
	s, err := repo.Sizes(ctx, now)
	if err != nil {
		return repoStatus{}, false, err
	}
	p := cfg.Publish
	plan, err := repo.PlanReroot(ctx, p.History, p.Remotes, now, time.Time{})
	if err != nil {
		return repoStatus{}, false, err
	}
	return repoStatus{sizes: s, budget: p.SizeBudget, window: p.History, plan: plan, now: now}, true, nil
}

// waiting says what holds up the history's window, "" when nothing: a
// due re-root that waits, or a re-root made that a remote lacks.
func (r repoStatus) waiting() string {
	p := r.plan
	switch {
	case p == nil:
		return ""
	case p.Pending != "":
		var lacking []string
		for _, rm := range p.Remotes {
			if rm.Rewrite && rm.Push != publish.PushPlain { // the others get the full history
				lacking = append(lacking, rm.Name)
			}
		}
		if len(lacking) == 0 {
			return "" // every remote has it: the next run frees the old history
		}
		return fmt.Sprintf("history re-rooted (%s) but not pushed yet to %s, which hold the old history; the next run pushes again (see their push errors)", shortHash(p.Pending), strings.Join(lacking, ", "))
	case p.Due && p.Blocked != nil:
		return fmt.Sprintf("history is past publish.history %s (%d commits since %s) and the re-root waits: %v", p.Window, p.Commits, p.Oldest.Format(time.RFC3339), p.Blocked)
	}
	return ""
}

// alert is the repository's problem that needs an operator, and warn the
// one to watch; "" when none.
func (r repoStatus) alert() (alert, warn string) {
	used, budget := r.sizes.Repository(), int64(r.budget)
	msg := fmt.Sprintf("repository is %s (packed %s, loose %s), %.0f%% of publish.size_budget %s",
		publish.ByteSize(used), publish.ByteSize(r.sizes.Packed), publish.ByteSize(r.sizes.Loose), 100*float64(used)/float64(budget), r.budget)
	switch {
	case used > budget:
		return msg + ": over it (docs/publishing.md, \"Repository size\")", r.waiting()
	case float64(used) >= budgetWarnShare*float64(budget):
		return "", join(msg, r.waiting())
	}
	return "", r.waiting()
}

// join joins the non-empty of a and b with "; ".
func join(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
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
	held := fmt.Sprintf("%d commits since %s (%s)", s.Commits, stamp(s.Oldest, loc), ago(r.now.Sub(s.Oldest)))
	window := "full history"
	if !r.window.IsZero() {
		window = "window " + r.window.String() + " (publish.history)"
	}
	line := window + ", " + held
	if !s.Rerooted.IsZero() {
		line += fmt.Sprintf(", last re-root %s (%s)", stamp(s.Rerooted, loc), ago(r.now.Sub(s.Rerooted)))
	}
	if p := r.plan; p != nil && p.Pending == "" && !p.Due {
		if p.Window.Commits > 0 {
			line += fmt.Sprintf(", next re-root after %d more commits", p.Left)
		} else if !p.Next.IsZero() {
			line += ", next re-root after " + stamp(p.Next, loc)
		}
	} else if p != nil && p.Due && p.Blocked == nil {
		line += ", re-root due at the next run"
	}
	return line
}

// ago is how long d is, in the largest whole unit of days, hours or
// minutes: "95 days ago".
func ago(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d minutes ago", max(int(d/time.Minute), 0))
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
		GrowthPerDay: s.Growth, Budget: int64(r.budget), Oldest: s.Oldest, History: r.historyState()})
}

// historyState is the branch's history against its window, for the
// gauges.
func (r repoStatus) historyState() metrics.HistoryState {
	s := r.sizes
	h := metrics.HistoryState{Commits: s.Commits, LastReroot: s.Rerooted,
		WindowAge: r.window.Age, WindowCommits: r.window.Commits, Waiting: r.waiting() != ""}
	if !s.Oldest.IsZero() {
		h.OldestAge = r.now.Sub(s.Oldest)
	}
	return h
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

// refusedHint says what to do about a remote that refuses the mirror's
// re-rooted branch, "" for any other failure: after a re-root (here, or by
// the host this one took over from) a remote still holding the old
// history, or a remote not marked rewrite, is refused on every run until
// the operator decides.
func refusedHint(ctx context.Context, cfg *config.Config, rm publish.Remote, lastErr string) string {
	if !strings.Contains(lastErr, "[rejected]") || !rm.Rewrite {
		return "" // a remote not marked rewrite gets the full history (its error says why it did not)
	}
	if _, err := os.Stat(filepath.Join(cfg.Output.Dir, ".git")); err != nil {
		return ""
	}
	s, err := (&publish.Repo{Dir: cfg.Output.Dir}).Sizes(ctx, time.Now())
	if err != nil || s.Rerooted.IsZero() {
		return ""
	}
	branch := cfg.Publish.Branch
	return fmt.Sprintf(". This mirror's branch was re-rooted (publish.history), and %s holds commits the new history does not continue: "+
		"the history before the re-root, or another writer's work. Look at what it holds (git ls-remote %s refs/heads/%s); "+
		"to let newsmirror replace it with the re-rooted branch, run once: "+
		"git -C %s fetch %s %s && git -C %s update-ref %s%s FETCH_HEAD (the next push is --force-with-lease against that head); "+
		"to keep its full history instead, set rewrite: false on it (docs/publishing.md, \"History within a window\")",
		rm.Name, rm.URL, branch, cfg.Output.Dir, rm.URL, branch, cfg.Output.Dir, publish.PushRecordPrefix, rm.Name)
}
