package cli

import (
	"encoding/json"
	"io"
	"sort"
	"time"

	"github.com/newsmirror/newsmirror/internal/mirror"
)

// JSONVersion is the version of the shapes "status --json" and
// "sync --json" print (docs/operations.md). It changes only when a field
// is removed or changes meaning; new fields may appear within a version.
const JSONVersion = 1

// statusJSON is "status --json".
type statusJSON struct {
	Version  int                 `json:"version"`
	Time     time.Time           `json:"time"`
	OK       bool                `json:"ok"` // false: exit 4, see alerts
	Channels []channelStatusJSON `json:"channels"`
	Remotes  []remoteStatusJSON  `json:"remotes"`
	Images   []imageStatusJSON   `json:"images"`
	Hits     hitsJSON            `json:"hits"`
	// Repository is the mirror repository's size; null when output.dir
	// holds no repository yet.
	Repository *repositoryJSON `json:"repository"`
	// Hosts are the daemons (run) that wrote a heartbeat into the state,
	// by host id; Lease elects the one that syncs (null: never held).
	Hosts    []hostStatusJSON `json:"hosts"`
	Lease    *leaseJSON       `json:"lease"`
	Warnings []string         `json:"warnings"`
	Alerts   []string         `json:"alerts"`
}

type channelStatusJSON struct {
	Source       string     `json:"source"`
	Channel      string     `json:"channel"`
	LastRead     *time.Time `json:"last_read"` // null: never read
	Items        int        `json:"items"`
	FeedFailures int        `json:"feed_failures"` // in a row
	Pages        int        `json:"pages"`
	LastPage     *time.Time `json:"last_page"`
	Fallbacks    int        `json:"fallbacks"`
	Retrying     int        `json:"retrying"`
	HostDown     int        `json:"host_down"`
	GaveUp       int        `json:"gave_up"`
	LastError    string     `json:"last_error"`
}

type remoteStatusJSON struct {
	Remote      string     `json:"remote"`
	LastPush    *time.Time `json:"last_push"`
	LastAttempt *time.Time `json:"last_attempt"`
	Commit      string     `json:"commit"`
	LastError   string     `json:"last_error"`
}

type imageStatusJSON struct {
	Source    string `json:"source"`
	Localized int    `json:"localized"`
	Failed    int    `json:"failed"`
	LastError string `json:"last_error"`
}

type hitsJSON struct {
	Since *time.Time `json:"since"`
	Count int64      `json:"count"`
	Files int        `json:"files"`
}

// repositoryJSON is the mirror repository's size (docs/publishing.md,
// "Repository size"), in bytes.
type repositoryJSON struct {
	Packed       int64      `json:"packed_bytes"`
	Loose        int64      `json:"loose_bytes"`
	Tree         int64      `json:"tree_bytes"`
	Files        int        `json:"tree_files"`
	GrowthPerDay int64      `json:"growth_bytes_per_day"`
	GrowthDays   float64    `json:"growth_days"`
	Budget       int64      `json:"budget_bytes"`
	Commits      int        `json:"commits"`
	Oldest       *time.Time `json:"oldest_commit"`
	// History is the history kept: "full", or publish.history's window
	// ("90d", "500 commits").
	History string `json:"history"`
	// LastReroot is when the branch was last re-rooted (publish.history);
	// oldest_commit is then the oldest commit kept.
	LastReroot *time.Time `json:"last_reroot"`
	// RerootPlan is what the next run's re-root step would do, as in
	// "sync --dry-run --json"; null when no window is set.
	RerootPlan *rerootPlanJSON `json:"reroot_plan"`
}

// json is r for "status --json"; nil for no repository.
func (r *repoStatus) json() *repositoryJSON {
	if r == nil {
		return nil
	}
	s := r.sizes
	return &repositoryJSON{Packed: s.Packed, Loose: s.Loose, Tree: s.Tree, Files: s.Files,
		GrowthPerDay: s.Growth, GrowthDays: s.GrowthDays, Budget: int64(r.budget),
		Commits: s.Commits, Oldest: when(s.Oldest), History: r.window.String(), LastReroot: when(s.Rerooted),
		RerootPlan: rerootPlanOut(r.plan)}
}

