package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/store"
)

// ExitAttention is the status command's exit code when something needs an
// operator: cron mails the output of a command that fails.
const ExitAttention = 4

func runStatus(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "status")
	asJSON := fs.Bool("json", false, "print the status as JSON (a versioned shape: docs/operations.md)")
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	st, err := readStatus(ctx, cfg, time.Now())
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror status:", err)
		return ExitFatal
	}
	if *asJSON {
		if st.now.IsZero() {
			st.now = time.Now()
		}
		if err := st.printJSON(e.stdout); err != nil {
			fmt.Fprintln(e.stderr, "newsmirror status:", err)
			return ExitFatal
		}
	} else {
		st.print(e.stdout, cfg.Location)
	}
	if len(st.alerts) > 0 {
		return ExitAttention
	}
	return ExitOK
}

// status is what "newsmirror status" shows.
type status struct {
	now      time.Time
	channels []channelStatus
	remotes  []store.Push
	images   []store.Health
	hits     int64
	hitFiles int
	hitSince time.Time
	alerts   []string
	// hosts are the daemons sharing the state and the lease.
	hosts hostsStatus
	// repo is the mirror repository's size, nil when there is none.
	repo *repoStatus
	// warnings are guesses and salvages (a broken feed read, text lost
	// in extraction, an encoding guessed): shown, but no reason to exit
	// non-zero, since the mirror got what could be read.
	warnings []string
	// fullHistory names the remotes not marked rewrite when
	// publish.history is set: they get the full-history chain.
	fullHistory []string
}

type channelStatus struct {
	source, channel string
	feed            store.Health // SubjectFeed
	articles        store.ArticleStats
	extract         store.Health // SubjectExtract
}

// feedFailuresAlert is how many reads of a feed in a row must fail before
// status asks for attention (one failure can be a passing outage).
const feedFailuresAlert = 2

