-- Trust (issue 10, findings 2 and 3).
--
-- One citizen account per licence. Links made before this rule could give
-- one licence to several accounts: the first account keeps it, the others
-- must link again with a proof of identity.
UPDATE users SET licence_id = NULL, linked_at = NULL
WHERE licence_id IS NOT NULL
  AND id NOT IN (SELECT min(id) FROM users WHERE licence_id IS NOT NULL GROUP BY licence_id);
DROP INDEX users_licence;
CREATE UNIQUE INDEX users_licence ON users(licence_id);

-- Activation codes posted to the register's address, which let a local
-- account link a licence: valid 30 days, single use, only the hash kept.
CREATE TABLE licence_link_codes (
	hash       BLOB PRIMARY KEY,                       -- SHA-256 of the code
	user_id    INTEGER NOT NULL REFERENCES users(id),  -- the account that asked for it
	licence_id INTEGER NOT NULL REFERENCES licences(id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT
);
CREATE INDEX licence_link_codes_user ON licence_link_codes(user_id, created_at);

-- Postal letters to holders, in the order they are to be printed and posted
-- by the mail production line (the print service picks the pending ones).
CREATE TABLE postal_letters (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,                      -- licence_link_code…
	recipient  TEXT NOT NULL CHECK (recipient <> ''),
	address    TEXT NOT NULL CHECK (address <> ''), -- one line of the envelope per line
	subject    TEXT NOT NULL,
	body_text  TEXT NOT NULL,
	licence_id INTEGER REFERENCES licences(id),
	status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'printed')),
	created_at TEXT NOT NULL,
	printed_at TEXT
);
CREATE INDEX postal_letters_status ON postal_letters(status, id);

-- At most one open request of each kind per licence: two loss requests
-- filed at the same instant used to get an attestation each.
CREATE UNIQUE INDEX requests_open_per_licence ON requests(licence_id, kind)
	WHERE licence_id IS NOT NULL AND status NOT IN ('draft', 'rejected', 'delivered');
