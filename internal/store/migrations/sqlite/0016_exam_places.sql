-- Practical-exam places (issue 14, SQLite dialect), RdvPermis-style. The
-- road-education bureau publishes a release: places per exam centre,
-- half-day and category, opening at an announced time. A place is booked by
-- name (the candidate's NEPH). Two partial unique indexes are the
-- guarantees: a place has at most one active booking, a candidate at most
-- one active booking per category. The requests of a release's first
-- minutes queue (exam_queue, one entry per candidate and category) and are
-- drawn once (exam_releases.drawn_at set by one conditional UPDATE).

CREATE TABLE exam_centres (
	id          INTEGER PRIMARY KEY,
	code        TEXT NOT NULL UNIQUE,        -- e.g. 34-LATTES
	name        TEXT NOT NULL,
	departement TEXT NOT NULL,
	address     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE exam_releases (
	id           INTEGER PRIMARY KEY,
	centre_id    INTEGER NOT NULL REFERENCES exam_centres(id),
	opens_at     TEXT NOT NULL,               -- the announced opening
	published_by INTEGER NOT NULL REFERENCES users(id),
	created_at   TEXT NOT NULL,
	drawn_at     TEXT,                        -- when the window's queue was drawn (once)
	seed         BLOB                         -- the draw's seed, to replay it
);

CREATE TABLE exam_places (
	id         INTEGER PRIMARY KEY,
	release_id INTEGER NOT NULL REFERENCES exam_releases(id),
	centre_id  INTEGER NOT NULL REFERENCES exam_centres(id),
	day        TEXT NOT NULL,                 -- YYYY-MM-DD
	half       TEXT NOT NULL CHECK (half IN ('am', 'pm')),
	category   TEXT NOT NULL,
	seat       INTEGER NOT NULL,
	UNIQUE (centre_id, day, half, category, seat)
);
CREATE INDEX exam_places_release ON exam_places(release_id);

CREATE TABLE exam_queue (
	id          INTEGER PRIMARY KEY,
	release_id  INTEGER NOT NULL REFERENCES exam_releases(id),
	neph        TEXT NOT NULL,
	category    TEXT NOT NULL,
	booker_id   INTEGER NOT NULL REFERENCES users(id),
	booker_role TEXT NOT NULL,
	mandate_ref TEXT NOT NULL DEFAULT '',
	email       TEXT NOT NULL DEFAULT '',
	details     TEXT NOT NULL DEFAULT '{}',   -- JSON: companion, vehicle, training declared
	joined_at   TEXT NOT NULL,
	outcome     TEXT,                          -- booked, no_place, refused: set by the draw
	UNIQUE (release_id, neph, category)
);

CREATE TABLE exam_bookings (
	id            INTEGER PRIMARY KEY,
	reference     TEXT NOT NULL UNIQUE,        -- RDV-XXXXXXXX
	place_id      INTEGER NOT NULL REFERENCES exam_places(id),
	neph          TEXT NOT NULL,
	category      TEXT NOT NULL,
	booker_id     INTEGER NOT NULL REFERENCES users(id),
	booker_role   TEXT NOT NULL CHECK (booker_role IN ('citizen', 'driving_school')),
	mandate_ref   TEXT NOT NULL DEFAULT '',
	email         TEXT NOT NULL DEFAULT '',
	details       TEXT NOT NULL DEFAULT '{}',
	state         TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'late_cancelled', 'done')),
	active        INTEGER NOT NULL CHECK (active IN (0, 1)),
	result        TEXT CHECK (result IN ('favourable', 'unfavourable', 'absent')),
	force_majeure INTEGER NOT NULL DEFAULT 0 CHECK (force_majeure IN (0, 1)),
	examiner_id   INTEGER REFERENCES users(id),
	created_at    TEXT NOT NULL,
	cancelled_at  TEXT,
	result_at     TEXT,
	CHECK ((active = 1) = (state = 'booked'))
);
CREATE UNIQUE INDEX exam_bookings_place ON exam_bookings(place_id) WHERE active = 1;
CREATE UNIQUE INDEX exam_bookings_pending ON exam_bookings(neph, category) WHERE active = 1;
CREATE INDEX exam_bookings_neph ON exam_bookings(neph);
