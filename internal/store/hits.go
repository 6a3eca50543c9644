package store

import (
	"context"
	"fmt"
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
	rows, err := s.db.QueryContext(ctx, `SELECT h.path, a.title, SUM(h.count) AS n
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

func isUniqueViolation(err error) bool {
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
