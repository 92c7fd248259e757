-- When each licence's points must be replayed again (issue 15, item 1): the
-- nightly pass replays only the licences whose due date has come, not the
-- whole register. due is the next date at which the replay's answer can
-- change (a recovery, a probation step, a course's credit, an event dated
-- after the last pass), NULL when nothing is scheduled; a change to the
-- ledger sets it to 0001-01-01 (due at once) and counts one more change, so
-- a pass that read the ledger before the change does not clear the mark
-- (it writes only WHERE changes is still the value it read).
CREATE TABLE points_due (
	licence_id BIGINT PRIMARY KEY,
	due        DATE,
	changes    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX points_due_due ON points_due(due) WHERE due IS NOT NULL;

-- Every licence already in the register is due: the first pass after this
-- migration is a full one.
INSERT INTO points_due (licence_id, due, changes) SELECT id, DATE '0001-01-01', 1 FROM licences;

-- Marks the licences a statement touched, once each and in licence order (so
-- two writers lock points_due rows in the same order): statement-level
-- triggers with transition tables, so a bulk import pays one upsert per
-- statement, not one per row.
CREATE FUNCTION points_due_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO points_due (licence_id, due, changes)
		SELECT DISTINCT licence_id, DATE '0001-01-01', 1 FROM new_rows ORDER BY licence_id
		ON CONFLICT (licence_id) DO UPDATE SET due = DATE '0001-01-01', changes = points_due.changes + 1;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO points_due (licence_id, due, changes)
		SELECT DISTINCT licence_id, DATE '0001-01-01', 1 FROM old_rows ORDER BY licence_id
		ON CONFLICT (licence_id) DO UPDATE SET due = DATE '0001-01-01', changes = points_due.changes + 1;
	ELSE
		INSERT INTO points_due (licence_id, due, changes)
		SELECT licence_id, DATE '0001-01-01', 1 FROM (SELECT licence_id FROM new_rows UNION SELECT licence_id FROM old_rows) u ORDER BY licence_id
		ON CONFLICT (licence_id) DO UPDATE SET due = DATE '0001-01-01', changes = points_due.changes + 1;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER points_due_event_insert AFTER INSERT ON point_events
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark();
CREATE TRIGGER points_due_event_delete AFTER DELETE ON point_events
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark();
CREATE TRIGGER points_due_event_update AFTER UPDATE ON point_events
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark();
-- The reobtained restriction changes the probation (licence.CodeReobtained).
CREATE TRIGGER points_due_restriction_insert AFTER INSERT ON licence_restrictions
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark();
CREATE TRIGGER points_due_restriction_delete AFTER DELETE ON licence_restrictions
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark();
CREATE TRIGGER points_due_restriction_update AFTER UPDATE ON licence_restrictions
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark();

CREATE FUNCTION points_due_mark_licence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO points_due (licence_id, due, changes)
	SELECT id, DATE '0001-01-01', 1 FROM new_rows ORDER BY id
	ON CONFLICT (licence_id) DO UPDATE SET due = DATE '0001-01-01', changes = points_due.changes + 1;
	RETURN NULL;
END
$$;
CREATE TRIGGER points_due_licence_insert AFTER INSERT ON licences
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark_licence();
-- PostgreSQL refuses a column list on a trigger with transition tables: every
-- update of a licence marks it (updates of licences are rare).
CREATE TRIGGER points_due_licence_update AFTER UPDATE ON licences
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION points_due_mark_licence();
