package store

// postgresMigrations are PostgreSQL's schema changes: entry i makes the
// change sqliteMigrations[i] makes, in PostgreSQL's types (BIGINT for
// SQLite's 64-bit INTEGER), so that a schema version means the same
// tables on both. The schema version is the one row of newsmirror_schema.
// Append only: never edit a shipped one, and append the same change to
// sqliteMigrations.
var postgresMigrations = []string{
	// articles.rowid stands for SQLite's implicit rowid: the order rows
	// were first inserted in, which breaks ties between equal times.
	`CREATE TABLE articles (
		url       TEXT PRIMARY KEY,
		source    TEXT NOT NULL,
		channel   TEXT NOT NULL,
		id        TEXT NOT NULL,
		title     TEXT NOT NULL DEFAULT '',
		published BIGINT NOT NULL DEFAULT 0,
		mirrored  BIGINT NOT NULL DEFAULT 0,
		hash      TEXT NOT NULL DEFAULT '',
		path      TEXT NOT NULL DEFAULT '',
		state     TEXT NOT NULL,
		error     TEXT NOT NULL DEFAULT '',
		attempts  BIGINT NOT NULL DEFAULT 0,
		rowid     BIGINT GENERATED ALWAYS AS IDENTITY
	);
	CREATE UNIQUE INDEX articles_page ON articles(channel, id) WHERE state IN ('pending', 'committed');
	CREATE INDEX articles_channel ON articles(channel, state, published DESC, mirrored DESC);
	CREATE TABLE hits (
		path  TEXT NOT NULL,
		hour  BIGINT NOT NULL,
		count BIGINT NOT NULL,
		PRIMARY KEY (path, hour)
	);`,
	`CREATE TABLE assets (path TEXT PRIMARY KEY);
	CREATE TABLE page_assets (
		page  TEXT NOT NULL,
		asset TEXT NOT NULL,
		PRIMARY KEY (page, asset)
	);
	CREATE INDEX page_assets_asset ON page_assets(asset);
	CREATE TABLE image_health (
		source     TEXT PRIMARY KEY,
		localized  BIGINT NOT NULL DEFAULT 0,
		failed     BIGINT NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		updated    BIGINT NOT NULL DEFAULT 0
	);`,
	`CREATE TABLE journal (
		path TEXT PRIMARY KEY,
		op   TEXT NOT NULL
	);
	CREATE TABLE remotes (
		name         TEXT PRIMARY KEY,
		last_attempt BIGINT NOT NULL DEFAULT 0,
		last_success BIGINT NOT NULL DEFAULT 0,
		last_error   TEXT NOT NULL DEFAULT '',
		pushed       TEXT NOT NULL DEFAULT ''
	);`,
	`CREATE TABLE extract_health (
		source     TEXT NOT NULL,
		channel    TEXT NOT NULL,
		extracted  BIGINT NOT NULL DEFAULT 0,
		fallbacks  BIGINT NOT NULL DEFAULT 0,
		misses     BIGINT NOT NULL DEFAULT 0,
		last_alert TEXT NOT NULL DEFAULT '',
		last_url   TEXT NOT NULL DEFAULT '',
		updated    BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel)
	);
	ALTER TABLE articles ADD COLUMN fallback BIGINT NOT NULL DEFAULT 0;`,
	`CREATE TABLE channel_health (
		source       TEXT NOT NULL,
		channel      TEXT NOT NULL,
		last_success BIGINT NOT NULL DEFAULT 0,
		last_failure BIGINT NOT NULL DEFAULT 0,
		last_error   TEXT NOT NULL DEFAULT '',
		failures     BIGINT NOT NULL DEFAULT 0,
		items        BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel)
	);
	CREATE TABLE validators (
		url           TEXT PRIMARY KEY,
		etag          TEXT NOT NULL DEFAULT '',
		last_modified TEXT NOT NULL DEFAULT '',
		updated       BIGINT NOT NULL DEFAULT 0
	);`,
	`CREATE TABLE asset_urls (
		url   TEXT PRIMARY KEY,
		asset TEXT NOT NULL
	);
	CREATE INDEX asset_urls_asset ON asset_urls(asset);`,
	`CREATE TABLE health (
		subject      TEXT NOT NULL,
		source       TEXT NOT NULL,
		channel      TEXT NOT NULL DEFAULT '',
		ok           BIGINT NOT NULL DEFAULT 0,
		fallbacks    BIGINT NOT NULL DEFAULT 0,
		failed       BIGINT NOT NULL DEFAULT 0,
		streak       BIGINT NOT NULL DEFAULT 0,
		items        BIGINT NOT NULL DEFAULT 0,
		last_success BIGINT NOT NULL DEFAULT 0,
		last_failure BIGINT NOT NULL DEFAULT 0,
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
	`CREATE TABLE encodings (
		source     TEXT NOT NULL,
		channel    TEXT NOT NULL,
		document   TEXT NOT NULL,
		url        TEXT NOT NULL DEFAULT '',
		decision   TEXT NOT NULL DEFAULT '',
		reason     TEXT NOT NULL DEFAULT '',
		guesses    BIGINT NOT NULL DEFAULT 0,
		last_guess TEXT NOT NULL DEFAULT '',
		updated    BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel, document)
	);`,
	`ALTER TABLE articles ADD COLUMN failure TEXT NOT NULL DEFAULT '';
	ALTER TABLE articles ADD COLUMN first_failed BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE articles ADD COLUMN host TEXT NOT NULL DEFAULT '';
	UPDATE articles SET failure = 'transient' WHERE state = 'failed';
	CREATE TABLE hosts (
		host       TEXT PRIMARY KEY,
		down_since BIGINT NOT NULL,
		streak     BIGINT NOT NULL DEFAULT 0,
		not_before BIGINT NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT ''
	);`,
	`ALTER TABLE health ADD COLUMN last_warning TEXT NOT NULL DEFAULT '';
	ALTER TABLE health ADD COLUMN warned BIGINT NOT NULL DEFAULT 0;`,
	`CREATE TABLE leases (
		name     TEXT PRIMARY KEY,
		holder   TEXT NOT NULL,
		token    BIGINT NOT NULL,
		expires  BIGINT NOT NULL,
		previous TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE heartbeats (
		host    TEXT PRIMARY KEY,
		seen    BIGINT NOT NULL,
		started BIGINT NOT NULL,
		run_at  BIGINT NOT NULL DEFAULT 0,
		result  TEXT NOT NULL DEFAULT ''
	);`,
	`CREATE TABLE hit_batches (
		host    TEXT NOT NULL,
		seq     BIGINT NOT NULL,
		written BIGINT NOT NULL,
		PRIMARY KEY (host, seq)
	);
	CREATE INDEX hit_batches_written ON hit_batches(written);`,
}
