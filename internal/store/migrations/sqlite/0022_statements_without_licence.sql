-- 0022: a signed document of a person who holds no licence (the CEPC of a
-- candidat libre, issue 14): it names the NEPH of their accepted exam
-- registration instead of a licence. Every document names one or the other.
-- SQLite cannot drop a NOT NULL: the table is rebuilt (nothing references it).
CREATE TABLE statements_0022 (
	id          INTEGER PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,
	licence_id  INTEGER REFERENCES licences(id), -- NULL: the holder has no licence (neph set)
	neph        TEXT,                            -- the accepted registration's NEPH, when no licence
	kind        TEXT NOT NULL,                   -- rii | adcs | loss | cepc
	issued_at   TEXT NOT NULL,
	valid_until TEXT,
	barcode     TEXT NOT NULL,                   -- the 2D-Doc text
	requested_by TEXT NOT NULL,                  -- 'user:42', 'check:7', 'exam:RDV-…'
	CHECK (licence_id IS NOT NULL OR neph IS NOT NULL)
);
INSERT INTO statements_0022 (id, reference, licence_id, kind, issued_at, valid_until, barcode, requested_by)
	SELECT id, reference, licence_id, kind, issued_at, valid_until, barcode, requested_by FROM statements;
DROP TABLE statements;
ALTER TABLE statements_0022 RENAME TO statements;
CREATE INDEX statements_licence ON statements(licence_id);
CREATE INDEX statements_barcode ON statements(barcode);
