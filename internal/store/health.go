package store

import (
	"context"
	"fmt"
	"time"
)

// Subject is what a health row is about: the reading of a channel's feed,
// the extraction of its pages, or the localisation of a source's images.
type Subject string

// Health subjects.
const (
	SubjectFeed    Subject = "feed"    // one row per channel; OK counts reads (a 304 too)
	SubjectExtract Subject = "extract" // one row per channel; OK counts pages the rules extracted
	SubjectImages  Subject = "images"  // one row per source (Channel ""); OK counts images localised
)

// Event is one outcome to add to a subject's health: a feed read, one
// page's extraction, one run's images.
type Event struct {
	Subject         Subject
	Source, Channel string
	// OK counts successes, Fallbacks extractions by readability, Failed
	// failures (a feed read, a page nothing could extract, an image).
	OK, Fallbacks, Failed int
	// Items is how many items a feed read listed; < 0 (a 304 Not
	// Modified) keeps the previous count. Other subjects leave it 0.
	Items int
	// Err says what went wrong, URL where; "" keeps the previous ones.
	Err, URL string
	// Warning says what a successful read had to salvage ("feed truncated
	// in item 13: kept 12 complete items"); a success replaces the last
	// warning, so "" clears it, and a failure keeps it.
	Warning string
	At      time.Time
}

// Health is one subject's health summed over every run.
type Health struct {
	Subject         Subject
	Source, Channel string
	OK, Fallbacks   int
	Failed          int
	// Streak counts failures since the last success: a feed failing run
	// after run.
	Streak int
	// Items is how many items the last successful feed read listed.
	Items int
	// LastSuccess and LastFailure are when the subject last went well and
	// last went wrong (a fallback counts as wrong).
	LastSuccess, LastFailure time.Time
	// LastError says what went wrong last, LastURL where.
	LastError, LastURL string
	// LastWarning is what the last successful read salvaged, "" when it
	// needed nothing; Warned counts the reads that salvaged something.
	LastWarning string
	Warned      int
}

// Failing reports whether the subject's last outcome was a failure.
func (h Health) Failing() bool { return h.Streak > 0 }

// Alert is an extraction health's alert for people, "" when all is well.
func (h Health) Alert() string {
	if h.Fallbacks == 0 && h.Failed == 0 {
		return ""
	}
	return fmt.Sprintf("selector broken? %d pages by fallback, %d lost; last: %s (%s)", h.Fallbacks, h.Failed, h.LastError, h.LastURL)
}

// HealthKey names one health row.
type HealthKey struct {
	Subject         Subject
	Source, Channel string
}

// HealthTable is every health row, by key.
type HealthTable map[HealthKey]Health

// Of is the health of subject for source's channel (channel "" for a
// source's images); zero counts when nothing was recorded.
func (t HealthTable) Of(subject Subject, source, channel string) Health {
	if h, ok := t[HealthKey{subject, source, channel}]; ok {
		return h
	}
	return Health{Subject: subject, Source: source, Channel: channel}
}

// RecordHealth adds e to its subject's health.
func (s *Store) RecordHealth(ctx context.Context, e Event) error {
	at := unix(e.At)
	var ok, bad int64
	if e.OK > 0 {
		ok = at
	}
	if e.Fallbacks+e.Failed > 0 {
		bad = at
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO health (subject, source, channel, ok, fallbacks, failed, streak, items,
			last_success, last_failure, last_error, last_url, last_warning, warned)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN CAST(?4 AS BIGINT) > 0 THEN 0 ELSE CAST(?6 AS BIGINT) END,
			CASE WHEN CAST(?7 AS BIGINT) > 0 THEN ?7 ELSE 0 END, ?8, ?9, ?10, ?11, ?12, CASE WHEN ?12 <> '' THEN 1 ELSE 0 END)
		ON CONFLICT(subject, source, channel) DO UPDATE SET ok = health.ok + excluded.ok,
			fallbacks = health.fallbacks + excluded.fallbacks, failed = health.failed + excluded.failed,
			streak = CASE WHEN excluded.ok > 0 THEN 0 ELSE health.streak + excluded.failed END,
			items = CASE WHEN ?7 < 0 THEN health.items ELSE ?7 END,
			last_success = CASE WHEN excluded.last_success > health.last_success
				THEN excluded.last_success ELSE health.last_success END,
			last_failure = CASE WHEN excluded.last_failure > health.last_failure
				THEN excluded.last_failure ELSE health.last_failure END,
			last_error = CASE WHEN excluded.last_error = '' THEN health.last_error ELSE excluded.last_error END,
			last_url = CASE WHEN excluded.last_url = '' THEN health.last_url ELSE excluded.last_url END,
			last_warning = CASE WHEN excluded.ok > 0 THEN excluded.last_warning ELSE health.last_warning END,
			warned = health.warned + excluded.warned`,
		string(e.Subject), e.Source, e.Channel, e.OK, e.Fallbacks, e.Failed, e.Items, ok, bad, e.Err, e.URL, e.Warning)
	if err != nil {
		return fmt.Errorf("record %s health of %s/%s: %w", e.Subject, e.Source, e.Channel, err)
	}
	return nil
}

// Health reads every health row in one query.
func (s *Store) Health(ctx context.Context) (HealthTable, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT subject, source, channel, ok, fallbacks, failed, streak, items,
		last_success, last_failure, last_error, last_url, last_warning, warned FROM health`)
	if err != nil {
		return nil, fmt.Errorf("read health: %w", err)
	}
	defer rows.Close()
	out := HealthTable{}
	for rows.Next() {
		var h Health
		var ok, bad int64
		if err := rows.Scan(&h.Subject, &h.Source, &h.Channel, &h.OK, &h.Fallbacks, &h.Failed, &h.Streak, &h.Items,
			&ok, &bad, &h.LastError, &h.LastURL, &h.LastWarning, &h.Warned); err != nil {
			return nil, fmt.Errorf("read health: %w", err)
		}
		h.LastSuccess, h.LastFailure = fromUnix(ok), fromUnix(bad)
		out[HealthKey{h.Subject, h.Source, h.Channel}] = h
	}
	return out, rows.Err()
}
