-- The register, SQLite dialect. Dates are TEXT 'YYYY-MM-DD' (text order is
-- date order); timestamps are TEXT RFC 3339 UTC with fixed microseconds.
-- Columns are declared TEXT, not DATE, so the driver hands back the text as is.

CREATE TABLE persons (
	id            INTEGER PRIMARY KEY,
	family_name   TEXT NOT NULL,
	usage_name    TEXT NOT NULL DEFAULT '',
	given_names   TEXT NOT NULL DEFAULT '', -- space separated
	birth_date    TEXT NOT NULL,
	birth_place   TEXT NOT NULL DEFAULT '',
	birth_country TEXT NOT NULL DEFAULT '',
	sex           TEXT NOT NULL DEFAULT '',
	email         TEXT NOT NULL DEFAULT '',
	address_line1 TEXT NOT NULL DEFAULT '',
	address_line2 TEXT NOT NULL DEFAULT '',
	postal_code   TEXT NOT NULL DEFAULT '',
	city          TEXT NOT NULL DEFAULT '',
	country       TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);

CREATE TABLE licences (
	id                     INTEGER PRIMARY KEY,
	neph                   TEXT NOT NULL UNIQUE,
	person_id              INTEGER NOT NULL REFERENCES persons(id),
	obtained               TEXT NOT NULL,
	probation              TEXT NOT NULL,
	complementary_training TEXT,
	departement            TEXT NOT NULL DEFAULT '',
	state                  TEXT NOT NULL,
	state_since            TEXT NOT NULL,
	state_until            TEXT,
	created_at             TEXT NOT NULL
);
CREATE INDEX licences_person ON licences(person_id);

CREATE TABLE licence_categories (
	licence_id    INTEGER NOT NULL REFERENCES licences(id),
	category      TEXT NOT NULL,
	obtained      TEXT NOT NULL,
	valid_until   TEXT,
	medical_until TEXT,
	PRIMARY KEY (licence_id, category)
) WITHOUT ROWID;

CREATE TABLE licence_restrictions (
	licence_id INTEGER NOT NULL REFERENCES licences(id),
	code       TEXT NOT NULL,
	category   TEXT NOT NULL DEFAULT '', -- '' for every category
	detail     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (licence_id, code, category)
) WITHOUT ROWID;

CREATE TABLE titles (
	id          INTEGER PRIMARY KEY,
	licence_id  INTEGER NOT NULL REFERENCES licences(id),
	number      TEXT NOT NULL UNIQUE,
	mrz         TEXT NOT NULL DEFAULT '',
	issued      TEXT NOT NULL,
	expires     TEXT NOT NULL,
	state       TEXT NOT NULL,
	state_since TEXT NOT NULL
);
CREATE INDEX titles_licence ON titles(licence_id);

-- History of retention, suspension, invalidation and annulment.
CREATE TABLE right_measures (
	id         INTEGER PRIMARY KEY,
	licence_id INTEGER NOT NULL REFERENCES licences(id),
	kind       TEXT NOT NULL,
	start_date TEXT NOT NULL,
	end_date   TEXT,
	reason     TEXT NOT NULL DEFAULT '',
	ref        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX right_measures_licence ON right_measures(licence_id);

-- The points ledger: the source of truth of every balance. A rowid table,
-- not WITHOUT ROWID: with random event ids, appending rows in rowid order and
-- keeping event_id in a small separate index measured faster for imports
-- (BenchmarkImportOffences, 100 k licences: ~36 k rows/s against ~20 k).
CREATE TABLE point_events (
	event_id    TEXT PRIMARY KEY,
	licence_id  INTEGER NOT NULL REFERENCES licences(id),
	kind        TEXT NOT NULL CHECK (kind IN ('offence', 'course')),
	committed   TEXT,
	established TEXT NOT NULL, -- for a course: its last day
	points      INTEGER NOT NULL DEFAULT 0,
	class       TEXT NOT NULL DEFAULT '',
	occasion    TEXT NOT NULL DEFAULT '',
	nature      TEXT NOT NULL DEFAULT '',
	recorded_at TEXT NOT NULL
);
CREATE INDEX point_events_licence ON point_events(licence_id);

-- Cache written by the nightly re-evaluation; never the source of truth.
CREATE TABLE points_snapshots (
	licence_id   INTEGER PRIMARY KEY REFERENCES licences(id),
	balance      INTEGER NOT NULL,
	ceiling      INTEGER NOT NULL,
	valid        INTEGER NOT NULL,
	next_change  TEXT,
	evaluated_on TEXT NOT NULL
);

CREATE TABLE letters (
	id         INTEGER PRIMARY KEY,
	licence_id INTEGER NOT NULL REFERENCES licences(id),
	type       TEXT NOT NULL,
	date       TEXT NOT NULL,
	ref        TEXT NOT NULL DEFAULT '',
	UNIQUE (licence_id, type, ref)
);

CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	role       TEXT NOT NULL,
	hash       BLOB NOT NULL UNIQUE,
	prefix     TEXT NOT NULL,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);

CREATE TABLE audit_log (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	at           TEXT NOT NULL,
	actor        TEXT NOT NULL,
	actor_role   TEXT NOT NULL DEFAULT '',
	action       TEXT NOT NULL,
	subject_type TEXT NOT NULL DEFAULT '',
	subject_id   TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',
	request_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log(subject_type, subject_id);

-- The audit log is append-only.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE import_runs (
	id              INTEGER PRIMARY KEY,
	source          TEXT NOT NULL,
	started_at      TEXT NOT NULL,
	finished_at     TEXT,
	lines           INTEGER NOT NULL DEFAULT 0,
	inserted        INTEGER NOT NULL DEFAULT 0,
	already_present INTEGER NOT NULL DEFAULT 0,
	rejected        INTEGER NOT NULL DEFAULT 0
);
