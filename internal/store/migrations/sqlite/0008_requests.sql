-- Licence requests (issue 4, SQLite dialect): the request itself, its documents, its
-- timeline and its message thread. A status change is ONE conditional
-- UPDATE … WHERE status = <the status the change starts from>, checked
-- against internal/requests' lifecycle (internal/store/requests.go), so two
-- agents or a job and an agent can never both move one request. The stamp
-- and the ePhoto code are reserved and claimed in the same transaction as
-- the submission (stamps, ephoto_codes: migration 0005).

CREATE TABLE requests (
	id               INTEGER PRIMARY KEY,
	reference        TEXT NOT NULL UNIQUE,            -- DEM-2026-XXXXXX, read aloud on the phone
	kind             TEXT NOT NULL,                   -- requests.Kind
	status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'in_review',
	                 'awaiting_documents', 'accepted', 'rejected', 'in_production', 'sent', 'delivered',
	                 'held_at_post_office', 'returned')),
	owner_id         INTEGER NOT NULL REFERENCES users(id), -- the account that files and follows it
	filer_role       TEXT NOT NULL DEFAULT 'citizen' CHECK (filer_role IN ('citizen', 'driving_school')),
	mandate_ref      TEXT NOT NULL DEFAULT '',         -- a driving school's mandate from its student
	family_name      TEXT NOT NULL DEFAULT '',         -- the applicant (the student when a school files)
	given_names      TEXT NOT NULL DEFAULT '',
	birth_date       TEXT,
	email            TEXT NOT NULL DEFAULT '',         -- where the mails of each step go
	licence_id       INTEGER REFERENCES licences(id),   -- the licence in the register, when there is one
	neph             TEXT NOT NULL DEFAULT '',
	departement      TEXT NOT NULL DEFAULT '',         -- of residence: the queues and the stamp's fee
	answers          TEXT NOT NULL DEFAULT '{}',       -- JSON: the type's questions (categories, sanction…)
	stamp_number     TEXT,                             -- reserved at submission (stamps.request_ref = reference)
	ephoto_code      TEXT,                             -- claimed at submission (ephoto_codes.used_by_request)
	paper_photo      INTEGER NOT NULL DEFAULT 0 CHECK (paper_photo IN (0, 1)),   -- the paper photo-signature form (FPS) instead
	loss_declared    INTEGER NOT NULL DEFAULT 0 CHECK (loss_declared IN (0, 1)),
	loss_attestation_from  TEXT,                       -- attestation de perte: first and last day (2 months)
	loss_attestation_until TEXT,
	assignee_id      INTEGER REFERENCES users(id),      -- the agent who took the file
	locked_at        TEXT,                      -- when; the lock lapses after the configured delay
	rejection_reason TEXT NOT NULL DEFAULT '',
	title_number     TEXT,                             -- from the card maker
	mrz              TEXT,
	tracking_number  TEXT,                             -- from the carrier, per sending
	shipments        INTEGER NOT NULL DEFAULT 0,       -- how many times the card was posted
	sent_at          TEXT,
	held_at          TEXT,
	created_at       TEXT NOT NULL,
	submitted_at     TEXT,
	expected_decision TEXT,
	decided_at       TEXT,
	updated_at       TEXT NOT NULL,
	CHECK ((status = 'draft') = (submitted_at IS NULL)),
	CHECK (filer_role <> 'driving_school' OR mandate_ref <> ''),
	CHECK (status <> 'rejected' OR rejection_reason <> ''),
	CHECK ((locked_at IS NULL) = (assignee_id IS NULL))
);
CREATE INDEX requests_owner ON requests(owner_id, created_at);
CREATE INDEX requests_queue ON requests(status, kind, departement, submitted_at);
CREATE INDEX requests_track ON requests(reference, birth_date);
CREATE UNIQUE INDEX requests_title ON requests(title_number);

CREATE TABLE request_documents (
	id           INTEGER PRIMARY KEY,
	request_id   INTEGER NOT NULL REFERENCES requests(id),
	document     TEXT NOT NULL,                 -- requests.Document
	state        TEXT NOT NULL CHECK (state IN ('provided', 'requested', 'accepted', 'replaced')),
	file_key     TEXT UNIQUE,                   -- files.Stored; NULL while requested and not yet given
	content_type TEXT NOT NULL DEFAULT '',
	size         INTEGER NOT NULL DEFAULT 0,
	sha256       TEXT NOT NULL DEFAULT '',
	name         TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',      -- the agent's reason, when requested (again)
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	CHECK (state = 'requested' OR file_key IS NOT NULL),
	CHECK (state <> 'requested' OR reason <> '')
);
-- One live row per document of a request; replaced files stay for the audit.
CREATE UNIQUE INDEX request_documents_live ON request_documents(request_id, document) WHERE state <> 'replaced';

CREATE TABLE request_events (
	id          INTEGER PRIMARY KEY,
	request_id  INTEGER NOT NULL REFERENCES requests(id),
	kind        TEXT NOT NULL CHECK (kind IN ('status', 'documents', 'message', 'note', 'system')),
	event       TEXT NOT NULL DEFAULT '',       -- requests.Event of a status change
	from_status TEXT NOT NULL DEFAULT '',
	to_status   TEXT NOT NULL DEFAULT '',
	actor_role  TEXT NOT NULL DEFAULT '',       -- applicant, agent or system
	actor_id    INTEGER REFERENCES users(id),
	label       TEXT NOT NULL,                  -- French, as the timeline shows it
	detail      TEXT NOT NULL DEFAULT '',       -- French: the reason, the documents asked…
	private     INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)), -- agents only (notes)
	created_at  TEXT NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id, id);

CREATE TABLE request_messages (
	id          INTEGER PRIMARY KEY,
	request_id  INTEGER NOT NULL REFERENCES requests(id),
	author      TEXT NOT NULL CHECK (author IN ('applicant', 'agent')),
	author_id   INTEGER REFERENCES users(id),
	body        TEXT NOT NULL CHECK (body <> ''),
	private     INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)), -- a note between agents, never shown to the applicant
	created_at  TEXT NOT NULL,
	CHECK (author = 'agent' OR NOT private)
);
CREATE INDEX request_messages_request ON request_messages(request_id, id);
