package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Article states.
const (
	Pending   = "pending"   // page written, not yet in a commit
	Committed = "committed" // page in the mirror's history
	Failed    = "failed"    // could not be mirrored; see Known.Done for when it is given up
	Removed   = "removed"   // a tombstone: never mirror again
)

// Article is one article as the state database knows it.
type Article struct {
	URL, Source, Channel, ID string
	Title                    string
	Published, Mirrored      time.Time
	Hash                     string // sha256 of the extracted body
	Path                     string // the page's path in the repository
	State                    string
}

// ErrDuplicateID means another URL already has the same id in the channel.
var ErrDuplicateID = errors.New("another article of the channel has this id")

// SavePending records a page that was written but not yet committed.
func (s *Store) SavePending(ctx context.Context, a Article) error {
	return s.savePending(ctx, s.db, a)
}

// SaveMirrored records a freshly mirrored article in one transaction: its
// row as SavePending does, whether readability found its body (as
// MarkFallback), and the assets its page uses (as SetPageAssets). Either
// all of it is recorded or none.
func (s *Store) SaveMirrored(ctx context.Context, a Article, fallback bool, assets []string) error {
	return s.tx(ctx, func(tx txn) error {
		if err := s.savePending(ctx, tx, a); err != nil {
			return err
		}
		if err := markFallback(ctx, tx, a.URL, fallback); err != nil {
			return err
		}
		return setPageAssets(ctx, tx, a.Path, assets)
	})
}

// execer is a database or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Store) savePending(ctx context.Context, db execer, a Article) error {
	_, err := db.ExecContext(ctx, `INSERT INTO articles
		(url, source, channel, id, title, published, mirrored, hash, path, state, error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', '')
		ON CONFLICT(url) DO UPDATE SET source=excluded.source, channel=excluded.channel,
			id=excluded.id, title=excluded.title, published=excluded.published,
			mirrored=excluded.mirrored, hash=excluded.hash, path=excluded.path,
			state=CASE WHEN articles.state = 'committed' AND articles.hash = excluded.hash
				THEN 'committed' ELSE 'pending' END, error=''`,
		a.URL, a.Source, a.Channel, a.ID, a.Title, unix(a.Published), unix(a.Mirrored), a.Hash, a.Path)
	if err != nil && s.d.unique(err) {
		return fmt.Errorf("save %s as %s: %w", a.URL, a.Path, ErrDuplicateID)
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", a.URL, err)
	}
	return nil
}

// Channel lists the channel's mirrored articles, newest first, at most limit
// (all when limit <= 0).
func (s *Store) Channel(ctx context.Context, channel string, limit int) ([]Article, error) {
	q := `SELECT url, source, channel, id, title, published, mirrored, hash, path, state
		FROM articles WHERE channel = ? AND state IN ('pending', 'committed')
		ORDER BY published DESC, mirrored DESC, rowid DESC LIMIT `
	args := []any{channel}
	if limit <= 0 {
		q += s.d.unlimited
	} else {
		q += `?`
		args = append(args, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list channel %s: %w", channel, err)
	}
	defer rows.Close()
	var out []Article
	for rows.Next() {
		var a Article
		var pub, mir int64
		if err := rows.Scan(&a.URL, &a.Source, &a.Channel, &a.ID, &a.Title, &pub, &mir, &a.Hash, &a.Path, &a.State); err != nil {
			return nil, fmt.Errorf("list channel %s: %w", channel, err)
		}
		a.Published, a.Mirrored = fromUnix(pub), fromUnix(mir)
		out = append(out, a)
	}
	return out, rows.Err()
}

// PendingPaths lists the pages written but not yet committed.
func (s *Store) PendingPaths(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path FROM articles WHERE state = 'pending' ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("list pending pages: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("list pending pages: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// MarkFallback records whether the page at url was extracted by fallback.
func (s *Store) MarkFallback(ctx context.Context, url string, fallback bool) error {
	return markFallback(ctx, s.db, url, fallback)
}

func markFallback(ctx context.Context, db execer, url string, fallback bool) error {
	v := 0
	if fallback {
		v = 1
	}
	if _, err := db.ExecContext(ctx, `UPDATE articles SET fallback = ? WHERE url = ?`, v, url); err != nil {
		return fmt.Errorf("mark %s extracted by fallback: %w", url, err)
	}
	return nil
}

// Empty reports whether the state holds no article at all: a new
// database, which a run may fill from the mirror's state export.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM articles LIMIT 1) AS a`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count articles: %w", err)
	}
	return n == 0, nil
}
