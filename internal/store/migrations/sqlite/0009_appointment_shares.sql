-- A person lets the agents of a help point see one of their open licence
-- requests to prepare an appointment: one row per appointment, until the
-- appointment ends (the agenda only shows it for appointments that hold a
-- seat).
CREATE TABLE appointment_shares (
	appointment_id INTEGER PRIMARY KEY REFERENCES appointments(id),
	request_id     INTEGER NOT NULL REFERENCES requests(id),
	granted_at     TEXT NOT NULL
);
