package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// printRerootPlan prints what a dry run's re-root step would do
// (publish.history); nothing when no window is set and none is pending.
func printRerootPlan(w io.Writer, p *publish.RerootPlan) {
	if p == nil {
		return
	}
	window := "window " + p.Window.String() + " (publish.history)"
	switch {
	case p.Pending != "":
		fmt.Fprintf(w, "history: %s: would finish the re-root an interrupted run recorded (new tip %s)\n", window, shortHash(p.Pending))
	case !p.Due:
		fmt.Fprintf(w, "history: %s: no re-root due (%d commits since %s; %s)\n", window, p.Commits, p.Oldest.Format(time.RFC3339), nextReroot(p))
		printStatePlan(w, p.State)
		return
	case p.Blocked != nil:
		fmt.Fprintf(w, "history: %s: a re-root is due but would wait: %v\n", window, p.Blocked)
	default:
		fmt.Fprintf(w, "history: %s: would re-root\n", window)
	}
	if p.Due {
		fmt.Fprintf(w, "  %d of %d commits would become one root commit holding the tree of the last one cut, %s (%s %q)\n",
			p.Cut, p.Commits, shortHash(p.Root), p.RootDate.Format(time.RFC3339), p.RootSubject)
		fmt.Fprintf(w, "  %d commits since %s would be kept (re-created on the root, same trees)\n", p.Kept, p.Since.Format(time.RFC3339))
	}
	for _, rm := range p.Remotes {
		fmt.Fprintf(w, "  push %s: %s\n", rm.Name, pushPlan(rm))
	}
	printStatePlan(w, p.State)
}

// printStatePlan says whether the state branch would be re-rooted too.
func printStatePlan(w io.Writer, s *publish.StatePlan) {
	if s != nil && s.Due {
		fmt.Fprintf(w, "history: %s would be re-rooted too: %d of %d exports would become one root commit, %d kept\n",
			publish.StateBranch, s.Cut, s.Commits, s.Kept)
	}
}

// nextReroot says when the next re-root is due.
func nextReroot(p *publish.RerootPlan) string {
	if p.Window.Commits > 0 {
		return fmt.Sprintf("the next one after %d more commits", p.Left)
	}
	if p.Next.IsZero() {
		return "no commit yet"
	}
	return "the next one after " + p.Next.Format(time.RFC3339)
}

// pushPlan says how the re-rooted branch would go to one remote.
func pushPlan(rm publish.RemotePlan) string {
	switch rm.Push {
	case publish.PushForced:
		return "--force-with-lease against " + shortHash(rm.Lease) + ", what newsmirror last pushed there (rewrite: true)"
	case publish.PushFirst:
		return "never pushed to yet: a plain push first; the re-root waits for it to succeed (rewrite: true)"
	case publish.PushFull:
		return "keeps its full history (no rewrite): a plain push of the full-history chain, the re-rooted branch's new commits copied onto it"
	}
	return "plain push (holds the re-rooted branch already)"
}

// rerootPlanJSON is "sync --dry-run --json"'s reroot_plan.
type rerootPlanJSON struct {
	Window  string     `json:"window"`
	Due     bool       `json:"due"`
	Commits int        `json:"commits"`
	Oldest  *time.Time `json:"oldest_commit"`
	// Cut, Kept, Since, Root*: the re-root that is due (zero otherwise).
	Cut      int        `json:"cut"`
	Kept     int        `json:"kept"`
	Since    *time.Time `json:"since"`
	Root     string     `json:"root_tree_of"` // the commit whose tree the root would hold
	RootDate *time.Time `json:"root_tree_date"`
	// Next (an age window) or Left (a commit window): when the next
	// re-root is due, when none is.
	Next    *time.Time       `json:"next_due"`
	Left    int              `json:"commits_left"`
	Blocked string           `json:"blocked"` // why a due re-root would wait; "" when it would not
	Pending string           `json:"pending"` // a recorded re-root's new tip the run would finish
	Remotes []remotePlanJSON `json:"remotes"`
	// State is the state branch's: null without one.
	State *statePlanJSON `json:"state"`
}

type statePlanJSON struct {
	Commits int  `json:"commits"`
	Due     bool `json:"due"`
	Cut     int  `json:"cut"`
	Kept    int  `json:"kept"`
}

type remotePlanJSON struct {
	Name    string `json:"name"`
	Rewrite bool   `json:"rewrite"`
	Lease   string `json:"lease"` // what newsmirror last pushed there; "" when never
	// Push is "plain", "force-with-lease", "first-push" or "full-history".
	Push string `json:"push"`
}

func rerootPlanOut(p *publish.RerootPlan) *rerootPlanJSON {
	if p == nil {
		return nil
	}
	out := &rerootPlanJSON{Window: p.Window.String(), Due: p.Due, Commits: p.Commits, Oldest: when(p.Oldest),
		Cut: p.Cut, Kept: p.Kept, Since: when(p.Since), Root: p.Root, RootDate: when(p.RootDate),
		Next: when(p.Next), Left: p.Left, Pending: p.Pending, Remotes: []remotePlanJSON{}}
	if p.Blocked != nil {
		out.Blocked = p.Blocked.Error()
	}
	for _, rm := range p.Remotes {
		out.Remotes = append(out.Remotes, remotePlanJSON{rm.Name, rm.Rewrite, rm.Lease, string(rm.Push)})
	}
	if s := p.State; s != nil {
		out.State = &statePlanJSON{s.Commits, s.Due, s.Cut, s.Kept}
	}
	return out
}
