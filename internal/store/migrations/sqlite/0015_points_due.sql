-- When each licence's points must be replayed again (issue 15, item 1): the
-- nightly pass replays only the licences whose due date has come, not the
-- whole register. due is the next date at which the replay's answer can
-- change (a recovery, a probation step, a course's credit, an event dated
-- after the last pass), NULL when nothing is scheduled; a change to the
-- ledger sets it to 0001-01-01 (due at once) and counts one more change, so
-- a pass that read the ledger before the change does not clear the mark
-- (it writes only WHERE changes is still the value it read).
CREATE TABLE points_due (
	licence_id INTEGER PRIMARY KEY,
	due        TEXT,
	changes    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX points_due_due ON points_due(due) WHERE due IS NOT NULL;

-- Every licence already in the register is due: the first pass after this
-- migration is a full one.
INSERT INTO points_due (licence_id, due, changes) SELECT id, '0001-01-01', 1 FROM licences;

CREATE TRIGGER points_due_event_insert AFTER INSERT ON point_events
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (NEW.licence_id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
CREATE TRIGGER points_due_event_delete AFTER DELETE ON point_events
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (OLD.licence_id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
CREATE TRIGGER points_due_event_update AFTER UPDATE ON point_events
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (OLD.licence_id, '0001-01-01', 1), (NEW.licence_id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
CREATE TRIGGER points_due_licence_insert AFTER INSERT ON licences
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (NEW.id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
CREATE TRIGGER points_due_licence_update AFTER UPDATE OF obtained, probation, complementary_training ON licences
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (NEW.id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
-- The reobtained restriction changes the probation (licence.CodeReobtained).
CREATE TRIGGER points_due_restriction_insert AFTER INSERT ON licence_restrictions
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (NEW.licence_id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
CREATE TRIGGER points_due_restriction_delete AFTER DELETE ON licence_restrictions
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (OLD.licence_id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
CREATE TRIGGER points_due_restriction_update AFTER UPDATE ON licence_restrictions
BEGIN
	INSERT INTO points_due (licence_id, due, changes) VALUES (OLD.licence_id, '0001-01-01', 1), (NEW.licence_id, '0001-01-01', 1)
	ON CONFLICT (licence_id) DO UPDATE SET due = '0001-01-01', changes = points_due.changes + 1;
END;
