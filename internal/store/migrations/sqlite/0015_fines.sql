-- Fines and their contests (issue 12, docs/contest.md §11.9). A notice is
-- found by its printed number and its plate; every change of its state is
-- one conditional UPDATE (WHERE state = 'open'), so that of a payment and a
-- contest arriving together from two instances exactly one wins.
CREATE TABLE fine_notices (
	id                 INTEGER PRIMARY KEY,
	number             TEXT NOT NULL UNIQUE CHECK (number <> ''),
	plate              TEXT NOT NULL CHECK (plate <> ''),
	kind               TEXT NOT NULL CHECK (kind IN ('aco', 'afm')),
	committed          TEXT NOT NULL,
	place              TEXT NOT NULL DEFAULT '',
	nature             TEXT NOT NULL DEFAULT '',
	class              TEXT NOT NULL CHECK (class IN ('1', '2', '3', '4', '5', 'delit')),
	reduced            INTEGER NOT NULL DEFAULT 0,  -- euros; 0 when no reduced rate
	fine               INTEGER NOT NULL CHECK (fine > 0),
	increased          INTEGER NOT NULL DEFAULT 0,
	points             INTEGER NOT NULL CHECK (points BETWEEN 0 AND 6),
	holder_kind        TEXT NOT NULL CHECK (holder_kind IN ('person', 'company')),
	holder_name        TEXT NOT NULL CHECK (holder_name <> ''), -- family name, or the company's name
	holder_given_names TEXT NOT NULL DEFAULT '',
	holder_birth_date  TEXT,
	holder_siren       TEXT NOT NULL DEFAULT '',
	holder_address     TEXT NOT NULL DEFAULT '',
	holder_email       TEXT NOT NULL DEFAULT '',
	licence_id         INTEGER REFERENCES licences(id), -- the holder's licence when known
	sent               TEXT NOT NULL,
	mail               TEXT NOT NULL CHECK (mail IN ('ordinary', 'registered')),
	state              TEXT NOT NULL CHECK (state IN ('open', 'contested', 'paid', 'designated', 'dismissed', 'established')),
	replaces_id        INTEGER REFERENCES fine_notices(id),        -- designation: the holder's notice
	non_designation_of INTEGER UNIQUE REFERENCES fine_notices(id), -- L121-6: the notice not designated
	established_on     TEXT,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL
);
CREATE INDEX fine_notices_licence ON fine_notices(licence_id) WHERE licence_id IS NOT NULL;
CREATE INDEX fine_notices_company ON fine_notices(sent) WHERE holder_kind = 'company' AND non_designation_of IS NULL;

CREATE TABLE fine_contests (
	id             INTEGER PRIMARY KEY,
	reference      TEXT NOT NULL UNIQUE,
	notice_id      INTEGER NOT NULL REFERENCES fine_notices(id),
	ground         TEXT NOT NULL,
	reasons        TEXT NOT NULL DEFAULT '',
	deposit        INTEGER NOT NULL DEFAULT 0, -- euros due as consignation
	filed          TEXT NOT NULL,
	deadline       TEXT NOT NULL,
	email          TEXT NOT NULL DEFAULT '',
	state          TEXT NOT NULL CHECK (state IN ('deposit_due', 'pending', 'court', 'inadmissible', 'designated',
		'dropped', 'acquitted', 'convicted')),
	decision       TEXT NOT NULL DEFAULT '', -- the latest decision's reasons
	court_final_on TEXT,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX fine_contests_notice ON fine_contests(notice_id);
CREATE INDEX fine_contests_queue ON fine_contests(state, deadline, id);

CREATE TABLE fine_contest_documents (
	id           INTEGER PRIMARY KEY,
	contest_id   INTEGER NOT NULL REFERENCES fine_contests(id),
	kind         TEXT NOT NULL,
	file_key     TEXT NOT NULL DEFAULT '', -- '' when declared only (sent by post)
	file_name    TEXT NOT NULL DEFAULT '',
	content_type TEXT NOT NULL DEFAULT '',
	size         INTEGER NOT NULL DEFAULT 0,
	sha256       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fine_contest_documents_contest ON fine_contest_documents(contest_id);

CREATE TABLE fine_designations (
	id             INTEGER PRIMARY KEY,
	notice_id      INTEGER NOT NULL UNIQUE REFERENCES fine_notices(id),
	new_notice_id  INTEGER NOT NULL REFERENCES fine_notices(id),
	family_name    TEXT NOT NULL CHECK (family_name <> ''),
	given_names    TEXT NOT NULL CHECK (given_names <> ''),
	birth_date     TEXT,
	address        TEXT NOT NULL CHECK (address <> ''),
	licence_number TEXT NOT NULL CHECK (licence_number <> ''),
	email          TEXT NOT NULL DEFAULT '',
	designated_at  TEXT NOT NULL
);

CREATE TABLE fine_payments (
	id           INTEGER PRIMARY KEY,
	notice_id    INTEGER NOT NULL REFERENCES fine_notices(id),
	kind         TEXT NOT NULL CHECK (kind IN ('fine', 'deposit')),
	amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
	paid_on      TEXT NOT NULL,
	provider_ref TEXT NOT NULL UNIQUE,
	state        TEXT NOT NULL CHECK (state IN ('kept', 'refund_due', 'refunded')),
	created_at   TEXT NOT NULL
);
CREATE INDEX fine_payments_notice ON fine_payments(notice_id);

CREATE TABLE fine_decisions (
	id             INTEGER PRIMARY KEY,
	contest_id     INTEGER NOT NULL REFERENCES fine_contests(id),
	kind           TEXT NOT NULL,
	reasons        TEXT NOT NULL,
	decided_by     TEXT NOT NULL,
	decided_at     TEXT NOT NULL,
	court_final_on TEXT
);
CREATE INDEX fine_decisions_contest ON fine_decisions(contest_id);
