package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Validators are the cache validators a server sent with a document, sent
// back on the next request for a conditional GET.
type Validators struct {
	ETag, LastModified string
}

// Validators returns what is stored for url; none is the zero value.
func (s *Store) Validators(ctx context.Context, url string) (Validators, error) {
	var v Validators
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified FROM validators WHERE url = ?`, url).Scan(&v.ETag, &v.LastModified)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Validators{}, fmt.Errorf("read validators of %s: %w", url, err)
	}
	return v, nil
}

// SaveValidators stores url's validators; empty ones forget it.
func (s *Store) SaveValidators(ctx context.Context, url string, v Validators, at time.Time) error {
	var err error
	if v == (Validators{}) {
		_, err = s.db.ExecContext(ctx, `DELETE FROM validators WHERE url = ?`, url)
	} else {
		_, err = s.db.ExecContext(ctx, `INSERT INTO validators (url, etag, last_modified, updated) VALUES (?, ?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated = excluded.updated`,
			url, v.ETag, v.LastModified, unix(at))
	}
	if err != nil {
		return fmt.Errorf("save validators of %s: %w", url, err)
	}
	return nil
}
