// Package metrics holds newsmirror's Prometheus collectors in one struct
// with its own registry, passed explicitly to whatever counts: the sync pass,
// the fetch client, the hit counter. A nil *Metrics counts nothing, so code
// that counts never needs to check whether anyone is listening.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Hit rejection reasons, the values of the "reason" label.
const (
	RejectUnknown = "unknown_path" // not a page or index of the mirror
	RejectBot     = "bot"          // a known crawler's User-Agent
	RejectRate    = "rate"         // the client's token bucket was empty
	RejectMethod  = "method"       // not GET
	RejectRepeat  = "repeat"       // the client was counted for the page this hour
	RejectFull    = "buffer_full"  // the buffer of unwritten counts is at its bound
)

// Metrics is every collector newsmirror exports. Its methods are safe for
// concurrent use and do nothing on a nil receiver.
type Metrics struct {
	reg *prometheus.Registry

	fetches     *prometheus.CounterVec
	fetchBytes  *prometheus.CounterVec
	retries     prometheus.Counter
	fallbacks   *prometheus.CounterVec
	textLost    *prometheus.CounterVec
	pages       *prometheus.CounterVec
	assets      *prometheus.CounterVec
	pushes      *prometheus.CounterVec
	runs        prometheus.Histogram
	lastRun     prometheus.Gauge
	hitsCounted prometheus.Counter
	hitsReject  *prometheus.CounterVec
	knownPaths  prometheus.Gauge
	flushErrors prometheus.Counter
	hitBuffered prometheus.Gauge
	hitRepeats  prometheus.Counter
	encGuesses  *prometheus.CounterVec
	salvages    *prometheus.CounterVec
	repo        *prometheus.GaugeVec
	repoFiles   prometheus.Gauge
	repoOldest  prometheus.Gauge
	history     map[string]prometheus.Gauge // by name, historyHelp's
}

