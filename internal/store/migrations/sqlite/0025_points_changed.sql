-- The ledger's changes, appended (issue 15, item 2; docs/decisions.md, "Ledger
-- changes are appended, not upserted"). A change to a licence's ledger used to
-- upsert its points_due row (due at once, one more change counted): in a large
-- register each imported row then dirtied a random page of points_due and two
-- of its due index, which made the import's cost per row grow with the
-- register. A change now appends one row here — the table's last page, whatever
-- the register's size — and the nightly pass replays the licences it finds
-- here as well as those whose due date has come, then deletes the rows it has
-- seen (up to the mark read before it began: a change made meanwhile stays).
-- AUTOINCREMENT: a seq is never reused, even once the table has been emptied,
-- so a pass's mark never covers a later change.
CREATE TABLE points_changed (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	licence_id INTEGER NOT NULL
);

DROP TRIGGER points_due_event_insert;
DROP TRIGGER points_due_event_delete;
DROP TRIGGER points_due_event_update;
DROP TRIGGER points_due_licence_insert;
DROP TRIGGER points_due_licence_update;
DROP TRIGGER points_due_restriction_insert;
DROP TRIGGER points_due_restriction_delete;
DROP TRIGGER points_due_restriction_update;

-- The licences already marked keep their mark: due 0001-01-01 is due at once.
ALTER TABLE points_due DROP COLUMN changes;

CREATE TRIGGER points_changed_event_insert AFTER INSERT ON point_events
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (NEW.licence_id);
END;
CREATE TRIGGER points_changed_event_delete AFTER DELETE ON point_events
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (OLD.licence_id);
END;
CREATE TRIGGER points_changed_event_update AFTER UPDATE ON point_events
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (OLD.licence_id), (NEW.licence_id);
END;
CREATE TRIGGER points_changed_licence_insert AFTER INSERT ON licences
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (NEW.id);
END;
CREATE TRIGGER points_changed_licence_update AFTER UPDATE OF obtained, probation, complementary_training ON licences
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (NEW.id);
END;
-- The reobtained restriction changes the probation (licence.CodeReobtained).
CREATE TRIGGER points_changed_restriction_insert AFTER INSERT ON licence_restrictions
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (NEW.licence_id);
END;
CREATE TRIGGER points_changed_restriction_delete AFTER DELETE ON licence_restrictions
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (OLD.licence_id);
END;
CREATE TRIGGER points_changed_restriction_update AFTER UPDATE ON licence_restrictions
BEGIN
	INSERT INTO points_changed (licence_id) VALUES (OLD.licence_id), (NEW.licence_id);
END;
