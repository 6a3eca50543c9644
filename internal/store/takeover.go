package store

import (
	"context"
	"fmt"
)

// Unpublished is what a host taking over found the state saying that the
// mirror's upstream does not show.
type Unpublished struct {
	// Forgotten are the pages of live articles (pending or committed)
	// whose page the upstream lacks: another host wrote them and never
	// pushed them. Their rows are deleted, so that they are mirrored again
	// when a feed lists them.
	Forgotten []string
	// Retired are pages retention retired (tombstoned) that the upstream
	// still holds: their removal is journaled for the next commit.
	Retired []string
}

// ForgetUnpublished makes the state agree with the upstream's head when a
// host takes over from another, in one transaction: present(page) says
// whether the head holds the page, files(page) lists every file of it.
func (s *Store) ForgetUnpublished(ctx context.Context, present func(page string) bool, files func(page string) []string) (Unpublished, error) {
	var u Unpublished
	err := s.tx(ctx, func(tx txn) error {
		pages, err := pagesByState(ctx, tx)
		if err != nil {
			return err
		}
		for _, p := range pages {
			switch {
			case p.live && !present(p.path):
				u.Forgotten = append(u.Forgotten, p.path)
				if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE url = ?`, p.url); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM page_assets WHERE page = ?`, p.path); err != nil {
					return err
				}
			case !p.live && p.path != "" && !p.shared && present(p.path):
				u.Retired = append(u.Retired, p.path)
				if err := journal(ctx, tx, OpRemove, files(p.path)...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return Unpublished{}, fmt.Errorf("forget what was not published: %w", err)
	}
	return u, nil
}

type statePage struct {
	url, path string
	live      bool // pending or committed
	shared    bool // a tombstone whose path a live article has
}

// pagesByState lists the live and tombstoned articles with a page.
func pagesByState(ctx context.Context, tx txn) ([]statePage, error) {
	rows, err := tx.QueryContext(ctx, `SELECT url, path, state != 'removed' FROM articles
		WHERE state IN ('pending', 'committed', 'removed') AND path != '' ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []statePage
	live := map[string]bool{}
	for rows.Next() {
		var p statePage
		if err := rows.Scan(&p.url, &p.path, &p.live); err != nil {
			return nil, err
		}
		out = append(out, p)
		live[p.path] = live[p.path] || p.live
	}
	for i := range out {
		out[i].shared = !out[i].live && live[out[i].path]
	}
	return out, rows.Err()
}
