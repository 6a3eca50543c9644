package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Host is a host found down (most of its articles failing transiently in
// a run) and backed off.
type Host struct {
	Host string
	// DownSince is when it was first found down; Streak counts the runs
	// in a row that found it down.
	DownSince time.Time
	Streak    int
	// NotBefore is when it may be asked again.
	NotBefore time.Time
	LastError string
}

// HostDown records host found down at at; backoff(streak) is how long to
// leave it alone after streak runs in a row found it down.
func (s *Store) HostDown(ctx context.Context, host string, at time.Time, errText string, backoff func(streak int) time.Duration) (Host, error) {
	h := Host{Host: host, DownSince: at, LastError: errText}
	err := s.tx(ctx, func(tx txn) error {
		var since int64
		err := tx.QueryRowContext(ctx, `SELECT down_since, streak FROM hosts WHERE host = ?`, host).Scan(&since, &h.Streak)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if since > 0 {
			h.DownSince = fromUnix(since)
		}
		h.Streak++
		// Rounded up to the second it is stored in, so that it never
		// ends earlier than backoff says.
		h.NotBefore = at.Add(backoff(h.Streak)).Add(time.Second - 1).Truncate(time.Second)
		_, err = tx.ExecContext(ctx, `INSERT INTO hosts (host, down_since, streak, not_before, last_error) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(host) DO UPDATE SET down_since = excluded.down_since, streak = excluded.streak,
				not_before = excluded.not_before, last_error = excluded.last_error`,
			host, unix(h.DownSince), h.Streak, unix(h.NotBefore), errText)
		return err
	})
	if err != nil {
		return h, fmt.Errorf("record host %s down: %w", host, err)
	}
	return h, nil
}

// HostUp forgets that host was down: one of its articles came through.
func (s *Store) HostUp(ctx context.Context, host string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM hosts WHERE host = ?`, host); err != nil {
		return fmt.Errorf("record host %s up: %w", host, err)
	}
	return nil
}

// Hosts lists the hosts found down, by name.
func (s *Store) Hosts(ctx context.Context) (map[string]Host, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT host, down_since, streak, not_before, last_error FROM hosts`)
	if err != nil {
		return nil, fmt.Errorf("read hosts down: %w", err)
	}
	defer rows.Close()
	out := map[string]Host{}
	for rows.Next() {
		var h Host
		var since, next int64
		if err := rows.Scan(&h.Host, &since, &h.Streak, &next, &h.LastError); err != nil {
			return nil, fmt.Errorf("read hosts down: %w", err)
		}
		h.DownSince, h.NotBefore = fromUnix(since), fromUnix(next)
		out[h.Host] = h
	}
	return out, rows.Err()
}