// readStatus reads the state database of cfg without creating it.
func readStatus(ctx context.Context, cfg *config.Config, now time.Time) (*status, error) {
	path := cfg.StatePath()
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && !store.IsPostgres(path) {
		return &status{alerts: []string{fmt.Sprintf("no state database at %s: has the mirror ever been synced?", path)}}, nil
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	st := &status{now: now, hitSince: now.Add(-cfg.Site.HotWindow)}
	if err := st.readSources(ctx, db, cfg); err != nil {
		return nil, err
	}
	if err := st.readRemotes(ctx, db, cfg); err != nil {
		return nil, err
	}
	if err := st.readEncodings(ctx, db); err != nil {
		return nil, err
	}
	if err := st.readHosts(ctx, db); err != nil {
		return nil, err
	}
	if st.hits, st.hitFiles, err = db.HitTotal(ctx, st.hitSince); err != nil {
		return nil, err
	}
	return st, st.readRepo(ctx, cfg)
}

// readRepo measures the mirror repository and holds it to the budget.
func (st *status) readRepo(ctx context.Context, cfg *config.Config) error {
	r, ok, err := measureRepo(ctx, cfg, st.now)
	if err != nil || !ok {
		return err
	}
	st.repo = &r
	alert, warn := r.alert()
	if alert != "" {
		st.alerts = append(st.alerts, alert)
	}
	if warn != "" {
		st.warnings = append(st.warnings, warn)
	}
	return nil
}

func (st *status) readSources(ctx context.Context, db *store.Store, cfg *config.Config) error {
	arts, err := db.ChannelArticles(ctx, st.now.Add(-cfg.Fetch.GiveUpAfter))
	if err != nil {
		return err
	}
	health, err := db.Health(ctx)
	if err != nil {
		return err
	}
	for _, src := range cfg.Sources {
		for _, ch := range src.Channels {
			cs := channelStatus{source: src.ID, channel: ch.ID, articles: arts[ch.ID],
				feed:    health.Of(store.SubjectFeed, src.ID, ch.ID),
				extract: health.Of(store.SubjectExtract, src.ID, ch.ID)}
			st.channels = append(st.channels, cs)
			st.alerts = append(st.alerts, cs.alerts()...)
			if w := cs.feed.LastWarning; w != "" {
				st.warnings = append(st.warnings, fmt.Sprintf("%s/%s: feed salvaged on its last read: %s", src.ID, ch.ID, clip(w, 300)))
			}
			if w := cs.extract.LastWarning; w != "" {
				st.warnings = append(st.warnings, fmt.Sprintf("%s/%s: the last article extracted lost text (%d so far): %s", src.ID, ch.ID, cs.extract.Warned, clip(w, 300)))
			}
		}
		if h := health.Of(store.SubjectImages, src.ID, ""); h.OK+h.Failed > 0 {
			st.images = append(st.images, h)
		}
	}
	return nil
}

// readEncodings warns of channels whose feed or pages had their character
// encoding guessed (detected, repaired or set by the source's override):
// what was published may be garbled. Labels overruled by the bytes
// themselves (valid UTF-8, a BOM) are certain and not repeated here.
func (st *status) readEncodings(ctx context.Context, db *store.Store) error {
	es, err := db.Encodings(ctx)
	if err != nil {
		return err
	}
	for _, e := range es {
		if uncertain(e.LastGuess) {
			st.warnings = append(st.warnings, fmt.Sprintf("%s/%s: %d %s(s) decoded by a guess; last: %s", e.Source, e.Channel, e.Guesses, e.Document, clip(e.LastGuess, 300)))
		}
	}
	return nil
}

// uncertain reports whether a recorded guess ("big5 (detected 0.91) URL")
// is one the bytes do not prove.
func uncertain(guess string) bool {
	for _, r := range []string{"(detected", "(utf8-repaired", "(override"} {
		if strings.Contains(guess, r) {
			return true
		}
	}
	return false
}

// readRemotes lists every configured remote's last push; a remote never
// pushed to shows with empty times.
func (st *status) readRemotes(ctx context.Context, db *store.Store, cfg *config.Config) error {
	pushes, err := db.Pushes(ctx)
	if err != nil {
		return err
	}
	byName := map[string]store.Push{}
	for _, p := range pushes {
		byName[p.Remote] = p
	}
	for _, r := range cfg.Publish.Remotes {
		p, ok := byName[r.Name]
		if !ok {
			p = store.Push{Remote: r.Name}
		}
		st.remotes = append(st.remotes, p)
		if !r.Rewrite && !cfg.Publish.History.IsZero() {
			st.fullHistory = append(st.fullHistory, r.Name)
		}
		if p.LastError != "" {
			st.alerts = append(st.alerts, fmt.Sprintf("remote %s: last push failed: %s%s", r.Name, clip(p.LastError, 200), refusedHint(ctx, cfg, r, p.LastError)))
		}
	}
	return nil
}

// alerts are the channel's problems that need an operator.
func (c channelStatus) alerts() []string {
	a, f := c.articles, c.feed
	name := c.source + "/" + c.channel
	var out []string
	if f.Streak >= feedFailuresAlert || (f.Failing() && f.LastSuccess.IsZero()) {
		out = append(out, fmt.Sprintf("%s: feed failed %d times in a row; last: %s", name, f.Streak, clip(f.LastError, 200)))
	}
	switch {
	case a.Live == 0 && a.Retrying+a.GaveUp > 0:
		out = append(out, fmt.Sprintf("%s: no page mirrored yet, %d articles failed; last: %s", name, a.Retrying+a.GaveUp, a.LastFailureError))
	case a.Live > 0 && a.LastFailure.After(a.LastPage):
		out = append(out, fmt.Sprintf("%s: failing since its last page; last: %s", name, a.LastFailureError))
	}
	if a.NewestByFallback {
		out = append(out, fmt.Sprintf("%s: selector broken? its newest page was extracted by the fallback (%d of %d live pages); last: %s (%s)",
			name, a.FallbackPages, a.Live, c.extract.LastError, c.extract.LastURL))
	}
	return out
}

func (st *status) print(w io.Writer, loc *time.Location) {
	if len(st.channels) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SOURCE/CHANNEL\tLAST READ\tITEMS\tFEED FAILS\tPAGES\tLAST PAGE\tFALLBACKS\tRETRYING\tGAVE UP\tLAST ERROR")
		for _, c := range st.channels {
			a, f := c.articles, c.feed
			fmt.Fprintf(tw, "%s/%s\t%s\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%s\n", c.source, c.channel,
				stamp(f.LastSuccess, loc), f.Items, f.Streak, a.Live, stamp(a.LastPage, loc),
				c.extract.Fallbacks, a.Retrying, a.GaveUp, clip(c.lastError(), 60))
		}
		tw.Flush()
		st.printFailures(w, loc)
	}
	if len(st.remotes) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "REMOTE\tLAST PUSH\tLAST ATTEMPT\tCOMMIT\tLAST ERROR")
		for _, p := range st.remotes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Remote, stamp(p.LastSuccess, loc), stamp(p.LastAttempt, loc),
				shortHash(p.Pushed), clip(p.LastError, 60))
		}
		tw.Flush()
		if len(st.fullHistory) > 0 {
			fmt.Fprintf(w, "full history: %s (not marked rewrite) get every commit, the re-rooted branch's copied onto a chain the mirror keeps: the local repository keeps the full history for them\n", strings.Join(st.fullHistory, ", "))
		}
	}
	st.hosts.print(w)
	fmt.Fprintln(w)
	for _, h := range st.images {
		fmt.Fprintf(w, "images %s: %d localised, %d kept at their original URL", h.Source, h.OK, h.Failed)
		if h.LastError != "" {
			fmt.Fprintf(w, "; last failure: %s", clip(h.LastError, 80))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "hits since %s: %d on %d files\n", stamp(st.hitSince, loc), st.hits, st.hitFiles)
	if st.repo != nil {
		st.repo.print(w, loc)
	}
	if len(st.warnings) > 0 {
		fmt.Fprintf(w, "\nwarnings (%d):\n", len(st.warnings))
		for _, a := range st.warnings {
			fmt.Fprintf(w, "  %s\n", a)
		}
	}
	if len(st.alerts) == 0 {
		fmt.Fprintln(w, "all well")
		return
	}
	fmt.Fprintf(w, "\nneeds attention (%d):\n", len(st.alerts))
	for _, a := range st.alerts {
		fmt.Fprintf(w, "  %s\n", a)
	}
}

