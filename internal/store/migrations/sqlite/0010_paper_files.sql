-- Paper files received by post (issue 4 item 9): since November 2017
-- licence requests are filed online only, so a paper file is recorded by
-- an agent and sent back with a letter that explains the online path. The
-- sender's name and address are what the return letter needs, nothing more.
CREATE TABLE paper_files (
	id          INTEGER PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,              -- COU-XXXX-XXXX, printed on the letter
	sender_name TEXT NOT NULL CHECK (sender_name <> ''),
	address     TEXT NOT NULL CHECK (address <> ''), -- postal address, one line per line of the envelope
	received_on TEXT NOT NULL,                     -- the day the post brought it
	contents    TEXT NOT NULL CHECK (contents <> ''), -- what it was (a loss request form, photos…)
	recorded_by INTEGER NOT NULL REFERENCES users(id),
	created_at  TEXT NOT NULL
);
CREATE INDEX paper_files_received ON paper_files(received_on, id);
