package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"
)

// PostgreSQL's audit log is indexed by subject behind the log (issue 15,
// item 3; docs/decisions.md, "PostgreSQL's audit log is indexed behind the
// log too"), as SQLite's read audits are (auditindex.go).
//
// Every audited read inserts one audit_log row before it is answered. With
// an index on (subject_type, subject_id), each insert also wrote one random
// page of that index: measured with pgbench, the read that stores its entry
// cost PostgreSQL 134–195 µs of CPU with the index and 115–130 µs without.
// Since migration 0026, audit_log has its primary key only, and the subject
// keys live in audit_subjects, which a background fold appends to every
// auditFoldEvery, sorted, in one transaction with the new mark
// (audit_fold.mark: every entry up to it is in audit_subjects). ListAudit
// reads audit_subjects up to the mark and audit_log after it, in one
// statement, so one snapshot: nothing is missed, nothing is listed twice.
//
// The mark must never pass an entry that is not yet committed: an identity
// is drawn when the row is inserted, not when its transaction commits, so a
// row with a smaller id can become visible after a larger one. The fold
// reads the largest id under LOCK TABLE audit_log IN SHARE MODE, which waits
// for the transactions inserting into audit_log to end (and holds new ones
// back the moment it takes), as the nightly pass does for points_changed
// (PassMark). lock_timeout bounds that wait: behind a long transaction the
// fold gives up and tries again at the next tick, rather than holding the
// reads back.
//
// Every instance runs the fold; the row lock on audit_fold serialises them,
// and the second one finds the mark already moved.

// pgFoldLockTimeout is how long the fold waits for the inserts in flight.
const pgFoldLockTimeout = "50ms"

type pgAuditFold struct {
	db   *sql.DB
	stop context.CancelFunc
	done sync.WaitGroup

	mu sync.Mutex // serialises this instance's folds and guards foldWatch
	foldWatch
}

// startPGAuditFold starts the fold of db's audit log.
func startPGAuditFold(db *sql.DB, logger *slog.Logger) *pgAuditFold {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f := &pgAuditFold{db: db, foldWatch: foldWatch{where: slog.String("table", "audit_subjects"), logger: logger, now: time.Now}}
	loop, stop := context.WithCancel(context.Background())
	f.stop = stop
	f.done.Go(func() { runFolds(loop, f.fold) })
	return f
}

// fold indexes up to auditFoldMax entries after the mark and returns how
// many it indexed.
func (f *pgAuditFold) fold(ctx context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.foldLocked(ctx)
	f.note(err)
	return n, err
}

func (f *pgAuditFold) foldLocked(ctx context.Context) (int, error) {
	upto, err := f.settled(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var mark int64
	if err := tx.QueryRowContext(ctx, `SELECT mark FROM audit_fold FOR UPDATE`).Scan(&mark); err != nil {
		return 0, err
	}
	upto = min(upto, mark+auditFoldMax)
	if upto <= mark {
		return 0, nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO audit_subjects (subject_type, subject_id, audit_id)
		SELECT subject_type, subject_id, id FROM audit_log WHERE id > $1 AND id <= $2
		ORDER BY subject_type, subject_id, id`, mark, upto)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_fold SET mark = $1`, upto); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// settled returns the largest id in audit_log once every transaction
// inserting into it has ended: every id up to it is committed or will never
// be.
func (f *pgAuditFold) settled(ctx context.Context) (int64, error) {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '`+pgFoldLockTimeout+`'`); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `LOCK TABLE audit_log IN SHARE MODE`); err != nil {
		return 0, err
	}
	var upto int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_log`).Scan(&upto); err != nil {
		return 0, err
	}
	return upto, tx.Commit()
}

// health is the fold's (foldWatch.health).
func (f *pgAuditFold) health() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.foldWatch.health()
}

// close stops the fold; what is left is folded by the other instances or at
// the next start.
func (f *pgAuditFold) close() {
	f.stop()
	f.done.Wait()
}

// listAuditPG is ListAudit on PostgreSQL: the entries audit_subjects holds
// up to the mark, and those after it read from audit_log (the last half
// second, by the primary key), in one statement.
const listAuditPG = `SELECT a.id, a.at, a.actor, a.actor_role, a.action, a.subject_type, a.subject_id, a.reason, a.request_id
	FROM audit_subjects s JOIN audit_log a ON a.id = s.audit_id
	WHERE s.subject_type = ? AND s.subject_id = ? AND s.audit_id <= (SELECT mark FROM audit_fold)
	UNION ALL
	SELECT id, at, actor, actor_role, action, subject_type, subject_id, reason, request_id
	FROM audit_log WHERE id > (SELECT mark FROM audit_fold) AND subject_type = ? AND subject_id = ?
	ORDER BY at, id`

// auditSubjectsMigration creates audit_subjects and audit_fold.
const auditSubjectsMigration = "0026_audit_subjects.sql"
