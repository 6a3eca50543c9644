package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ChannelHealth is how reading one channel's feed or listing went.
type ChannelHealth struct {
	Source, Channel string
	// LastSuccess is when the channel was last read (a 304 counts).
	LastSuccess time.Time
	// LastFailure is when reading it last failed, and LastError why.
	LastFailure time.Time
	LastError   string
	// Failures counts failed reads since the last success.
	Failures int
	// Items is how many items the last successful read listed (a 304
	// keeps the previous count).
	Items int
}

// Failing reports whether the channel's last read failed.
func (h ChannelHealth) Failing() bool { return h.Failures > 0 }

// RecordChannelOK notes a successful read of source's channel listing items
// items; items < 0 (a 304 Not Modified) keeps the previous count.
func (s *Store) RecordChannelOK(ctx context.Context, source, channel string, items int, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO channel_health (source, channel, last_success, failures, items)
		VALUES (?1, ?2, ?3, 0, MAX(?4, 0))
		ON CONFLICT(source, channel) DO UPDATE SET last_success = excluded.last_success, failures = 0,
			items = CASE WHEN ?4 < 0 THEN items ELSE ?4 END`,
		source, channel, unix(at), items)
	if err != nil {
		return fmt.Errorf("record channel %s/%s read: %w", source, channel, err)
	}
	return nil
}

// RecordChannelError notes a failed read of source's channel.
func (s *Store) RecordChannelError(ctx context.Context, source, channel, msg string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO channel_health (source, channel, last_failure, last_error, failures)
		VALUES (?, ?, ?, ?, 1)
		ON CONFLICT(source, channel) DO UPDATE SET last_failure = excluded.last_failure,
			last_error = excluded.last_error, failures = failures + 1`,
		source, channel, unix(at), msg)
	if err != nil {
		return fmt.Errorf("record channel %s/%s failure: %w", source, channel, err)
	}
	return nil
}

// ChannelHealth lists the health of every channel ever read, by source and
// channel id.
func (s *Store) ChannelHealth(ctx context.Context) ([]ChannelHealth, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, channel, last_success, last_failure, last_error, failures, items
		FROM channel_health ORDER BY source, channel`)
	if err != nil {
		return nil, fmt.Errorf("read channel health: %w", err)
	}
	defer rows.Close()
	var out []ChannelHealth
	for rows.Next() {
		var h ChannelHealth
		var ok, failed int64
		if err := rows.Scan(&h.Source, &h.Channel, &ok, &failed, &h.LastError, &h.Failures, &h.Items); err != nil {
			return nil, fmt.Errorf("read channel health: %w", err)
		}
		h.LastSuccess, h.LastFailure = fromUnix(ok), fromUnix(failed)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Validators are the cache validators a server sent with a document, sent
// back on the next request for a conditional GET.
type Validators struct {
	ETag, LastModified string
}

// Validators returns what is stored for url; none is the zero value.
func (s *Store) Validators(ctx context.Context, url string) (Validators, error) {
	var v Validators
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified FROM validators WHERE url = ?`, url).Scan(&v.ETag, &v.LastModified)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Validators{}, fmt.Errorf("read validators of %s: %w", url, err)
	}
	return v, nil
}

// SaveValidators stores url's validators; empty ones forget it.
func (s *Store) SaveValidators(ctx context.Context, url string, v Validators, at time.Time) error {
	var err error
	if v == (Validators{}) {
		_, err = s.db.ExecContext(ctx, `DELETE FROM validators WHERE url = ?`, url)
	} else {
		_, err = s.db.ExecContext(ctx, `INSERT INTO validators (url, etag, last_modified, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated = excluded.updated`,
			url, v.ETag, v.LastModified, unix(at))
	}
	if err != nil {
		return fmt.Errorf("save validators of %s: %w", url, err)
	}
	return nil
}

// Retrying counts the channel's failed articles still to be tried again.
func (s *Store) Retrying(ctx context.Context, channel string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE channel = ? AND state = 'failed' AND attempts < ?`,
		channel, MaxAttempts).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count failures of channel %s: %w", channel, err)
	}
	return n, nil
}
