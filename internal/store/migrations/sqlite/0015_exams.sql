-- Exams (issue 14, SQLite dialect). Theory-test results reported by the
-- approved operators (exam_operator tokens, one per operator account).

-- One active token per exam operator's account: a second is refused by the
-- database, whatever the command that asks for it.
CREATE UNIQUE INDEX api_tokens_one_exam_operator ON api_tokens(user_id)
	WHERE role = 'exam_operator' AND revoked_at IS NULL;

CREATE TABLE theory_results (
	id          INTEGER PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,                 -- ETG-XXXXXXXX, returned to the operator
	neph        TEXT NOT NULL,                        -- the candidate's dossier number
	taken_on    TEXT NOT NULL,                        -- the sitting's day (YYYY-MM-DD)
	passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
	operator_id INTEGER NOT NULL REFERENCES users(id), -- the approved operator's account
	recorded_at TEXT NOT NULL,
	UNIQUE (neph, taken_on)                           -- one sitting per candidate and day
);
CREATE INDEX theory_results_neph ON theory_results(neph, taken_on);
