package store

import (
	"context"
	"fmt"
)

// PageOwners lists the URLs whose live page (pending or committed) in
// channel has the id id, letter case of ASCII letters aside: on a
// case-insensitive file system (macOS, Windows) those pages are one file.
func (s *Store) PageOwners(ctx context.Context, channel, id string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url FROM articles
		WHERE channel = ? AND `+s.d.foldEq("id")+` AND state IN ('pending', 'committed')`, channel, id)
	if err != nil {
		return nil, fmt.Errorf("owners of %s/%s: %w", channel, id, err)
	}
	defer rows.Close()
	var urls []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("owners of %s/%s: %w", channel, id, err)
		}
		urls = append(urls, u)
	}
	return urls, rows.Err()
}
