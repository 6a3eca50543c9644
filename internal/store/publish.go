package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Journal operations: what a run did to a file it has not committed yet.
const (
	OpWrite  = "write"
	OpRemove = "remove"
)

// Entry is one journaled file.
type Entry struct {
	Path, Op string
}

// Journal lists the files changed since the last commit: removals the next
// run must finish and commit, writes it must commit.
func (s *Store) Journal(ctx context.Context) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path, op FROM journal ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.Path, &e.Op); err != nil {
			return nil, fmt.Errorf("read journal: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func journal(ctx context.Context, tx txn, op string, paths ...string) error {
	for _, p := range paths {
		if _, err := tx.ExecContext(ctx, `INSERT INTO journal (path, op) VALUES (?, ?)
			ON CONFLICT(path) DO UPDATE SET op = excluded.op`, p, op); err != nil {
			return err
		}
	}
	return nil
}

// Expire tombstones the channel's live articles beyond the newest keep and
// journals the removal of every file of their pages (files(page): the
// page, its QR code, its twins), in one transaction; it returns the
// removed pages. A tombstoned URL is never mirrored again.
func (s *Store) Expire(ctx context.Context, channel string, keep int, files func(page string) []string) ([]string, error) {
	var pages []string
	err := s.tx(ctx, func(tx txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT url, path FROM articles
			WHERE channel = ? AND state IN ('pending', 'committed')
			ORDER BY published DESC, mirrored DESC, rowid DESC LIMIT `+s.d.unlimited+` OFFSET ?`, channel, keep)
		if err != nil {
			return err
		}
		var urls []string
		for rows.Next() {
			var u, p string
			if err := rows.Scan(&u, &p); err != nil {
				rows.Close()
				return err
			}
			urls, pages = append(urls, u), append(pages, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, u := range urls {
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET state = 'removed' WHERE url = ?`, u); err != nil {
				return err
			}
			if err := journal(ctx, tx, OpRemove, files(pages[i])...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("expire old pages of %s: %w", channel, err)
	}
	return pages, nil
}

// JournalWrites records files the run wrote and will commit.
func (s *Store) JournalWrites(ctx context.Context, paths []string) error {
	if err := s.tx(ctx, func(tx txn) error { return journal(ctx, tx, OpWrite, paths...) }); err != nil {
		return fmt.Errorf("journal writes: %w", err)
	}
	return nil
}

// Committed records that a commit holds every pending page and every
// journaled change: pending pages become committed, the journal empties.
func (s *Store) Committed(ctx context.Context) error {
	err := s.tx(ctx, func(tx txn) error {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET state = 'committed' WHERE state = 'pending'`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM journal`)
		return err
	})
	if err != nil {
		return fmt.Errorf("record commit: %w", err)
	}
	return nil
}

// Mirrored finds the live page of the first of urls the mirror holds.
func (s *Store) Mirrored(ctx context.Context, urls []string) (path string, ok bool, err error) {
	if len(urls) == 0 {
		return "", false, nil
	}
	args := make([]any, len(urls))
	for i, u := range urls {
		args[i] = u
	}
	q := `SELECT path FROM articles WHERE url IN (?` + strings.Repeat(", ?", len(urls)-1) + `)
		AND state IN ('pending', 'committed') LIMIT 1`
	err = s.db.QueryRowContext(ctx, q, args...).Scan(&path)
	switch {
	case err == sql.ErrNoRows:
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("look up mirrored page: %w", err)
	}
	return path, true, nil
}

// Push is the outcome of pushes to one remote.
type Push struct {
	Remote      string
	LastAttempt time.Time
	LastSuccess time.Time
	// LastError is the last attempt's error, "" when it succeeded.
	LastError string
	// Pushed is the commit the remote last received.
	Pushed string
}

// SavePush records one push attempt: err "" is a success of commit.
func (s *Store) SavePush(ctx context.Context, remote string, at time.Time, commit, errText string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO remotes (name, last_attempt, last_success, last_error, pushed)
		VALUES (?1, CAST(?2 AS BIGINT), CASE WHEN ?3 = '' THEN CAST(?2 AS BIGINT) ELSE 0 END, ?3,
			CASE WHEN ?3 = '' THEN ?4 ELSE '' END)
		ON CONFLICT(name) DO UPDATE SET last_attempt = excluded.last_attempt, last_error = excluded.last_error,
			last_success = CASE WHEN excluded.last_error = '' THEN excluded.last_attempt ELSE remotes.last_success END,
			pushed = CASE WHEN excluded.last_error = '' THEN excluded.pushed ELSE remotes.pushed END`,
		remote, unix(at), errText, commit)
	if err != nil {
		return fmt.Errorf("record push to %s: %w", remote, err)
	}
	return nil
}

// Pushes lists every remote's last outcome, by name.
func (s *Store) Pushes(ctx context.Context) ([]Push, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, last_attempt, last_success, last_error, pushed FROM remotes ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list pushes: %w", err)
	}
	defer rows.Close()
	var out []Push
	for rows.Next() {
		var p Push
		var at, ok int64
		if err := rows.Scan(&p.Remote, &at, &ok, &p.LastError, &p.Pushed); err != nil {
			return nil, fmt.Errorf("list pushes: %w", err)
		}
		p.LastAttempt, p.LastSuccess = fromUnix(at), fromUnix(ok)
		out = append(out, p)
	}
	return out, rows.Err()
}
