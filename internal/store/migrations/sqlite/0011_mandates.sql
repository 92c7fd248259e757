-- Driving schools (issue 4 item 8): a school files first-licence and
-- new-category requests for a student only under the student's signed
-- mandate, recorded here; a file moves to another school only with the
-- student's consent, given through a one-time link mailed to the student.
CREATE TABLE mandates (
	id          INTEGER PRIMARY KEY,
	school_id   INTEGER NOT NULL REFERENCES users(id),
	family_name TEXT NOT NULL CHECK (family_name <> ''),
	given_names TEXT NOT NULL CHECK (given_names <> ''),
	birth_date  TEXT NOT NULL,
	email       TEXT NOT NULL CHECK (email <> ''),  -- the student's, for the transfer consent
	neph        TEXT NOT NULL DEFAULT '',          -- when the student already has one
	reference   TEXT NOT NULL CHECK (reference <> ''), -- the mandate's reference, as signed
	signed_on   TEXT NOT NULL,
	revoked_at  TEXT,
	created_at  TEXT NOT NULL,
	UNIQUE (school_id, reference)
);
CREATE INDEX mandates_school ON mandates(school_id, id);

-- A school's request to move a file to another school, waiting for the
-- student's consent. Only the link's hash is kept.
CREATE TABLE request_transfers (
	id            INTEGER PRIMARY KEY,
	request_id    INTEGER NOT NULL REFERENCES requests(id),
	from_school   INTEGER NOT NULL REFERENCES users(id),
	to_school     INTEGER NOT NULL REFERENCES users(id),
	student_email TEXT NOT NULL,
	token_hash    BLOB NOT NULL UNIQUE,
	created_at    TEXT NOT NULL,
	expires_at    TEXT NOT NULL,
	used_at       TEXT
);
CREATE INDEX request_transfers_request ON request_transfers(request_id);
