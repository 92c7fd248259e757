-- Registration for the exams, filed with its documents, by the candidate or
-- by a driving school under the student's mandate (issue 14 §1, SQLite
-- dialect; docs/exams.md, "Documents" and "Filed by a driving school").
-- A school files for a student who may have no account yet: user_id becomes
-- optional (set when the student signs in and is matched, see LinkExamRegistration),
-- and the registration names the mandate. SQLite cannot drop a NOT NULL:
-- the table is rebuilt (nothing references it yet).
CREATE TABLE exam_registrations_new (
	id          INTEGER PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,                  -- INS-XXXXXXXX, unguessable
	user_id     INTEGER REFERENCES users(id),          -- the candidate's account; NULL until a school's student is matched
	mandate_id  INTEGER REFERENCES mandates(id),       -- set when a driving school files under mandate
	category    TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('filed', 'accepted', 'rejected')),
	neph        TEXT,                                  -- set when accepted
	licence_id  INTEGER REFERENCES licences(id),       -- the licence reactivated after invalidation or annulment
	details     TEXT NOT NULL DEFAULT '{}',            -- what the candidate declared (JSON)
	reason      TEXT NOT NULL DEFAULT '',              -- the refusal's reason
	ephoto_code TEXT NOT NULL DEFAULT '',              -- claimed at filing (ephoto_codes.used_by_request = reference)
	paper_photo INTEGER NOT NULL DEFAULT 0 CHECK (paper_photo IN (0, 1)), -- the paper photo-signature form (FPS) instead
	filed_on    TEXT NOT NULL,
	decided_at  TEXT,
	created_at  TEXT NOT NULL,
	CHECK (user_id IS NOT NULL OR mandate_id IS NOT NULL)
);
INSERT INTO exam_registrations_new (id, reference, user_id, category, state, neph, licence_id, details, reason, filed_on, decided_at, created_at)
	SELECT id, reference, user_id, category, state, neph, licence_id, details, reason, filed_on, decided_at, created_at FROM exam_registrations;
DROP TABLE exam_registrations;
ALTER TABLE exam_registrations_new RENAME TO exam_registrations;
-- One registration in progress or accepted per candidate and category, and per mandate and category.
CREATE UNIQUE INDEX exam_registrations_one ON exam_registrations(user_id, category) WHERE state <> 'rejected' AND user_id IS NOT NULL;
CREATE UNIQUE INDEX exam_registrations_mandate_one ON exam_registrations(mandate_id, category) WHERE state <> 'rejected' AND mandate_id IS NOT NULL;
-- A new NEPH is given to one person only.
CREATE UNIQUE INDEX exam_registrations_neph ON exam_registrations(neph, category) WHERE neph IS NOT NULL;
CREATE INDEX exam_registrations_state ON exam_registrations(state, id);
CREATE INDEX exam_registrations_unlinked ON exam_registrations(mandate_id) WHERE user_id IS NULL;

-- The documents filed with a registration: one file per document, checked by
-- content (files.Accept), kept in the files store under an unguessable key.
CREATE TABLE exam_registration_documents (
	id              INTEGER PRIMARY KEY,
	registration_id INTEGER NOT NULL REFERENCES exam_registrations(id),
	document        TEXT NOT NULL,                     -- requests.Document code
	file_key        TEXT NOT NULL UNIQUE,
	content_type    TEXT NOT NULL,
	size            INTEGER NOT NULL,
	sha256          TEXT NOT NULL,
	name            TEXT NOT NULL DEFAULT '',          -- as the browser named it, for display only
	created_at      TEXT NOT NULL,
	UNIQUE (registration_id, document)
);
