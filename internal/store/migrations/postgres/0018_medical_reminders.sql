-- Medical fitness (issue 13, PostgreSQL): the reminders sent before a
-- heavy category's medical validity ends, one per licence and end date, so
-- that a daily run (or two at once) never mails twice.
CREATE TABLE medical_reminders (
	licence_id    BIGINT NOT NULL REFERENCES licences(id),
	medical_until DATE NOT NULL,
	sent_at       TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (licence_id, medical_until)
);
