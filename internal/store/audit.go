package store

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID          int64
	At          time.Time
	Actor       string
	ActorRole   string
	Action      string
	SubjectType string
	SubjectID   string
	Reason      string
	RequestID   string
}

const auditCols = 8

// AppendAudit appends entries to the register's audit_log in one
// transaction and as few statements as the parameter limit allows: inside a
// change's transaction (Kernel.AuditTx), its entry commits with the change.
// The reads' entries go through AppendReadAudit. Entries without At are
// stamped with the store's clock.
func (s *Store) AppendAudit(ctx context.Context, entries []AuditEntry) error {
	return s.appendAuditChunks(ctx, entries, (*Store).appendAudit)
}

// appendAuditChunks hands entries to insert, which writes one statement: all
// of them at once when they fit in one statement outside a transaction (a
// statement is atomic on its own: one round trip, no BEGIN/COMMIT around
// it, which is what a group commit usually needs), else in chunks within one
// transaction. Entries without At are stamped with the store's clock.
func (s *Store) appendAuditChunks(ctx context.Context, entries []AuditEntry,
	insert func(s *Store, ctx context.Context, entries []AuditEntry, now time.Time) error) error {
	if len(entries) == 0 {
		return nil
	}
	perStmt := s.d.batchParams / auditCols
	if len(entries) <= perStmt && s.tx == nil {
		return insert(s, ctx, entries, s.now())
	}
	return s.Transact(ctx, func(tx *Store) error {
		now := tx.now()
		for chunk := range slices.Chunk(entries, perStmt) {
			if err := insert(tx, ctx, chunk, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// auditArgs are the parameters of entries, 8 a row, in audit_log's column
// order (at, actor, actor_role, action, subject_type, subject_id, reason,
// request_id); an entry without At is stamped now.
func (s *Store) auditArgs(entries []AuditEntry, now time.Time) []any {
	args := make([]any, 0, len(entries)*auditCols)
	for _, e := range entries {
		at := e.At
		if at.IsZero() {
			at = now
		}
		args = append(args, s.d.ts(at), e.Actor, e.ActorRole, e.Action, e.SubjectType, e.SubjectID, e.Reason, e.RequestID)
	}
	return args
}

// appendAudit inserts entries in one statement.
func (s *Store) appendAudit(ctx context.Context, entries []AuditEntry, now time.Time) error {
	args := s.auditArgs(entries, now)
	row := `(?, ?, ?, ?, ?, ?, ?, ?)`
	if s.d.dollar {
		row = `(?::timestamptz, ?, ?, ?, ?, ?, ?, ?)`
	}
	_, err := s.exec(ctx, `INSERT INTO audit_log (at, actor, actor_role, action, subject_type, subject_id, reason, request_id)
		VALUES `+rowsOf(len(entries), row), args...)
	return err
}

// ListAudit returns the audit entries about one subject, oldest first (by
// time, then id): on SQLite those of the register (changes, AuditTx) and
// those of its audit file (reads, AppendReadAudit) merged (ids are per
// file, so two entries of different files may share one); on PostgreSQL
// those of audit_log, found through its subject index built behind the log
// (auditfold_pg.go).
func (s *Store) ListAudit(ctx context.Context, subjectType, subjectID string) ([]AuditEntry, error) {
	if s.d.dollar {
		return scanAudit(s.query(ctx, listAuditPG, subjectType, subjectID, subjectType, subjectID))
	}
	const q = `SELECT id, at, actor, actor_role, action, subject_type, subject_id, reason, request_id
		FROM audit_log WHERE subject_type = ? AND subject_id = ? ORDER BY at, id`
	es, err := scanAudit(s.query(ctx, q, subjectType, subjectID))
	if err != nil || s.aud == nil {
		return es, err
	}
	reads, err := s.aud.ix.list(ctx, subjectType, subjectID)
	if err != nil {
		return nil, s.d.translate(err)
	}
	return mergeAudit(es, reads), nil
}

func scanAudit(rows *sql.Rows, err error) ([]AuditEntry, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, timestamp{&e.At}, &e.Actor, &e.ActorRole, &e.Action, &e.SubjectType, &e.SubjectID,
			&e.Reason, &e.RequestID); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// mergeAudit merges two lists each in order into one ordered by time, a's
// entry first on a tie.
func mergeAudit(a, b []AuditEntry) []AuditEntry {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]AuditEntry, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].At.Before(a[0].At) {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}
