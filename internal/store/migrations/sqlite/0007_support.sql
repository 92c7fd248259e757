-- Support: fault reports ("signaler un dysfonctionnement") and appeals
-- about a licence decision, their messages and attached files, and the
-- incidents agents declare on an online procedure.

CREATE TABLE tickets (
	id           INTEGER PRIMARY KEY,
	reference    TEXT NOT NULL UNIQUE,          -- shown to the person: SIG-… or REC-…
	kind         TEXT NOT NULL CHECK (kind IN ('fault', 'appeal')),
	procedure_code TEXT NOT NULL,                 -- which online procedure (support.Procedures)
	summary      TEXT NOT NULL,
	details      TEXT NOT NULL,
	contact_name TEXT NOT NULL DEFAULT '',
	email        TEXT NOT NULL,
	user_id      INTEGER REFERENCES users(id),  -- when filed signed in
	neph         TEXT NOT NULL DEFAULT '',      -- appeals: the licence concerned
	decision_ref TEXT NOT NULL DEFAULT '',      -- appeals: the decision contested
	status       TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'answered', 'closed')),
	assignee_id  INTEGER REFERENCES users(id),
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE INDEX tickets_queue ON tickets(kind, status, created_at);
CREATE INDEX tickets_user ON tickets(user_id);

CREATE TABLE ticket_messages (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
	author      TEXT NOT NULL CHECK (author IN ('person', 'agent', 'note')), -- note: private to agents
	author_id   INTEGER REFERENCES users(id),
	body        TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, id);

CREATE TABLE ticket_files (
	id           INTEGER PRIMARY KEY,
	ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
	file_key     TEXT NOT NULL UNIQUE,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL
);
CREATE INDEX ticket_files_ticket ON ticket_files(ticket_id);

CREATE TABLE incidents (
	id          INTEGER PRIMARY KEY,
	procedure_code TEXT NOT NULL,
	title       TEXT NOT NULL,
	message     TEXT NOT NULL,
	started_at  TEXT NOT NULL,
	ended_at    TEXT,
	declared_by INTEGER REFERENCES users(id),
	closed_by   INTEGER REFERENCES users(id)
);
CREATE INDEX incidents_open ON incidents(ended_at);
