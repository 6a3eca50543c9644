package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Known is what the database holds about a URL, for deciding whether to
// mirror it again.
type Known struct {
	State    string // "" when the URL is new
	Attempts int
	Hash     string
	Title    string
	Path     string
}

// Lookup returns what is known about url.
func (s *Store) Lookup(ctx context.Context, url string) (Known, error) {
	var k Known
	err := s.db.QueryRowContext(ctx, `SELECT state, attempts, hash, title, path FROM articles WHERE url = ?`, url).
		Scan(&k.State, &k.Attempts, &k.Hash, &k.Title, &k.Path)
	if errors.Is(err, sql.ErrNoRows) {
		return Known{}, nil
	}
	if err != nil {
		return k, fmt.Errorf("look up %s: %w", url, err)
	}
	return k, nil
}

// Done reports whether k needs no more work: mirrored, tombstoned, or
// failed MaxAttempts times.
func (k Known) Done() bool {
	return k.State != "" && (k.State != Failed || k.Attempts >= MaxAttempts)
}

// MarkFallback records whether the page at url was extracted by fallback.
func (s *Store) MarkFallback(ctx context.Context, url string, fallback bool) error {
	v := 0
	if fallback {
		v = 1
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE articles SET fallback = ? WHERE url = ?`, v, url); err != nil {
		return fmt.Errorf("mark %s extracted by fallback: %w", url, err)
	}
	return nil
}
