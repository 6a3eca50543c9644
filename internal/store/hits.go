package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"
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

// AddHits adds a batch of hit counts in one transaction: all or none. It
// records no batch id: a retry after a lost reply counts twice (see
// AddHitBatch).
func (s *Store) AddHits(ctx context.Context, batch []HitCount) error {
	if err := s.tx(ctx, func(tx txn) error { return addHits(ctx, tx, batch) }); err != nil {
		return fmt.Errorf("add %d hit counts: %w", len(batch), err)
	}
	return nil
}

// hitRows is the most counts one statement adds: 3 placeholders each,
// well within SQLite's and PostgreSQL's limits on placeholders.
const hitRows = 512

// addHits adds the counts, a few hundred rows per statement, in the order
// of their rows (page, hour), so that writers adding to the same rows at
// once lock them in one order and never deadlock. Counts of one row are
// summed first: one statement may not touch a row twice.
func addHits(ctx context.Context, tx txn, batch []HitCount) error {
	sums := map[hitRow]int64{}
	for _, h := range batch {
		sums[hitRow{h.Path, h.Hour.Unix() / 3600}] += h.Count
	}
	rows := slices.SortedFunc(maps.Keys(sums), func(a, b hitRow) int {
		return cmp.Or(strings.Compare(a.path, b.path), cmp.Compare(a.hour, b.hour))
	})
	for len(rows) > 0 {
		// hitRows at a time, then a power of two: a few statement shapes,
		// so the dialect's cache of rebound statements stays small.
		n := min(hitRows, 1<<(bits.Len(uint(len(rows)))-1))
		chunk := rows[:n]
		rows = rows[n:]
		args := make([]any, 0, 3*len(chunk))
		for _, r := range chunk {
			args = append(args, r.path, r.hour, sums[r])
		}
		values := strings.Repeat("(?, ?, ?), ", len(chunk))
		if _, err := tx.ExecContext(ctx, `INSERT INTO hits (path, hour, count) VALUES `+values[:len(values)-2]+`
			ON CONFLICT(path, hour) DO UPDATE SET count = hits.count + excluded.count`, args...); err != nil {
			return err
		}
	}
	return nil
}

// hitRow is the key of one row of hits.
type hitRow struct {
	path string
	hour int64
}

// BatchID names one batch of hit counts: the counter instance that made it
// (unique to one start of one process) and the batch's sequence number in
// that instance.
type BatchID struct {
	Host string
	Seq  int64
}

// AddHitBatch adds a batch of hit counts and records its id in the same
// transaction: all or none. A batch whose id is already recorded (a retry
// after the reply to a committed write was lost) changes nothing and
// reports applied false, so a batch counts once however often it is sent.
// Ids are kept as long as the counts (see PruneHits); at is when the batch
// was first written.
func (s *Store) AddHitBatch(ctx context.Context, id BatchID, at time.Time, batch []HitCount) (applied bool, err error) {
	err = s.tx(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO hit_batches (host, seq, written) VALUES (?, ?, ?)
			ON CONFLICT(host, seq) DO NOTHING`, id.Host, id.Seq, unix(at))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // written before: nothing to add
		}
		applied = true
		return addHits(ctx, tx, batch)
	})
	if err != nil {
		return false, fmt.Errorf("add hit batch %s/%d (%d counts): %w", id.Host, id.Seq, len(batch), err)
	}
	return applied, nil
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

// PruneHits deletes the hit counts of hours before before, and the ids of
// batches written before it, and returns how many count rows went.
func (s *Store) PruneHits(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM hits WHERE hour < ?`, before.Unix()/3600)
	if err != nil {
		return 0, fmt.Errorf("prune hits: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM hit_batches WHERE written < ?`, unix(before)); err != nil {
		return 0, fmt.Errorf("prune hit batch ids: %w", err)
	}
	return res.RowsAffected()
}
