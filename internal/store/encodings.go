package store

import (
	"context"
	"fmt"
	"time"
)

// Encoding is how a channel's documents of one kind were last decoded.
type Encoding struct {
	Source, Channel string
	// Document is "feed" (the channel's feed or listing) or "page" (an
	// article page).
	Document string
	// URL is the document last decoded, Decision how ("gb18030
	// (detected 0.93, label said utf-8)") and Reason the decision's
	// reason alone ("detected").
	URL, Decision, Reason string
	// Guesses counts decisions that guessed, repaired or overruled a
	// label; LastGuess is the latest of them with its URL.
	Guesses   int
	LastGuess string
	Updated   time.Time
}

// RecordEncoding saves e as the last decision for its source, channel and
// document; guessed adds it to the guesses.
func (s *Store) RecordEncoding(ctx context.Context, e Encoding, guessed bool, at time.Time) error {
	g, last := 0, ""
	if guessed {
		g, last = 1, e.Decision+" "+e.URL
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO encodings (source, channel, document, url, decision, reason, guesses, last_guess, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(source, channel, document) DO UPDATE SET url = excluded.url, decision = excluded.decision,
			reason = excluded.reason, guesses = encodings.guesses + excluded.guesses, updated = excluded.updated,
			last_guess = CASE WHEN excluded.guesses > 0 THEN excluded.last_guess ELSE encodings.last_guess END`,
		e.Source, e.Channel, e.Document, e.URL, e.Decision, e.Reason, g, last, unix(at))
	if err != nil {
		return fmt.Errorf("record encoding of %s/%s %s: %w", e.Source, e.Channel, e.Document, err)
	}
	return nil
}

// Encodings lists the last decisions, by source, channel and document.
func (s *Store) Encodings(ctx context.Context) ([]Encoding, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, channel, document, url, decision, reason, guesses, last_guess, updated
		FROM encodings ORDER BY source, channel, document`)
	if err != nil {
		return nil, fmt.Errorf("list encodings: %w", err)
	}
	defer rows.Close()
	var out []Encoding
	for rows.Next() {
		var e Encoding
		var updated int64
		if err := rows.Scan(&e.Source, &e.Channel, &e.Document, &e.URL, &e.Decision, &e.Reason, &e.Guesses, &e.LastGuess, &updated); err != nil {
			return nil, fmt.Errorf("list encodings: %w", err)
		}
		e.Updated = fromUnix(updated)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list encodings: %w", err)
	}
	return out, nil
}
