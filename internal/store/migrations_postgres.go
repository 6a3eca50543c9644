package store

// postgresMigrations are PostgreSQL's schema changes: entry i makes the
// change sqliteMigrations[i] makes, in PostgreSQL's types (BIGINT for
// SQLite's 64-bit INTEGER, TEXT COLLATE "C" so that text compares and
// sorts by its bytes as in SQLite whatever the database's locale), so that
// a schema version means the same tables on both. The schema version is
// the one row of newsmirror_schema. Append only: never edit a shipped one,
// and append the same change to sqliteMigrations.
var postgresMigrations = []string{
	// articles.rowid stands for SQLite's implicit rowid: the order rows
	// were first inserted in, which breaks ties between equal times.
	`CREATE TABLE articles (
		url       TEXT COLLATE "C" PRIMARY KEY,
		source    TEXT COLLATE "C" NOT NULL,
		channel   TEXT COLLATE "C" NOT NULL,
		id        TEXT COLLATE "C" NOT NULL,
		title     TEXT COLLATE "C" NOT NULL DEFAULT '',
		published BIGINT NOT NULL DEFAULT 0,
		mirrored  BIGINT NOT NULL DEFAULT 0,
		hash      TEXT COLLATE "C" NOT NULL DEFAULT '',
		path      TEXT COLLATE "C" NOT NULL DEFAULT '',
		state     TEXT COLLATE "C" NOT NULL,
		error     TEXT COLLATE "C" NOT NULL DEFAULT '',
		attempts  BIGINT NOT NULL DEFAULT 0,
		rowid     BIGINT GENERATED ALWAYS AS IDENTITY
	);
	CREATE UNIQUE INDEX articles_page ON articles(channel, id) WHERE state IN ('pending', 'committed');
	CREATE INDEX articles_channel ON articles(channel, state, published DESC, mirrored DESC);
	CREATE TABLE hits (
		path  TEXT COLLATE "C" NOT NULL,
		hour  BIGINT NOT NULL,
		count BIGINT NOT NULL,
		PRIMARY KEY (path, hour)
	);`,
	`CREATE TABLE assets (path TEXT COLLATE "C" PRIMARY KEY);
	CREATE TABLE page_assets (
		page  TEXT COLLATE "C" NOT NULL,
		asset TEXT COLLATE "C" NOT NULL,
		PRIMARY KEY (page, asset)
	);
	CREATE INDEX page_assets_asset ON page_assets(asset);
	CREATE TABLE image_health (
		source     TEXT COLLATE "C" PRIMARY KEY,
		localized  BIGINT NOT NULL DEFAULT 0,
		failed     BIGINT NOT NULL DEFAULT 0,
		last_error TEXT COLLATE "C" NOT NULL DEFAULT '',
		updated    BIGINT NOT NULL DEFAULT 0
	);`,
	`CREATE TABLE journal (
		path TEXT COLLATE "C" PRIMARY KEY,
		op   TEXT COLLATE "C" NOT NULL
	);
	CREATE TABLE remotes (
		name         TEXT COLLATE "C" PRIMARY KEY,
		last_attempt BIGINT NOT NULL DEFAULT 0,
		last_success BIGINT NOT NULL DEFAULT 0,
		last_error   TEXT COLLATE "C" NOT NULL DEFAULT '',
		pushed       TEXT COLLATE "C" NOT NULL DEFAULT ''
	);`,
	`CREATE TABLE extract_health (
		source     TEXT COLLATE "C" NOT NULL,
		channel    TEXT COLLATE "C" NOT NULL,
		extracted  BIGINT NOT NULL DEFAULT 0,
		fallbacks  BIGINT NOT NULL DEFAULT 0,
		misses     BIGINT NOT NULL DEFAULT 0,
		last_alert TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_url   TEXT COLLATE "C" NOT NULL DEFAULT '',
		updated    BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel)
	);
	ALTER TABLE articles ADD COLUMN fallback BIGINT NOT NULL DEFAULT 0;`,
	`CREATE TABLE channel_health (
		source       TEXT COLLATE "C" NOT NULL,
		channel      TEXT COLLATE "C" NOT NULL,
		last_success BIGINT NOT NULL DEFAULT 0,
		last_failure BIGINT NOT NULL DEFAULT 0,
		last_error   TEXT COLLATE "C" NOT NULL DEFAULT '',
		failures     BIGINT NOT NULL DEFAULT 0,
		items        BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel)
	);
	CREATE TABLE validators (
		url           TEXT COLLATE "C" PRIMARY KEY,
		etag          TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_modified TEXT COLLATE "C" NOT NULL DEFAULT '',
		updated       BIGINT NOT NULL DEFAULT 0
	);`,
	`CREATE TABLE asset_urls (
		url   TEXT COLLATE "C" PRIMARY KEY,
		asset TEXT COLLATE "C" NOT NULL
	);
	CREATE INDEX asset_urls_asset ON asset_urls(asset);`,
	`CREATE TABLE health (
		subject      TEXT COLLATE "C" NOT NULL,
		source       TEXT COLLATE "C" NOT NULL,
		channel      TEXT COLLATE "C" NOT NULL DEFAULT '',
		ok           BIGINT NOT NULL DEFAULT 0,
		fallbacks    BIGINT NOT NULL DEFAULT 0,
		failed       BIGINT NOT NULL DEFAULT 0,
		streak       BIGINT NOT NULL DEFAULT 0,
		items        BIGINT NOT NULL DEFAULT 0,
		last_success BIGINT NOT NULL DEFAULT 0,
		last_failure BIGINT NOT NULL DEFAULT 0,
		last_error   TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_url     TEXT COLLATE "C" NOT NULL DEFAULT '',
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
		source     TEXT COLLATE "C" NOT NULL,
		channel    TEXT COLLATE "C" NOT NULL,
		document   TEXT COLLATE "C" NOT NULL,
		url        TEXT COLLATE "C" NOT NULL DEFAULT '',
		decision   TEXT COLLATE "C" NOT NULL DEFAULT '',
		reason     TEXT COLLATE "C" NOT NULL DEFAULT '',
		guesses    BIGINT NOT NULL DEFAULT 0,
		last_guess TEXT COLLATE "C" NOT NULL DEFAULT '',
		updated    BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (source, channel, document)
	);`,
	`ALTER TABLE articles ADD COLUMN failure TEXT COLLATE "C" NOT NULL DEFAULT '';
	ALTER TABLE articles ADD COLUMN first_failed BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE articles ADD COLUMN host TEXT COLLATE "C" NOT NULL DEFAULT '';
	UPDATE articles SET failure = 'transient' WHERE state = 'failed';
	CREATE TABLE hosts (
		host       TEXT COLLATE "C" PRIMARY KEY,
		down_since BIGINT NOT NULL,
		streak     BIGINT NOT NULL DEFAULT 0,
		not_before BIGINT NOT NULL DEFAULT 0,
		last_error TEXT COLLATE "C" NOT NULL DEFAULT ''
	);`,
	`ALTER TABLE health ADD COLUMN last_warning TEXT COLLATE "C" NOT NULL DEFAULT '';
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
	`CREATE TABLE lease_generations (
		name   TEXT PRIMARY KEY,
		holder TEXT NOT NULL,
		token  BIGINT NOT NULL
	);
	INSERT INTO lease_generations (name, holder, token) SELECT name, holder, token FROM leases;`,
}