// when is t for JSON: nil (null) for the zero time, else UTC.
func when(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func (st *status) printJSON(w io.Writer) error {
	out := statusJSON{Version: JSONVersion, Time: st.now.UTC(), OK: len(st.alerts) == 0,
		Channels: []channelStatusJSON{}, Remotes: []remoteStatusJSON{}, Images: []imageStatusJSON{},
		Hits:       hitsJSON{Since: when(st.hitSince), Count: st.hits, Files: st.hitFiles},
		Repository: st.repo.json(),
		Warnings:   nonNil(st.warnings), Alerts: nonNil(st.alerts)}
	for _, c := range st.channels {
		a, f := c.articles, c.feed
		out.Channels = append(out.Channels, channelStatusJSON{
			Source: c.source, Channel: c.channel, LastRead: when(f.LastSuccess), Items: f.Items,
			FeedFailures: f.Streak, Pages: a.Live, LastPage: when(a.LastPage), Fallbacks: c.extract.Fallbacks,
			Retrying: a.Retrying, HostDown: a.HostDown, GaveUp: a.GaveUp, LastError: c.lastError(),
		})
	}
	out.Hosts, out.Lease = st.hosts.json()
	for _, p := range st.remotes {
		out.Remotes = append(out.Remotes, remoteStatusJSON{p.Remote, when(p.LastSuccess), when(p.LastAttempt), p.Pushed, p.LastError})
	}
	for _, h := range st.images {
		out.Images = append(out.Images, imageStatusJSON{h.Source, h.OK, h.Failed, h.LastError})
	}
	return writeJSON(w, out)
}

// syncJSON is "sync --json": the run's summary.
type syncJSON struct {
	Version  int               `json:"version"`
	Exit     int               `json:"exit"`
	Reason   string            `json:"reason"`  // why exit is not 0; "" when it is
	Written  []string          `json:"written"` // pages written (paths in the mirror)
	Removed  []string          `json:"removed"` // pages removed by retention
	Failures []failureJSON     `json:"failures"`
	Warnings []string          `json:"warnings"`
	Commit   string            `json:"commit"` // "" when nothing new
	Message  string            `json:"message"`
	Pushes   []pushJSON        `json:"pushes"`
	Images   []imageStatusJSON `json:"images"`
	Seconds  timingsJSON       `json:"seconds"`
	// DryRun: nothing was written, committed or pushed; Changes are the
	// files the run would have written and removed, Message the commit
	// it would have made.
	DryRun  bool         `json:"dry_run"`
	Changes []changeJSON `json:"changes"`
	// RerootPlan is, in a dry run, what the re-root step would do
	// (publish.history); null when no window is set.
	RerootPlan *rerootPlanJSON `json:"reroot_plan"`
}

// changeJSON is one file a dry run would write ("A" new, "M" changed) or
// remove ("D").
type changeJSON struct {
	Op   string `json:"op"`
	Path string `json:"path"`
}

type failureJSON struct {
	Source  string `json:"source"`
	Channel string `json:"channel"`
	URL     string `json:"url"`
	Error   string `json:"error"`
}

type pushJSON struct {
	Remote string `json:"remote"`
	Commit string `json:"commit"`
	Error  string `json:"error"` // "" when the push went through
}

type timingsJSON struct {
	Lists  float64 `json:"lists"`
	Commit float64 `json:"commit"`
	Push   float64 `json:"push"`
}

func printReportJSON(w io.Writer, rep *mirror.Report, code int, why string) error {
	out := syncJSON{Version: JSONVersion, Exit: code, Reason: why,
		Written: nonNil(rep.Written), Removed: nonNil(rep.Removed), Failures: []failureJSON{},
		Warnings: nonNil(rep.Warnings), Commit: rep.Commit, Message: rep.Message,
		Pushes: []pushJSON{}, Images: []imageStatusJSON{},
		Seconds: timingsJSON{rep.Took.Lists.Seconds(), rep.Took.Commit.Seconds(), rep.Took.Push.Seconds()},
		DryRun:  rep.DryRun, Changes: []changeJSON{}, RerootPlan: rerootPlanOut(rep.RerootPlan),
	}
	for _, c := range rep.Changes {
		out.Changes = append(out.Changes, changeJSON{c.Op, c.Path})
	}
	for _, f := range rep.Failures {
		msg := ""
		if f.Err != nil {
			msg = f.Err.Error()
		}
		out.Failures = append(out.Failures, failureJSON{f.Source, f.Channel, f.URL, msg})
	}
	for _, p := range rep.Pushes {
		pj := pushJSON{Remote: p.Remote, Commit: p.Commit}
		if p.Err != nil {
			pj.Error = p.Err.Error()
		}
		out.Pushes = append(out.Pushes, pj)
	}
	ids := make([]string, 0, len(rep.Images))
	for id := range rep.Images {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := rep.Images[id]
		out.Images = append(out.Images, imageStatusJSON{id, c.Localized, c.Failed, c.LastError})
	}
	return writeJSON(w, out)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// nonNil makes an absent list an empty one, so JSON readers see [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
