-- The ledger's changes, appended (issue 15, item 2; docs/decisions.md, "Ledger
-- changes are appended, not upserted"): a change appends the licences it
-- touched here instead of upserting their points_due rows (random pages of
-- points_due and its due index for every licence an import touches). The
-- nightly pass replays the licences found here as well as those whose due
-- date has come, then deletes the rows up to the mark it read before it
-- began, under a SHARE lock that waits for the writers in flight (an
-- identity is drawn before its transaction commits: without the lock a row
-- below the mark could become visible only after the pass had read it).
CREATE TABLE points_changed (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	licence_id BIGINT NOT NULL
);

-- The licences already marked keep their mark: due 0001-01-01 is due at once.
ALTER TABLE points_due DROP COLUMN changes;

-- Same triggers (statement-level, transition tables), new bodies: one row
-- per licence a statement touched.
CREATE OR REPLACE FUNCTION points_due_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO points_changed (licence_id) SELECT DISTINCT licence_id FROM new_rows;
	ELSIF TG_OP = 'DELETE' THEN
		INSERT INTO points_changed (licence_id) SELECT DISTINCT licence_id FROM old_rows;
	ELSE
		INSERT INTO points_changed (licence_id) SELECT licence_id FROM new_rows UNION SELECT licence_id FROM old_rows;
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION points_due_mark_licence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO points_changed (licence_id) SELECT id FROM new_rows;
	RETURN NULL;
END
$$;
