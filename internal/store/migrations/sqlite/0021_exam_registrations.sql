-- Registration for the exams (issue 14 §1, SQLite dialect). A candidate
-- with no licence is NOT a licence: their NEPH lives here, on their
-- accepted registration (docs/exams.md, "Registration: the flow").
CREATE TABLE exam_registrations (
	id          INTEGER PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,                 -- INS-XXXXXXXX, unguessable
	user_id     INTEGER NOT NULL REFERENCES users(id), -- the candidate's account
	category    TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('filed', 'accepted', 'rejected')),
	neph        TEXT,                                 -- set when accepted
	licence_id  INTEGER REFERENCES licences(id),      -- the licence reactivated after invalidation or annulment
	details     TEXT NOT NULL DEFAULT '{}',           -- what the candidate declared (JSON)
	reason      TEXT NOT NULL DEFAULT '',             -- the refusal's reason
	filed_on    TEXT NOT NULL,
	decided_at  TEXT,
	created_at  TEXT NOT NULL
);
-- One registration in progress or accepted per candidate and category.
CREATE UNIQUE INDEX exam_registrations_one ON exam_registrations(user_id, category) WHERE state <> 'rejected';
-- A new NEPH is given to one person only.
CREATE UNIQUE INDEX exam_registrations_neph ON exam_registrations(neph, category) WHERE neph IS NOT NULL;
CREATE INDEX exam_registrations_state ON exam_registrations(state, id);
