-- Requests core (issue 4): electronic fiscal stamps and ePhoto codes.
-- Single use is the database's job, not the application's: a stamp is
-- reserved, consumed, released or refunded, and an ePhoto code claimed, by
-- ONE conditional UPDATE … WHERE state = … RETURNING (internal/store/stamps.go,
-- ephoto.go), so two requests filed at the same instant on two servers
-- cannot both get it. The CHECK constraints keep every row coherent.

CREATE TABLE stamps (
	id               INTEGER PRIMARY KEY,
	number           TEXT NOT NULL UNIQUE
	                 CHECK (length(number) = 16 AND number NOT GLOB '*[^0-9]*'), -- the 16 digits (REFERENCE §8)
	amount_cents     INTEGER NOT NULL CHECK (amount_cents > 0),
	purchased_at     TEXT NOT NULL,
	valid_until      TEXT NOT NULL,       -- last day it may be attached to a request (12 months)
	refundable_until TEXT NOT NULL,       -- last day a refund may be asked (18 months)
	transaction_ref  TEXT NOT NULL DEFAULT '', -- the payment's reference, needed for a refund
	state            TEXT NOT NULL DEFAULT 'available'
	                 CHECK (state IN ('available', 'reserved', 'consumed', 'refunded')),
	request_ref      TEXT,                -- the request holding it (reserved) or that used it (consumed)
	reserved_at      TEXT,
	consumed_at      TEXT,
	released_at      TEXT,                -- last release after a rejection
	refunded_at      TEXT,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	CHECK ((state IN ('reserved', 'consumed')) = (request_ref IS NOT NULL)),
	CHECK (state <> 'consumed' OR consumed_at IS NOT NULL),
	CHECK (state <> 'refunded' OR refunded_at IS NOT NULL)
);
CREATE INDEX stamps_request ON stamps(request_ref);

CREATE TABLE ephoto_codes (
	id              INTEGER PRIMARY KEY,
	code_hash       BLOB NOT NULL UNIQUE,  -- SHA-256 of the 22-character code: the code itself is never stored
	hint            TEXT NOT NULL,         -- its last characters, for the photographer's list
	photographer_id INTEGER NOT NULL REFERENCES users(id), -- approved photographer's or booth's account
	approval_number TEXT NOT NULL CHECK (approval_number <> ''), -- its approval number at capture time
	photo_key       TEXT NOT NULL CHECK (photo_key <> ''),     -- storage key of the photo
	signature_key   TEXT NOT NULL CHECK (signature_key <> ''), -- storage key of the signature
	created_at      TEXT NOT NULL,
	expires_at      TEXT NOT NULL,         -- first instant it is no longer valid (6 months)
	used_at         TEXT,
	used_by_request TEXT,
	CHECK ((used_at IS NULL) = (used_by_request IS NULL)),
	CHECK (expires_at > created_at)
);
CREATE INDEX ephoto_codes_photographer ON ephoto_codes(photographer_id, created_at);
CREATE INDEX ephoto_codes_request ON ephoto_codes(used_by_request);
