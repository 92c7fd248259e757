-- The citizen portal: accounts, sessions, one-time links, rate limits, the
-- mail outbox, statements issued, check codes and standing consents.

CREATE TABLE users (
	id                INTEGER PRIMARY KEY,
	role              TEXT NOT NULL,
	email             TEXT UNIQUE,              -- lower case; NULL for OpenID-only accounts
	email_verified_at TEXT,
	password_hash     TEXT NOT NULL DEFAULT '', -- argon2id PHC string; '' when none
	given_name        TEXT NOT NULL DEFAULT '',
	family_name       TEXT NOT NULL DEFAULT '',
	birth_date        TEXT,
	birth_place       TEXT NOT NULL DEFAULT '',
	gender            TEXT NOT NULL DEFAULT '',
	oidc_issuer       TEXT,
	oidc_subject      TEXT,
	approval_number   TEXT NOT NULL DEFAULT '', -- partners: approval (agrément) number
	organisation      TEXT NOT NULL DEFAULT '',
	totp_secret       TEXT NOT NULL DEFAULT '',
	totp_enabled_at   TEXT,
	totp_last_step    BIGINT NOT NULL DEFAULT 0, -- last TOTP time step accepted (no replay)
	failed_logins     INTEGER NOT NULL DEFAULT 0,
	locked_until      TEXT,
	licence_id        INTEGER REFERENCES licences(id), -- the citizen's linked licence
	linked_at         TEXT,
	created_at        TEXT NOT NULL,
	disabled_at       TEXT,
	UNIQUE (oidc_issuer, oidc_subject)
);
CREATE INDEX users_licence ON users(licence_id);

CREATE TABLE sessions (
	hash        BLOB PRIMARY KEY,     -- SHA-256 of the cookie's secret
	user_id     INTEGER NOT NULL REFERENCES users(id),
	created_at  TEXT NOT NULL,
	seen_at     TEXT NOT NULL,
	expires_at  TEXT NOT NULL,
	second_factor_at TEXT,            -- when the TOTP code was given in this session
	id_token_hint TEXT NOT NULL DEFAULT '',
	user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE email_links (
	hash       BLOB PRIMARY KEY,      -- SHA-256 of the secret in the link
	user_id    INTEGER NOT NULL REFERENCES users(id),
	purpose    TEXT NOT NULL,         -- verify | reset
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT
);
CREATE INDEX email_links_user ON email_links(user_id, purpose);

CREATE TABLE rate_limits (
	key          TEXT PRIMARY KEY,    -- what is limited, e.g. 'login:ip:…', 'link:user:42'
	window_start TEXT NOT NULL,
	hits         INTEGER NOT NULL
);

CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	created_at      TEXT NOT NULL,
	to_addr         TEXT NOT NULL,
	subject         TEXT NOT NULL,
	body_text       TEXT NOT NULL,
	body_html       TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed | kept
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL,
	sent_at         TEXT,
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);

CREATE TABLE outbox_attachments (
	outbox_id    INTEGER NOT NULL REFERENCES outbox(id),
	position     INTEGER NOT NULL,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data         BLOB NOT NULL,
	PRIMARY KEY (outbox_id, position)
);

CREATE TABLE statements (
	id          INTEGER PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,
	licence_id  INTEGER NOT NULL REFERENCES licences(id),
	kind        TEXT NOT NULL,        -- rii | adcs
	issued_at   TEXT NOT NULL,
	valid_until TEXT,
	barcode     TEXT NOT NULL,        -- the 2D-Doc text
	requested_by TEXT NOT NULL        -- 'user:42', 'check:7'
);
CREATE INDEX statements_licence ON statements(licence_id);

CREATE TABLE check_codes (
	id          INTEGER PRIMARY KEY,
	hash        BLOB NOT NULL UNIQUE, -- SHA-256 of the code
	hint        TEXT NOT NULL,        -- last characters, for the holder's list
	licence_id  INTEGER NOT NULL REFERENCES licences(id),
	user_id     INTEGER NOT NULL REFERENCES users(id),
	label       TEXT NOT NULL DEFAULT '',
	shows       TEXT NOT NULL,        -- categories | categories+restrictions
	single_use  INTEGER NOT NULL,
	created_at  TEXT NOT NULL,
	expires_at  TEXT NOT NULL,
	used_at     TEXT,
	revoked_at  TEXT,
	failed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX check_codes_licence ON check_codes(licence_id);

CREATE TABLE check_code_uses (
	id            INTEGER PRIMARY KEY,
	check_code_id INTEGER NOT NULL REFERENCES check_codes(id),
	at            TEXT NOT NULL,
	organisation  TEXT NOT NULL DEFAULT '',
	outcome       TEXT NOT NULL       -- shown | pdf
);
CREATE INDEX check_code_uses_code ON check_code_uses(check_code_id);

CREATE TABLE consents (
	id            INTEGER PRIMARY KEY,
	licence_id    INTEGER NOT NULL REFERENCES licences(id),
	user_id       INTEGER NOT NULL REFERENCES users(id),
	organisation  TEXT NOT NULL,
	email         TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	withdrawn_at  TEXT,
	last_rights   TEXT NOT NULL DEFAULT '', -- summary of the rights last told to the organisation
	last_checked_at TEXT
);
CREATE INDEX consents_licence ON consents(licence_id);