// New returns a Metrics registered in a registry of its own, with the Go
// runtime and process collectors beside newsmirror's.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_fetches_total", Help: "Feed, page and image fetches by source and result (ok, http_4xx, http_5xx, too_large, timeout, error).",
		}, []string{"source", "result"}),
		fetchBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_fetch_bytes_total", Help: "Response body bytes fetched, by source.",
		}, []string{"source"}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsmirror_fetch_retries_total", Help: "Fetch attempts repeated after a transient failure.",
		}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_extract_fallbacks_total", Help: "Articles extracted by the fallback because the source's body selector matched nothing.",
		}, []string{"source"}),
		textLost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_extract_text_lost_total", Help: "Articles whose published body keeps less of the source's visible text than the rules' min_retained.",
		}, []string{"source"}),
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_pages_total", Help: "Mirror pages by change: written (new), updated, removed.",
		}, []string{"change"}),
		assets: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_assets_total", Help: "Article images by source and result: localized, or kept at their original URL (failed).",
		}, []string{"source", "result"}),
		pushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_pushes_total", Help: "Pushes of the mirror by remote and result (ok, error).",
		}, []string{"remote", "result"}),
		runs: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "newsmirror_run_duration_seconds", Help: "Duration of whole sync passes.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600},
		}),
		lastRun: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsmirror_last_run_timestamp_seconds", Help: "When the last sync pass ended (Unix time).",
		}),
		hitsCounted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsmirror_hits_counted_total", Help: "Page hits counted by the hit counter.",
		}),
		hitsReject: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_hits_rejected_total", Help: "Pixel requests answered but not counted, by reason (unknown_path, bot, rate, method, repeat, buffer_full).",
		}, []string{"reason"}),
		knownPaths: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsmirror_counter_known_paths", Help: "Pages and indexes the hit counter counts.",
		}),
		flushErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsmirror_hits_flush_errors_total", Help: "Failed writes of buffered hit counts (kept and retried).",
		}),
		hitBuffered: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsmirror_hits_buffered", Help: "Counts (page and hour) the hit counter holds not yet written to the state database, as of the last flush.",
		}),
		hitRepeats: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newsmirror_hits_batches_repeated_total", Help: "Batches of hit counts sent again after a lost reply and found already written (not counted twice).",
		}),
		encGuesses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_encoding_guesses_total", Help: "Feeds and pages whose character encoding was guessed, repaired or chosen against a label, by source and reason (detected, utf8-repaired, override, utf8-valid, bom…).",
		}, []string{"source", "reason"}),
		salvages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsmirror_feed_salvages_total", Help: "Feed reads that salvaged a broken feed, by source and kind (truncated, junk, unescaped, mismatched-tag, too-deep, too-many, no-link…).",
		}, []string{"source", "kind"}),
		repo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsmirror_repository_bytes", Help: "The mirror repository's size by part: packed and loose history (git count-objects), the working tree, the bytes the last week's new objects take per day (growth_per_day), and publish.size_budget (budget).",
		}, []string{"part"}),
		repoFiles: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsmirror_repository_files", Help: "Files in the mirror's working tree.",
		}),
		repoOldest: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsmirror_repository_oldest_commit_timestamp_seconds", Help: "Date of the mirror branch's first commit (Unix time): the history the repository holds.",
		}),
	}
	m.history = map[string]prometheus.Gauge{}
	for name, help := range historyHelp {
		m.history[name] = prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		m.reg.MustRegister(m.history[name])
	}
	m.reg.MustRegister(m.repo, m.repoFiles, m.repoOldest)
	m.reg.MustRegister(m.encGuesses, m.salvages, m.fetches, m.fetchBytes, m.retries, m.fallbacks, m.textLost, m.pages, m.assets, m.pushes,
		m.runs, m.lastRun, m.hitsCounted, m.hitsReject, m.knownPaths, m.flushErrors, m.hitBuffered, m.hitRepeats,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{RejectUnknown, RejectBot, RejectRate, RejectMethod, RejectRepeat, RejectFull} {
		m.hitsReject.WithLabelValues(r)
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is the registry the collectors live in, for callers that add
// their own.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Fetch counts one fetch of source's feed, page or image and its body size.
func (m *Metrics) Fetch(source, result string, bytes int) {
	if m == nil {
		return
	}
	m.fetches.WithLabelValues(source, result).Inc()
	if bytes > 0 {
		m.fetchBytes.WithLabelValues(source).Add(float64(bytes))
	}
}

// Retry counts one repeated fetch attempt.
func (m *Metrics) Retry() {
	if m != nil {
		m.retries.Inc()
	}
}

// Fallback counts one article extracted by the fallback extractor.
func (m *Metrics) Fallback(source string) {
	if m != nil {
		m.fallbacks.WithLabelValues(source).Inc()
	}
}

// TextLost counts one article whose published body lost part of the
// source's visible text (extract's text-retention guard).
func (m *Metrics) TextLost(source string) {
	if m != nil {
		m.textLost.WithLabelValues(source).Inc()
	}
}

// Page changes, the values of the "change" label.
const (
	PageWritten = "written"
	PageUpdated = "updated"
	PageRemoved = "removed"
)

// Pages counts n pages that changed in the given way (PageWritten…).
func (m *Metrics) Pages(change string, n int) {
	if m != nil && n > 0 {
		m.pages.WithLabelValues(change).Add(float64(n))
	}
}

// Assets counts a source's images stored in the mirror and kept at their
// original URL.
func (m *Metrics) Assets(source string, localized, failed int) {
	if m == nil {
		return
	}
	m.assets.WithLabelValues(source, "localized").Add(float64(localized))
	m.assets.WithLabelValues(source, "failed").Add(float64(failed))
}

// Push counts one push to remote; err nil is a success.
func (m *Metrics) Push(remote string, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.pushes.WithLabelValues(remote, result).Inc()
}

// Run records one whole sync pass that took d and ended at end.
func (m *Metrics) Run(d time.Duration, end time.Time) {
	if m == nil {
		return
	}
	m.runs.Observe(d.Seconds())
	m.lastRun.Set(float64(end.Unix()))
}

// HitCounted counts one page hit.
func (m *Metrics) HitCounted() {
	if m != nil {
		m.hitsCounted.Inc()
	}
}

// HitRejected counts one pixel request that was answered but not counted.
func (m *Metrics) HitRejected(reason string) {
	if m != nil {
		m.hitsReject.WithLabelValues(reason).Inc()
	}
}

// KnownPaths sets how many pages and indexes the hit counter counts.
func (m *Metrics) KnownPaths(n int) {
	if m != nil {
		m.knownPaths.Set(float64(n))
	}
}

// FlushError counts one failed write of buffered hit counts.
func (m *Metrics) FlushError() {
	if m != nil {
		m.flushErrors.Inc()
	}
}

// HitsBuffered sets how many counts the hit counter holds unwritten.
func (m *Metrics) HitsBuffered(n int) {
	if m != nil {
		m.hitBuffered.Set(float64(n))
	}
}

// HitBatchRepeated counts one batch of hit counts found already written
// when it was sent again.
func (m *Metrics) HitBatchRepeated() {
	if m != nil {
		m.hitRepeats.Inc()
	}
}

// EncodingGuess counts one document of source whose encoding was guessed,
// repaired or chosen against its label, by the decision's reason.
func (m *Metrics) EncodingGuess(source, reason string) {
	if m != nil {
		m.encGuesses.WithLabelValues(source, reason).Inc()
	}
}

// FeedSalvage counts one read of a source's feed that salvaged something
// of kind (a feed.Warn… kind).
func (m *Metrics) FeedSalvage(source, kind string) {
	if m != nil {
		m.salvages.WithLabelValues(source, kind).Inc()
	}
}

// RepoSizes is the mirror repository's size, as publish measures it.
type RepoSizes struct {
	// Packed and Loose are the history's bytes; Tree and Files the
	// working tree's; GrowthPerDay the bytes a day the last week's new
	// objects take; Budget publish.size_budget.
	Packed, Loose, Tree, GrowthPerDay, Budget int64
	Files                                     int
	// Oldest is the first commit's date (zero: no commit).
	Oldest time.Time
	// History is the branch's history against its window.
	History HistoryState
}

// HistoryState is the mirror branch's history against publish.history.
type HistoryState struct {
	// Commits is the first-parent commits the branch holds; OldestAge the
	// age, when measured, of the oldest one the window counts.
	Commits   int
	OldestAge time.Duration
	// LastReroot is the last re-root's date (zero: never).
	LastReroot time.Time
	// WindowAge or WindowCommits is publish.history (both zero: full).
	WindowAge     time.Duration
	WindowCommits int
	// Waiting is set when a due re-root waits (a rewrite remote never
	// pushed to, a shallow clone) or a re-root made waits for a remote.
	Waiting bool
}

// The gauges of the branch's history against its window.
const (
	HistoryCommits    = "newsmirror_history_commits"
	HistoryOldestAge  = "newsmirror_history_oldest_commit_age_seconds"
	HistoryLastReroot = "newsmirror_history_last_reroot_timestamp_seconds"
	HistoryWindowAge  = "newsmirror_history_window_seconds"
	HistoryWindowN    = "newsmirror_history_window_commits"
	HistoryWaiting    = "newsmirror_history_reroot_waiting"
)

var historyHelp = map[string]string{
	HistoryCommits:    "First-parent commits the mirror branch holds (a re-root's root included).",
	HistoryOldestAge:  "Age, when the repository was last measured, of the oldest commit of the mirror branch the window counts (after a re-root: the oldest kept).",
	HistoryLastReroot: "When the mirror branch was last re-rooted by publish.history (Unix time; 0: never).",
	HistoryWindowAge:  "publish.history as an age (0: a number of commits, or the full history).",
	HistoryWindowN:    "publish.history as a number of commits (0: an age, or the full history).",
	HistoryWaiting:    "1 when a due re-root waits (a rewrite remote never pushed to, a shallow clone) or a re-root made waits for a remote to take it.",
}

// Repository parts, the values of newsmirror_repository_bytes's "part".
const (
	RepoPacked = "packed"
	RepoLoose  = "loose"
	RepoTree   = "tree"
	RepoGrowth = "growth_per_day"
	RepoBudget = "budget"
)

// Repository sets the repository gauges to r.
func (m *Metrics) Repository(r RepoSizes) {
	if m == nil {
		return
	}
	for part, v := range map[string]int64{RepoPacked: r.Packed, RepoLoose: r.Loose, RepoTree: r.Tree,
		RepoGrowth: r.GrowthPerDay, RepoBudget: r.Budget} {
		m.repo.WithLabelValues(part).Set(float64(v))
	}
	m.repoFiles.Set(float64(r.Files))
	if !r.Oldest.IsZero() {
		m.repoOldest.Set(float64(r.Oldest.Unix()))
	}
	h := r.History
	last, waiting := 0.0, 0.0
	if !h.LastReroot.IsZero() {
		last = float64(h.LastReroot.Unix())
	}
	if h.Waiting {
		waiting = 1
	}
	for name, v := range map[string]float64{HistoryCommits: float64(h.Commits), HistoryOldestAge: h.OldestAge.Seconds(),
		HistoryLastReroot: last, HistoryWindowAge: h.WindowAge.Seconds(), HistoryWindowN: float64(h.WindowCommits), HistoryWaiting: waiting} {
		m.history[name].Set(v)
	}
}
