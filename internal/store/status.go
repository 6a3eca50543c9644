package store

import (
	"context"
	"fmt"
	"time"
)

// ArticleStats sums up one channel's articles for "newsmirror status".
type ArticleStats struct {
	// Live are the pages a reader can open (pending or committed).
	Live int
	// Retrying are failed articles still tried on every run that lists
	// them; HostDown of them are on a host now backed off as down, since
	// DownSince (the earliest such host's).
	Retrying, HostDown int
	DownSince          time.Time
	// GaveUp are articles failing permanently since before the give-up
	// cutoff, since GaveUpSince (the oldest), the newest saying
	// GaveUpError.
	GaveUp      int
	GaveUpSince time.Time
	GaveUpError string
	// LastPage is when the newest live page was mirrored.
	LastPage time.Time
	// LastFailure is when an article of the channel last failed, and why.
	LastFailure      time.Time
	LastFailureError string
	// FallbackPages are the live pages extracted by the fallback;
	// NewestByFallback says the newest live page is one of them.
	FallbackPages    int
	NewestByFallback bool
}

// gaveUpSQL is the condition of an article given up at cutoff ?1.
const gaveUpSQL = `(state = 'failed' AND failure = 'permanent' AND first_failed > 0 AND first_failed <= ?1)`

// ChannelArticles sums up every channel's articles, by channel id; cutoff
// is now less the give-up age.
func (s *Store) ChannelArticles(ctx context.Context, cutoff time.Time) (map[string]ArticleStats, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT channel,
			SUM(CASE WHEN state IN ('pending', 'committed') THEN 1 ELSE 0 END),
			SUM(CASE WHEN state = 'failed' AND NOT `+gaveUpSQL+` THEN 1 ELSE 0 END),
			SUM(CASE WHEN state = 'failed' AND NOT `+gaveUpSQL+` AND host IN (SELECT host FROM hosts) THEN 1 ELSE 0 END),
			COALESCE((SELECT MIN(h.down_since) FROM hosts h WHERE h.host IN
				(SELECT f.host FROM articles f WHERE f.channel = a.channel AND f.state = 'failed')), 0),
			SUM(CASE WHEN `+gaveUpSQL+` THEN 1 ELSE 0 END),
			COALESCE(MIN(CASE WHEN `+gaveUpSQL+` THEN first_failed END), 0),
			COALESCE((SELECT error FROM articles g WHERE g.channel = a.channel AND g.state = 'failed'
				AND g.failure = 'permanent' AND g.first_failed > 0 AND g.first_failed <= ?1
				ORDER BY g.mirrored DESC, g.rowid DESC LIMIT 1), ''),
			COALESCE(MAX(CASE WHEN state IN ('pending', 'committed') THEN mirrored END), 0),
			COALESCE(MAX(CASE WHEN state = 'failed' THEN mirrored END), 0),
			COALESCE((SELECT error FROM articles f WHERE f.channel = a.channel AND f.state = 'failed'
				ORDER BY f.mirrored DESC, f.rowid DESC LIMIT 1), ''),
			SUM(CASE WHEN state IN ('pending', 'committed') AND fallback = 1 THEN 1 ELSE 0 END),
			COALESCE((SELECT n.fallback FROM articles n WHERE n.channel = a.channel AND n.state IN ('pending', 'committed')
				ORDER BY n.mirrored DESC, n.published DESC, n.rowid DESC LIMIT 1), 0)
		FROM articles a GROUP BY channel`, cutoff.Unix())
	if err != nil {
		return nil, fmt.Errorf("sum up articles: %w", err)
	}
	defer rows.Close()
	out := map[string]ArticleStats{}
	for rows.Next() {
		var ch string
		var st ArticleStats
		var down, gaveUp, last, failed int64
		if err := rows.Scan(&ch, &st.Live, &st.Retrying, &st.HostDown, &down, &st.GaveUp, &gaveUp, &st.GaveUpError,
			&last, &failed, &st.LastFailureError, &st.FallbackPages, &st.NewestByFallback); err != nil {
			return nil, fmt.Errorf("sum up articles: %w", err)
		}
		st.DownSince, st.GaveUpSince = fromUnix(down), fromUnix(gaveUp)
		st.LastPage, st.LastFailure = fromUnix(last), fromUnix(failed)
		out[ch] = st
	}
	return out, rows.Err()
}

// HitTotal is how many hits the counter stored since since, on how many
// files.
func (s *Store) HitTotal(ctx context.Context, since time.Time) (hits int64, files int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT), COUNT(DISTINCT path) FROM hits WHERE hour >= ?`,
		since.Unix()/3600).Scan(&hits, &files)
	if err != nil {
		return 0, 0, fmt.Errorf("count hits: %w", err)
	}
	return hits, files, nil
}