// printFailures says, per channel, why its failed articles are not
// mirrored: retried (with the host down, and since when) or given up.
func (st *status) printFailures(w io.Writer, loc *time.Location) {
	for _, c := range st.channels {
		a := c.articles
		name := c.source + "/" + c.channel
		if a.HostDown > 0 {
			fmt.Fprintf(w, "%s: %d retrying (host down since %s)\n", name, a.HostDown, stamp(a.DownSince, loc))
		}
		if n := a.Retrying - a.HostDown; n > 0 {
			fmt.Fprintf(w, "%s: %d retrying\n", name, n)
		}
		if a.GaveUp > 0 {
			fmt.Fprintf(w, "%s: %d gave up (%s since %s); newsmirror retry --channel %s requeues them\n",
				name, a.GaveUp, clip(shortReason(a.GaveUpError), 80), stamp(a.GaveUpSince, loc), c.channel)
		}
	}
}

// urlPrefix is the "fetch URL: " a fetch error starts with.
var urlPrefix = regexp.MustCompile(`^(?:[a-z]+ [a-z]+://[^\s]+: )+`)

// shortReason is a failure's reason without the URLs it names.
func shortReason(s string) string { return urlPrefix.ReplaceAllString(s, "") }

// lastError is the newest of the channel's feed and article errors.
func (c channelStatus) lastError() string {
	if c.feed.LastError != "" && !c.feed.LastFailure.Before(c.articles.LastFailure) {
		return c.feed.LastError
	}
	return c.articles.LastFailureError
}

func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
