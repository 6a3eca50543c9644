package store

import (
	"context"
	"fmt"
	"time"
)

// Hot is one page of the hot list.
type Hot struct {
	Path  string
	Title string
	Hits  int64
}

// HotPages lists the mirrored pages with the most hits since since, at most
// limit, most hit first.
func (s *Store) HotPages(ctx context.Context, since time.Time, limit int) ([]Hot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT h.path, a.title, CAST(SUM(h.count) AS BIGINT) AS n
		FROM hits h JOIN articles a ON a.path = h.path AND a.state IN ('pending', 'committed')
		WHERE h.hour >= ? GROUP BY h.path, a.title ORDER BY n DESC, h.path LIMIT ?`,
		since.Unix()/3600, limit)
	if err != nil {
		return nil, fmt.Errorf("list hot pages: %w", err)
	}
	defer rows.Close()
	var out []Hot
	for rows.Next() {
		var h Hot
		if err := rows.Scan(&h.Path, &h.Title, &h.Hits); err != nil {
			return nil, fmt.Errorf("list hot pages: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// HitCount is a number of hits of one page in one hour.
type HitCount struct {
	Path  string
	Hour  time.Time // truncated to the hour
	Count int64
}

// AddHits adds a batch of hit counts in one transaction: all or none.
func (s *Store) AddHits(ctx context.Context, batch []HitCount) error {
	err := s.tx(ctx, func(tx txn) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO hits (path, hour, count) VALUES (?, ?, ?)
			ON CONFLICT(path, hour) DO UPDATE SET count = hits.count + excluded.count`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, h := range batch {
			if _, err := stmt.ExecContext(ctx, h.Path, h.Hour.Unix()/3600, h.Count); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add %d hit counts: %w", len(batch), err)
	}
	return nil
}

// LivePaths lists the repository paths of the pages a reader can open:
// those of pending and committed articles.
func (s *Store) LivePaths(ctx context.Context) ([]string, error) {
	list, err := s.strings(ctx, `SELECT path FROM articles WHERE state IN ('pending', 'committed') AND path != ''`)
	if err != nil {
		return nil, fmt.Errorf("list live pages: %w", err)
	}
	return list, nil
}

// Hits is the number of hits of the file at path since since.
func (s *Store) Hits(ctx context.Context, path string, since time.Time) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM hits WHERE path = ? AND hour >= ?`,
		path, since.Unix()/3600).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count hits of %s: %w", path, err)
	}
	return n, nil
}

// PruneHits deletes the hit counts of hours before before and returns how
// many rows went.
func (s *Store) PruneHits(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM hits WHERE hour < ?`, before.Unix()/3600)
	if err != nil {
		return 0, fmt.Errorf("prune hits: %w", err)
	}
	return res.RowsAffected()
}
