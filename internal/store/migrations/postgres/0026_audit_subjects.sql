-- The audit log's subject index, built behind the log (issue 15, item 3;
-- docs/decisions.md, "PostgreSQL's audit log is indexed behind the log too").
-- audit_log keeps its primary key only: every audited read inserts one row,
-- and the (subject_type, subject_id) index put one random index page on each
-- read's path. audit_subjects holds the same keys; a background fold
-- (store.pgAuditFold) appends there the entries after audit_fold.mark every
-- 500 ms and moves the mark, and ListAudit reads audit_subjects up to the
-- mark and audit_log after it, in one statement.
CREATE TABLE audit_subjects (
	subject_type TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	audit_id     BIGINT NOT NULL,
	PRIMARY KEY (subject_type, subject_id, audit_id)
);

CREATE TABLE audit_fold (
	one  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
	mark BIGINT NOT NULL -- every audit_log entry up to this id is in audit_subjects
);

-- Instances of the previous version may be inserting: wait for them, so that
-- no entry below the mark commits after it is read.
LOCK TABLE audit_log IN SHARE MODE;
INSERT INTO audit_fold (mark) SELECT coalesce(max(id), 0) FROM audit_log;
INSERT INTO audit_subjects (subject_type, subject_id, audit_id) SELECT subject_type, subject_id, id FROM audit_log;
DROP INDEX audit_log_subject;
