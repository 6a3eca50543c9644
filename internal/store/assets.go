package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SetPageAssets records the assets the page at path uses, replacing what
// was recorded for it before.
func (s *Store) SetPageAssets(ctx context.Context, page string, assets []string) error {
	return s.tx(ctx, func(tx txn) error { return setPageAssets(ctx, tx, page, assets) })
}

func setPageAssets(ctx context.Context, db execer, page string, assets []string) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM page_assets WHERE page = ?`, page); err != nil {
		return fmt.Errorf("record assets of %s: %w", page, err)
	}
	for _, a := range assets {
		if err := addPageAsset(ctx, db, page, a); err != nil {
			return fmt.Errorf("record assets of %s: %w", page, err)
		}
	}
	return nil
}

func addPageAsset(ctx context.Context, db execer, page, asset string) error {
	if _, err := db.ExecContext(ctx, `INSERT INTO assets (path) VALUES (?) ON CONFLICT DO NOTHING`, asset); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `INSERT INTO page_assets (page, asset) VALUES (?, ?) ON CONFLICT DO NOTHING`, page, asset)
	return err
}

// PageAssets lists the assets recorded for the given pages, each once.
func (s *Store) PageAssets(ctx context.Context, pages []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range pages {
		list, err := s.strings(ctx, `SELECT asset FROM page_assets WHERE page = ? ORDER BY asset`, p)
		if err != nil {
			return nil, fmt.Errorf("list assets of %s: %w", p, err)
		}
		for _, a := range list {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// SweepAssets forgets, and returns, the assets that no live page (pending
// or committed) uses any more: their pages were removed, failed, or
// re-mirrored without them. The caller deletes the files; their removal
// is journaled until the next commit.
func (s *Store) SweepAssets(ctx context.Context) ([]string, error) {
	var orphans []string
	err := s.tx(ctx, func(tx txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT path FROM assets
			WHERE NOT EXISTS (SELECT 1 FROM page_assets pa JOIN articles a ON a.path = pa.page
				WHERE pa.asset = assets.path AND a.state IN ('pending', 'committed'))
			ORDER BY path`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				rows.Close()
				return err
			}
			orphans = append(orphans, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, a := range orphans {
			if _, err := tx.ExecContext(ctx, `DELETE FROM assets WHERE path = ?`, a); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM asset_urls WHERE asset = ?`, a); err != nil {
				return err
			}
		}
		// Journaled, so a run killed before deleting the files still
		// removes them in the next commit.
		if err := journal(ctx, tx, OpRemove, orphans...); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM page_assets WHERE page NOT IN
			(SELECT path FROM articles WHERE state IN ('pending', 'committed'))`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sweep unused assets: %w", err)
	}
	return orphans, nil
}

// AssetForURL returns the asset an image URL was stored as, if any.
func (s *Store) AssetForURL(ctx context.Context, url string) (string, bool, error) {
	var asset string
	err := s.db.QueryRowContext(ctx, `SELECT asset FROM asset_urls WHERE url = ?`, url).Scan(&asset)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("look up image %s: %w", url, err)
	}
	return asset, true, nil
}

// RememberAssetURL records that the image at url was stored as asset.
func (s *Store) RememberAssetURL(ctx context.Context, url, asset string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO asset_urls (url, asset) VALUES (?, ?)
		ON CONFLICT(url) DO UPDATE SET asset = excluded.asset`, url, asset)
	if err != nil {
		return fmt.Errorf("remember image %s: %w", url, err)
	}
	return nil
}

func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
