package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ExtractHealth is how extraction went for one channel of a source, summed
// over runs. Fallbacks > 0 raises the "selector broken?" alert.
type ExtractHealth struct {
	Source, Channel string
	// Extracted counts pages the rules extracted.
	Extracted int
	// Fallbacks counts pages the rules missed and readability extracted.
	Fallbacks int
	// Misses counts pages nothing could extract.
	Misses int
	// LastAlert says what went wrong last; LastURL is the page it was on.
	LastAlert, LastURL string
	Updated            time.Time
}

// Alert is the health's alert for people, "" when all is well.
func (h ExtractHealth) Alert() string {
	if h.Fallbacks == 0 && h.Misses == 0 {
		return ""
	}
	return fmt.Sprintf("selector broken? %d pages by fallback, %d lost; last: %s (%s)", h.Fallbacks, h.Misses, h.LastAlert, h.LastURL)
}

// ExtractOutcome is what one extraction did, for AddExtractHealth.
type ExtractOutcome int

// Extraction outcomes.
const (
	Extracted ExtractOutcome = iota // the rules found the body
	Fallback                        // readability found it
	Missed                          // nothing did
)

// AddExtractHealth counts one extraction of a page at url of source's
// channel; alert says what went wrong when outcome is not Extracted.
func (s *Store) AddExtractHealth(ctx context.Context, source, channel string, outcome ExtractOutcome, url, alert string, at time.Time) error {
	var ok, fb, miss int
	switch outcome {
	case Fallback:
		fb = 1
	case Missed:
		miss = 1
	default:
		ok, url, alert = 1, "", ""
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO extract_health (source, channel, extracted, fallbacks, misses, last_alert, last_url, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(source, channel) DO UPDATE SET extracted = extracted + excluded.extracted,
			fallbacks = fallbacks + excluded.fallbacks, misses = misses + excluded.misses,
			last_alert = CASE WHEN excluded.last_alert = '' THEN last_alert ELSE excluded.last_alert END,
			last_url = CASE WHEN excluded.last_url = '' THEN last_url ELSE excluded.last_url END,
			updated = excluded.updated`,
		source, channel, ok, fb, miss, alert, url, unix(at))
	if err != nil {
		return fmt.Errorf("record extract health of %s/%s: %w", source, channel, err)
	}
	return nil
}

// ExtractHealthOf reads the health of source's channel; zero counts when
// nothing was recorded.
func (s *Store) ExtractHealthOf(ctx context.Context, source, channel string) (ExtractHealth, error) {
	h := ExtractHealth{Source: source, Channel: channel}
	var upd int64
	err := s.db.QueryRowContext(ctx, `SELECT extracted, fallbacks, misses, last_alert, last_url, updated
		FROM extract_health WHERE source = ? AND channel = ?`, source, channel).
		Scan(&h.Extracted, &h.Fallbacks, &h.Misses, &h.LastAlert, &h.LastURL, &upd)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return h, fmt.Errorf("read extract health of %s/%s: %w", source, channel, err)
	}
	h.Updated = fromUnix(upd)
	return h, nil
}

// Known is what the database holds about a URL, for deciding whether to
// mirror it again.
type Known struct {
	State    string // "" when the URL is new
	Attempts int
	Hash     string
	Title    string
	Path     string
}

// Lookup returns what is known about url.
func (s *Store) Lookup(ctx context.Context, url string) (Known, error) {
	var k Known
	err := s.db.QueryRowContext(ctx, `SELECT state, attempts, hash, title, path FROM articles WHERE url = ?`, url).
		Scan(&k.State, &k.Attempts, &k.Hash, &k.Title, &k.Path)
	if errors.Is(err, sql.ErrNoRows) {
		return Known{}, nil
	}
	if err != nil {
		return k, fmt.Errorf("look up %s: %w", url, err)
	}
	return k, nil
}

// Done reports whether k needs no more work: mirrored, tombstoned, or
// failed MaxAttempts times.
func (k Known) Done() bool {
	return k.State != "" && (k.State != Failed || k.Attempts >= MaxAttempts)
}

// MarkFallback records whether the page at url was extracted by fallback.
func (s *Store) MarkFallback(ctx context.Context, url string, fallback bool) error {
	v := 0
	if fallback {
		v = 1
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE articles SET fallback = ? WHERE url = ?`, v, url); err != nil {
		return fmt.Errorf("mark %s extracted by fallback: %w", url, err)
	}
	return nil
}
