-- Medical fitness to drive (issue 13, SQLite dialect): the approved
-- doctors' approvals and the opinions they (or a commission) record.

-- An approved doctor's approval (agrément préfectoral, arrêté du 31 juillet
-- 2012 art. 6): its number and its validity, on the doctor's account. An
-- approval whose validity has ended is refused by the application.
CREATE TABLE doctor_approvals (
	user_id         INTEGER PRIMARY KEY REFERENCES users(id),
	approval_number TEXT NOT NULL,
	valid_from      TEXT NOT NULL, -- YYYY-MM-DD
	valid_until     TEXT NOT NULL, -- last day of the approval (YYYY-MM-DD)
	departement     TEXT NOT NULL DEFAULT ''
);

-- A medical opinion (cerfa 14880), recorded electronically and sealed by
-- the service: it replaces the paper form. request_id is the pending
-- request it was joined to, if any.
CREATE TABLE medical_opinions (
	id              INTEGER PRIMARY KEY,
	reference       TEXT NOT NULL UNIQUE,       -- AVM-XXXXXXXX, random
	licence_id      INTEGER NOT NULL REFERENCES licences(id),
	examiner        TEXT NOT NULL CHECK (examiner IN ('approved_doctor', 'commission')),
	doctor_id       INTEGER NOT NULL REFERENCES users(id),
	approval_number TEXT NOT NULL,
	outcome         TEXT NOT NULL CHECK (outcome IN ('fit', 'fit_limited', 'fit_restricted', 'unfit')),
	examined        TEXT NOT NULL,              -- YYYY-MM-DD
	until_day       TEXT,                       -- end of a temporary fitness
	restrictions    TEXT NOT NULL DEFAULT '',   -- EU codes, space separated
	categories      TEXT NOT NULL DEFAULT '',   -- categories examined, space separated
	request_id      INTEGER REFERENCES requests(id),
	seal            TEXT NOT NULL,              -- the service's signature of the opinion's content
	recorded_at     TEXT NOT NULL
);
CREATE INDEX medical_opinions_doctor ON medical_opinions(doctor_id, recorded_at);
CREATE INDEX medical_opinions_licence ON medical_opinions(licence_id, recorded_at);
