-- SMS: a citizen's mobile number for notices (opt-in from their space) and
-- the SMS outbox, written in the transaction of the change that causes the
-- notice and sent by the server's SMS relay through the configured provider.
ALTER TABLE users ADD COLUMN sms_phone TEXT NOT NULL DEFAULT '';

CREATE TABLE sms_outbox (
	id         INTEGER PRIMARY KEY,
	created_at TEXT NOT NULL,
	to_phone   TEXT NOT NULL,   -- E.164: +33612345678
	body       TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	sent_at    TEXT
);
CREATE INDEX sms_outbox_pending ON sms_outbox(status, id);
