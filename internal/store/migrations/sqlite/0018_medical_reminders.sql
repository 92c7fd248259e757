-- Medical fitness (issue 13, SQLite): the reminders sent before a heavy
-- category's medical validity ends, one per licence and end date, so that
-- a daily run (or two at once) never mails twice.
CREATE TABLE medical_reminders (
	licence_id    INTEGER NOT NULL REFERENCES licences(id),
	medical_until TEXT NOT NULL,
	sent_at       TEXT NOT NULL,
	PRIMARY KEY (licence_id, medical_until)
);
