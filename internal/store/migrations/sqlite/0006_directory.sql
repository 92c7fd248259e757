-- 0006: the directories (issue 5), SQLite dialect: approved ePhoto photographers and photo booths,
-- approved doctors, medical commissions and help points, imported from CSV or from the national
-- mediation-places schema. docs/directory.md tells the design.
--
-- (source, source_id) is the entry's identity: importing a file again updates its entries in place
-- (an upsert), and content_hash lets an unchanged entry be left alone. commune_key and name_key are
-- the folded forms (directory.FoldCommune, FoldName) that searches compare and sort on; lat/lon carry
-- the index of the bounding-box prefilter of a distance search, which Go then refines by haversine.
-- Lists (typology, services) are JSON arrays of strings.

CREATE TABLE directory_entries (
	id              INTEGER PRIMARY KEY,
	source          TEXT NOT NULL,
	source_id       TEXT NOT NULL,
	kind            TEXT NOT NULL,             -- photographer | photo_booth | approved_doctor | medical_commission | help_point
	typology        TEXT NOT NULL DEFAULT '[]', -- data.inclusion codes: ["RFS","MUNI"]
	name            TEXT NOT NULL,
	name_key        TEXT NOT NULL,
	address         TEXT NOT NULL DEFAULT '',
	complement      TEXT NOT NULL DEFAULT '',
	postal_code     TEXT NOT NULL,
	commune         TEXT NOT NULL,
	commune_key     TEXT NOT NULL,
	insee           TEXT NOT NULL DEFAULT '',
	lat             REAL,                      -- WGS84 degrees; both NULL when unknown
	lon             REAL,
	phone           TEXT NOT NULL DEFAULT '',
	email           TEXT NOT NULL DEFAULT '',
	website         TEXT NOT NULL DEFAULT '',
	opening_hours   TEXT NOT NULL DEFAULT '',  -- OpenStreetMap opening_hours syntax
	services        TEXT NOT NULL DEFAULT '[]',
	accessibility   TEXT NOT NULL DEFAULT '',
	appointment     TEXT NOT NULL DEFAULT '',
	approval_number TEXT NOT NULL DEFAULT '',
	updated_on      TEXT,                      -- the source's date of last update
	content_hash    TEXT NOT NULL,
	revision        INTEGER NOT NULL DEFAULT 1, -- 1 when inserted, +1 at each change
	created_at      TEXT NOT NULL,
	changed_at      TEXT NOT NULL,
	UNIQUE (source, source_id),
	CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX directory_entries_commune ON directory_entries(commune_key, name_key);
CREATE INDEX directory_entries_postal ON directory_entries(postal_code);
CREATE INDEX directory_entries_position ON directory_entries(lat, lon) WHERE lat IS NOT NULL;
CREATE INDEX directory_entries_kind ON directory_entries(kind);
