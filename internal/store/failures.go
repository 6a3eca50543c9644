package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Failure classes of a failed article.
const (
	// Transient is a failure of the host or the network: tried again on
	// every run that lists the article, never given up.
	Transient = "transient"
	// Permanent is an answer about the article itself (404, 410, nothing
	// to extract): given up once it has lasted the give-up age.
	Permanent = "permanent"
)

// Failure is one failed attempt to mirror an article.
type Failure struct {
	URL, Source, Channel string
	// Host is the article's host, for telling a host down from a lost page.
	Host string
	// Title and Published are the feed's, kept for "newsmirror retry".
	Title     string
	Published time.Time
	// Reason says what failed; Class is Transient or Permanent.
	Reason, Class string
	At            time.Time
}

// SaveFailure records a failed attempt at f.URL. A permanent failure
// starts the article's give-up clock (first_failed) unless it runs
// already; a transient one leaves the clock as it is. A page already
// mirrored is left alone (an update that failed loses nothing).
func (s *Store) SaveFailure(ctx context.Context, f Failure) error {
	first := int64(0)
	if f.Class == Permanent {
		first = unix(f.At)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO articles (url, source, channel, id, title, published, state, error,
			attempts, mirrored, failure, first_failed, host)
		VALUES (?1, ?2, ?3, '', ?4, ?5, 'failed', ?6, 1, ?7, ?8, ?9, ?10)
		ON CONFLICT(url) DO UPDATE SET error = excluded.error, attempts = articles.attempts + 1,
			mirrored = excluded.mirrored, failure = excluded.failure, host = excluded.host,
			title = CASE WHEN excluded.title = '' THEN articles.title ELSE excluded.title END,
			published = CASE WHEN excluded.published = 0 THEN articles.published ELSE excluded.published END,
			first_failed = CASE WHEN excluded.first_failed = 0 OR articles.first_failed > 0
				THEN articles.first_failed ELSE excluded.first_failed END
		WHERE articles.state = 'failed'`,
		f.URL, f.Source, f.Channel, f.Title, unix(f.Published), f.Reason, unix(f.At), f.Class, first, f.Host)
	if err != nil {
		return fmt.Errorf("record failure of %s: %w", f.URL, err)
	}
	return nil
}

// Known is what the database holds about a URL, for deciding whether to
// mirror it again.
type Known struct {
	State    string // "" when the URL is new
	Attempts int
	Hash     string
	Title    string
	Path     string
	// Class is a failed article's failure class; FirstFailed is when its
	// permanent failures began (zero when none did).
	Class       string
	FirstFailed time.Time
}

// Lookup returns what is known about url.
func (s *Store) Lookup(ctx context.Context, url string) (Known, error) {
	var k Known
	var first int64
	err := s.db.QueryRowContext(ctx, `SELECT state, attempts, hash, title, path, failure, first_failed FROM articles WHERE url = ?`, url).
		Scan(&k.State, &k.Attempts, &k.Hash, &k.Title, &k.Path, &k.Class, &first)
	if errors.Is(err, sql.ErrNoRows) {
		return Known{}, nil
	}
	if err != nil {
		return k, fmt.Errorf("look up %s: %w", url, err)
	}
	k.FirstFailed = fromUnix(first)
	return k, nil
}

// Done reports whether k needs no more work: mirrored, tombstoned, or
// given up: failing permanently since before cutoff (now less the give-up
// age). A transient failure is never done.
func (k Known) Done(cutoff time.Time) bool {
	return k.State != "" && (k.State != Failed || k.GaveUp(cutoff))
}

// GaveUp reports whether k is a failed article given up at cutoff.
func (k Known) GaveUp(cutoff time.Time) bool {
	return k.State == Failed && k.Class == Permanent && !k.FirstFailed.IsZero() && !k.FirstFailed.After(cutoff)
}

// Retrying counts the channel's failed articles still to be tried again:
// every failure but those given up at cutoff.
func (s *Store) Retrying(ctx context.Context, channel string, cutoff time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE channel = ? AND state = 'failed'
		AND NOT (failure = 'permanent' AND first_failed > 0 AND first_failed <= ?)`,
		channel, cutoff.Unix()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count failures of channel %s: %w", channel, err)
	}
	return n, nil
}

// Requeued is an article put back in the queue by Requeue.
type Requeued struct {
	URL, Source, Channel, Title string
	Published                   time.Time
}

// Requeue puts failed articles back in the queue: their give-up clock
// and attempts start again, so the next run tries them as new. With
// channel "" and no urls every failed article is requeued; channel and
// urls narrow it. It returns the articles requeued.
func (s *Store) Requeue(ctx context.Context, channel string, urls []string) ([]Requeued, error) {
	where := `state = 'failed'`
	var args []any
	if channel != "" {
		where += ` AND channel = ?`
		args = append(args, channel)
	}
	if len(urls) > 0 {
		where += ` AND url IN (?` + strings.Repeat(", ?", len(urls)-1) + `)`
		for _, u := range urls {
			args = append(args, u)
		}
	}
	var out []Requeued
	err := s.tx(ctx, func(tx txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT url, source, channel, title, published FROM articles WHERE `+where+` ORDER BY channel, url`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r Requeued
			var pub int64
			if err := rows.Scan(&r.URL, &r.Source, &r.Channel, &r.Title, &pub); err != nil {
				rows.Close()
				return err
			}
			r.Published = fromUnix(pub)
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE articles SET failure = 'requeued', first_failed = 0, attempts = 0 WHERE `+where, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("requeue failed articles: %w", err)
	}
	return out, nil
}

// Queued lists the requeued articles of channel, for a run to try even
// when the feed no longer lists them.
func (s *Store) Queued(ctx context.Context, channel string) ([]Requeued, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, source, channel, title, published FROM articles
		WHERE channel = ? AND state = 'failed' AND failure = 'requeued' ORDER BY published DESC, rowid DESC`, channel)
	if err != nil {
		return nil, fmt.Errorf("list requeued articles of %s: %w", channel, err)
	}
	defer rows.Close()
	var out []Requeued
	for rows.Next() {
		var r Requeued
		var pub int64
		if err := rows.Scan(&r.URL, &r.Source, &r.Channel, &r.Title, &pub); err != nil {
			return nil, fmt.Errorf("list requeued articles of %s: %w", channel, err)
		}
		r.Published = fromUnix(pub)
		out = append(out, r)
	}
	return out, rows.Err()
}
