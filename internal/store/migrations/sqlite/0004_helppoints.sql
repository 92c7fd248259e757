-- 0004: help points and appointments (issue 5). docs/appointments.md tells the design.
--
-- No double booking, guaranteed by the database: an appointment occupies
-- one row of appointment_cells per 5-minute cell of its period on its seat
-- (seat 1…agents on duty), and (help_point_id, at, seat) is the primary
-- key. Two appointments of any lengths can thus never overlap on one seat,
-- whatever the races between server instances. Cancelling or expiring an
-- appointment deletes its cells, in the same transaction as its new status.
-- Booleans are INTEGER 0/1 in both dialects, so that partial-index
-- predicates are written the same way.

CREATE TABLE help_points (
	id            INTEGER PRIMARY KEY,
	type          TEXT NOT NULL,             -- prefecture | sub_prefecture | france_services | digital_point
	name          TEXT NOT NULL,
	address       TEXT NOT NULL,
	postal_code   TEXT NOT NULL,
	commune       TEXT NOT NULL,
	insee         TEXT NOT NULL,             -- INSEE code of the commune
	departement   TEXT NOT NULL,             -- from insee: public holidays, lists
	lat           REAL NOT NULL,
	lon           REAL NOT NULL,
	phone         TEXT NOT NULL DEFAULT '',
	email         TEXT NOT NULL DEFAULT '',
	services      TEXT NOT NULL DEFAULT '',  -- one per line
	accessibility TEXT NOT NULL DEFAULT '',
	opening_hours TEXT NOT NULL,             -- OpenStreetMap opening_hours syntax
	agents        INTEGER NOT NULL CHECK (agents >= 1), -- agents on duty by default: the seats of a slot
	created_at    TEXT NOT NULL
);
CREATE INDEX help_points_departement ON help_points(departement, commune);

CREATE TABLE help_point_closures (
	id            INTEGER PRIMARY KEY,
	help_point_id INTEGER NOT NULL REFERENCES help_points(id),
	from_day      TEXT NOT NULL,
	to_day        TEXT NOT NULL,             -- included
	reason        TEXT NOT NULL,
	created_at    TEXT NOT NULL,
	CHECK (to_day >= from_day)
);
CREATE INDEX help_point_closures_point ON help_point_closures(help_point_id, to_day);

CREATE TABLE appointment_kinds (
	id      INTEGER PRIMARY KEY,
	code    TEXT NOT NULL UNIQUE,
	label   TEXT NOT NULL,
	minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes % 5 = 0)
);

-- The kinds a help point offers.
CREATE TABLE help_point_kinds (
	help_point_id INTEGER NOT NULL REFERENCES help_points(id),
	kind_id       INTEGER NOT NULL REFERENCES appointment_kinds(id),
	PRIMARY KEY (help_point_id, kind_id)
) WITHOUT ROWID;

CREATE TABLE waiting_list (
	id             INTEGER PRIMARY KEY,
	help_point_id  INTEGER NOT NULL REFERENCES help_points(id),
	kind_id        INTEGER NOT NULL REFERENCES appointment_kinds(id),
	person_key     TEXT NOT NULL,            -- 'user:42' or 'email:name@example.fr'
	user_id        INTEGER REFERENCES users(id),
	name           TEXT NOT NULL,
	email          TEXT NOT NULL,
	phone          TEXT NOT NULL DEFAULT '',
	from_day       TEXT NOT NULL,
	to_day         TEXT NOT NULL,
	status         TEXT NOT NULL,            -- unconfirmed | waiting | offered | served | left | lapsed
	created_at     TEXT NOT NULL,
	queued_at      TEXT,                     -- the place in line
	hold_until     TEXT,                     -- unconfirmed: lapses then
	confirm_hash   BLOB UNIQUE,
	manage_hash    BLOB UNIQUE,
	appointment_id INTEGER                   -- the appointment offered
);
-- One live entry per person, help point and kind.
CREATE UNIQUE INDEX waiting_list_one ON waiting_list(help_point_id, kind_id, person_key)
	WHERE status IN ('unconfirmed', 'waiting', 'offered');
CREATE INDEX waiting_list_line ON waiting_list(help_point_id, kind_id, queued_at) WHERE status = 'waiting';

CREATE TABLE appointments (
	id               INTEGER PRIMARY KEY,
	uid              TEXT NOT NULL UNIQUE,   -- the calendar event's UID, kept across moves
	help_point_id    INTEGER NOT NULL REFERENCES help_points(id),
	kind_id          INTEGER NOT NULL REFERENCES appointment_kinds(id),
	starts_at        TEXT NOT NULL,
	ends_at          TEXT NOT NULL,
	seat             INTEGER NOT NULL CHECK (seat >= 1),
	status           TEXT NOT NULL,          -- pending | confirmed | cancelled | expired | attended | no_show
	origin           TEXT NOT NULL,          -- booking | waiting_list
	person_key       TEXT NOT NULL,
	-- 1 while it is the person's upcoming appointment of its kind: cleared when
	-- cancelled, expired, attended, missed, or found past at the person's next booking.
	upcoming         INTEGER NOT NULL CHECK (upcoming IN (0, 1)),
	user_id          INTEGER REFERENCES users(id),
	name             TEXT NOT NULL,
	email            TEXT NOT NULL,
	phone            TEXT NOT NULL DEFAULT '',
	sequence         INTEGER NOT NULL DEFAULT 0, -- iCalendar SEQUENCE
	created_at       TEXT NOT NULL,
	hold_until       TEXT,                   -- pending: expires then
	confirmed_at     TEXT,
	cancelled_at     TEXT,
	attendance_at    TEXT,
	reminder_due_at  TEXT,
	reminder_sent_at TEXT,
	confirm_hash     BLOB UNIQUE,            -- SHA-256 of the confirmation link's token
	manage_hash      BLOB UNIQUE,            -- SHA-256 of the cancel/move link's token
	waiting_id       INTEGER REFERENCES waiting_list(id),
	CHECK (ends_at > starts_at)
);
-- MaxFutureAppointmentsPerKind (1), enforced here.
CREATE UNIQUE INDEX appointments_one_upcoming ON appointments(person_key, kind_id) WHERE upcoming = 1;
-- A second guard on the row itself: one holding appointment per start and seat.
CREATE UNIQUE INDEX appointments_seat ON appointments(help_point_id, starts_at, seat)
	WHERE status IN ('pending', 'confirmed', 'attended', 'no_show');
CREATE INDEX appointments_agenda ON appointments(help_point_id, starts_at);
CREATE INDEX appointments_person ON appointments(person_key, starts_at);
CREATE INDEX appointments_reminders ON appointments(reminder_due_at)
	WHERE status = 'confirmed' AND reminder_sent_at IS NULL;
CREATE INDEX appointments_holds ON appointments(hold_until) WHERE status = 'pending';

-- The seats taken, one row per 5-minute cell (booking.Grain).
CREATE TABLE appointment_cells (
	help_point_id  INTEGER NOT NULL,
	at             TEXT NOT NULL,
	seat           INTEGER NOT NULL,
	appointment_id INTEGER NOT NULL REFERENCES appointments(id),
	PRIMARY KEY (help_point_id, at, seat)
);
CREATE INDEX appointment_cells_appointment ON appointment_cells(appointment_id);
