package store

import (
	"context"
	"fmt"
)

// sqliteMigrations are SQLite's schema changes, applied in order, each in
// its own transaction; the schema version (PRAGMA user_version) is the
// number applied. Append only: never edit a shipped one, and append the
// same change to postgresMigrations.
var sqliteMigrations = []string{
	`CREATE TABLE articles (
		url       TEXT PRIMARY KEY,
		source    TEXT NOT NULL,
		channel   TEXT NOT NULL,
		id        TEXT NOT NULL,
		title     TEXT NOT NULL DEFAULT '',
		published INTEGER NOT NULL DEFAULT 0,
		mirrored  INTEGER NOT NULL DEFAULT 0,
		hash      TEXT NOT NULL DEFAULT '',
		path      TEXT NOT NULL DEFAULT '',
		state     TEXT NOT NULL,
		error     TEXT NOT NULL DEFAULT '',
		attempts  INTEGER NOT NULL DEFAULT 0
	);
	CREATE UNIQUE INDEX articles_page ON articles(channel, id) WHERE state IN ('pending', 'committed');
	CREATE INDEX articles_channel ON articles(channel, state, published DESC, mirrored DESC);
	CREATE TABLE hits (
		path  TEXT NOT NULL,
		hour  INTEGER NOT NULL,
		count INTEGER NOT NULL,
		PRIMARY KEY (path, hour)
	);`,
	// Which localised images (assets/…) each page uses, so that assets no
	// live page uses can be removed; and each source's image health.
	`CREATE TABLE assets (path TEXT PRIMARY KEY);
	CREATE TABLE page_assets (
		page  TEXT NOT NULL,
		asset TEXT NOT NULL,
		PRIMARY KEY (page, asset)
	);
	CREATE INDEX page_assets_asset ON page_assets(asset);
	CREATE TABLE image_health (
		source     TEXT PRIMARY KEY,
		localized  INTEGER NOT NULL DEFAULT 0,
		failed     INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		updated    INTEGER NOT NULL DEFAULT 0
	);`,
	// The journal of files changed in the working tree but not yet
	// committed (so a killed run's removals reach the next commit), and
	// the outcome of pushes to each remote.
	`CREATE TABLE journal (
		path TEXT PRIMARY KEY,
		op   TEXT NOT NULL
	);
	CREATE TABLE remotes (
		name         TEXT PRIMARY KEY,
		last_attempt INTEGER NOT NULL DEFAULT 0,
		last_success INTEGER NOT NULL DEFAULT 0,
		last_error   TEXT NOT NULL DEFAULT '',
		pushed       TEXT NOT NULL DEFAULT ''
	);`,
	// How extraction went per source and channel: pages whose rules missed
	// and fell back to readability ("selector broken?"), and pages lost.
	// Which articles were extracted by fallback.
	`CREATE TABLE extract_health (
		source     TEXT NOT NULL,
		channel    TEXT NOT NULL,
		extracted  INTEGER NOT NULL DEFAULT 0,
		fallbacks  INTEGER NOT NULL DEFAULT 0,
		misses     INTEGER NOT NULL DEFAULT 0,
		last_alert TEXT NOT NULL DEFAULT '',
		last_url   TEXT NOT NULL DEFAULT '',
		updated    INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel)
	);
	ALTER TABLE articles ADD COLUMN fallback INTEGER NOT NULL DEFAULT 0;`,
	// How reading each channel's feed or listing went (source health), and
	// the validators of conditional GETs (ETag, Last-Modified) per URL.
	`CREATE TABLE channel_health (
		source       TEXT NOT NULL,
		channel      TEXT NOT NULL,
		last_success INTEGER NOT NULL DEFAULT 0,
		last_failure INTEGER NOT NULL DEFAULT 0,
		last_error   TEXT NOT NULL DEFAULT '',
		failures     INTEGER NOT NULL DEFAULT 0,
		items        INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel)
	);
	CREATE TABLE validators (
		url           TEXT PRIMARY KEY,
		etag          TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		updated       INTEGER NOT NULL DEFAULT 0
	);`,
	// Which asset each downloaded image URL became, so that a page
	// mirrored again reuses its images without downloading them.
	`CREATE TABLE asset_urls (
		url   TEXT PRIMARY KEY,
		asset TEXT NOT NULL
	);
	CREATE INDEX asset_urls_asset ON asset_urls(asset);`,
	// One health model: the feed, extraction and image tables become rows
	// of one table, told apart by subject, read by status in one query.
	`CREATE TABLE health (
		subject      TEXT NOT NULL,
		source       TEXT NOT NULL,
		channel      TEXT NOT NULL DEFAULT '',
		ok           INTEGER NOT NULL DEFAULT 0,
		fallbacks    INTEGER NOT NULL DEFAULT 0,
		failed       INTEGER NOT NULL DEFAULT 0,
		streak       INTEGER NOT NULL DEFAULT 0,
		items        INTEGER NOT NULL DEFAULT 0,
		last_success INTEGER NOT NULL DEFAULT 0,
		last_failure INTEGER NOT NULL DEFAULT 0,
		last_error   TEXT NOT NULL DEFAULT '',
		last_url     TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (subject, source, channel)
	);
	INSERT INTO health (subject, source, channel, failed, streak, items, last_success, last_failure, last_error)
		SELECT 'feed', source, channel, failures, failures, items, last_success, last_failure, last_error FROM channel_health;
	INSERT INTO health (subject, source, channel, ok, fallbacks, failed, last_success, last_failure, last_error, last_url)
		SELECT 'extract', source, channel, extracted, fallbacks, misses,
			CASE WHEN extracted > 0 THEN updated ELSE 0 END,
			CASE WHEN fallbacks + misses > 0 THEN updated ELSE 0 END, last_alert, last_url FROM extract_health;
	INSERT INTO health (subject, source, channel, ok, failed, last_success, last_failure, last_error)
		SELECT 'images', source, '', localized, failed,
			CASE WHEN localized > 0 THEN updated ELSE 0 END,
			CASE WHEN failed > 0 THEN updated ELSE 0 END, last_error FROM image_health;
	DROP TABLE channel_health;
	DROP TABLE extract_health;
	DROP TABLE image_health;`,
	// The last character-encoding decision per source, channel and kind
	// of document (feed or page), and the guesses among them.
	`CREATE TABLE encodings (
		source     TEXT NOT NULL,
		channel    TEXT NOT NULL,
		document   TEXT NOT NULL,
		url        TEXT NOT NULL DEFAULT '',
		decision   TEXT NOT NULL DEFAULT '',
		reason     TEXT NOT NULL DEFAULT '',
		guesses    INTEGER NOT NULL DEFAULT 0,
		last_guess TEXT NOT NULL DEFAULT '',
		updated    INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel, document)
	);`,
	// Failure classes: a permanent failure (404, nothing to extract) gives
	// an article up only once it has lasted long enough (first_failed); a
	// transient one (the host or the network) never does. Hosts found down
	// are backed off until not_before. Articles failed before this schema
	// get a fresh start as transient.
	`ALTER TABLE articles ADD COLUMN failure TEXT NOT NULL DEFAULT '';
	ALTER TABLE articles ADD COLUMN first_failed INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE articles ADD COLUMN host TEXT NOT NULL DEFAULT '';
	UPDATE articles SET failure = 'transient' WHERE state = 'failed';
	CREATE TABLE hosts (
		host       TEXT PRIMARY KEY,
		down_since INTEGER NOT NULL,
		streak     INTEGER NOT NULL DEFAULT 0,
		not_before INTEGER NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT ''
	);`,
	// What was salvaged from a broken feed on its last read (a truncated
	// feed, junk before the declaration...), and how many reads were.
	`ALTER TABLE health ADD COLUMN last_warning TEXT NOT NULL DEFAULT '';
	ALTER TABLE health ADD COLUMN warned INTEGER NOT NULL DEFAULT 0;`,
	// Hosts sharing one state: the lease that elects the one that syncs
	// (expiry and holder by the database's clock, in milliseconds; token
	// is its generation) and each host's last heartbeat.
	`CREATE TABLE leases (
		name     TEXT PRIMARY KEY,
		holder   TEXT NOT NULL,
		token    INTEGER NOT NULL,
		expires  INTEGER NOT NULL,
		previous TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE heartbeats (
		host    TEXT PRIMARY KEY,
		seen    INTEGER NOT NULL,
		started INTEGER NOT NULL,
		run_at  INTEGER NOT NULL DEFAULT 0,
		result  TEXT NOT NULL DEFAULT ''
	);`,
	// The batches of hit counts written, by the counter instance that
	// wrote them and its sequence number, so that a batch sent again after
	// a lost reply is not counted twice.
	`CREATE TABLE hit_batches (
		host    TEXT NOT NULL,
		seq     INTEGER NOT NULL,
		written INTEGER NOT NULL,
		PRIMARY KEY (host, seq)
	);
	CREATE INDEX hit_batches_written ON hit_batches(written);`,
	`CREATE TABLE lease_generations (
		name   TEXT PRIMARY KEY,
		holder TEXT NOT NULL,
		token  INTEGER NOT NULL
	);
	INSERT INTO lease_generations (name, holder, token) SELECT name, holder, token FROM leases;`,
}

// migrateTo applies the dialect's migrations up to schema version target,
// each in one transaction that first takes the dialect's lock and reads
// the version again: of several hosts opening one database at once, one
// applies each change and the others see it applied.
func (s *Store) migrateTo(ctx context.Context, target int) error {
	for {
		done, err := s.migrateOne(ctx, target)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration unless the schema is at target.
func (s *Store) migrateOne(ctx context.Context, target int) (done bool, err error) {
	list := s.d.migrations
	var v int
	err = s.tx(ctx, func(tx txn) error {
		if s.d.lock != "" {
			if _, err := tx.ExecContext(ctx, s.d.lock); err != nil {
				return fmt.Errorf("lock the schema: %w", err)
			}
		}
		if err := tx.QueryRowContext(ctx, s.d.version).Scan(&v); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if v > len(list) {
			return fmt.Errorf("schema version %d is newer than this program (%d)", v, len(list))
		}
		if v >= target {
			done = true
			return nil
		}
		if _, err := tx.ExecContext(ctx, list[v]); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(s.d.setVersion, v+1)); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		return nil
	})
	return done, err
}
