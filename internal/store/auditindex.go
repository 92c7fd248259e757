package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// The read audits' subject index (issue 15, item 3; docs/decisions.md,
// "The read audits' subject index is built behind the log").
//
// Every audited read commits one entry to the audit file before it is
// answered. An index on the entry's subject makes each entry dirty one
// random page of that index, written to the WAL at its commit: per group
// commit one page of the log and one page per entry of the index, and, as
// the log grows past the writer's cache, one read of a random page from the
// operating system per entry too. That index write was on every read's path
// and grew with the log: on a 100 000-licence register the audited read went
// from 49 % to 36 % of the bare read as its audit file grew, and to 57 %
// without the index (BENCHMARKS.md).
//
// So the audit file holds the log alone, in id order (each commit appends to
// its last page), and the subject index lives in a third file beside it,
// AuditIndexFile, which a background goroutine (fold) brings up to date
// every auditFoldEvery: it reads the entries after the last one it indexed,
// sorts them by subject and inserts them in one transaction together with
// the new high-water mark. The index is derived data: it can be deleted, and
// an index of another audit file (another pair number) is emptied and
// rebuilt. ListAudit reads the index for the entries up to the mark and the
// log itself after it (the few seconds not yet indexed, read in id order),
// so it misses nothing: one writer commits the audit file's ids in
// increasing order, so no entry can appear below a mark already read.

// AuditIndexFile is the file of the subject index of a register's read
// audits: permis.db's is permis-audit-index.db.
func AuditIndexFile(register string) string {
	return strings.TrimSuffix(register, ".db") + "-audit-index.db"
}

const auditIndexSchema = `
CREATE TABLE IF NOT EXISTS audit_subject (
	subject_type TEXT NOT NULL,
	subject_id   TEXT NOT NULL,
	id           INTEGER NOT NULL,
	PRIMARY KEY (subject_type, subject_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_indexed (
	only INTEGER PRIMARY KEY CHECK (only = 1),
	pair INTEGER NOT NULL, -- the pair number of the audit file indexed
	upto INTEGER NOT NULL  -- every entry of the audit file up to this id is indexed
);
`

// auditFoldEvery is how often the index is brought up to date; auditFoldMax
// is the most entries one fold transaction indexes (a rebuild runs several
// back to back).
const (
	auditFoldEvery = 500 * time.Millisecond
	auditFoldMax   = 50000
)

type auditIndex struct {
	file string
	w    *sql.DB // the fold's connection
	r    *sql.DB // ListAudit's
	log  *sql.DB // the audit file's readers

	stop context.CancelFunc
	done sync.WaitGroup

	mu sync.Mutex // serialises folds (the loop's and Fold's) and guards foldWatch
	foldWatch
}

// foldWatch tells the operator about a background fold that fails (the
// read audits' subject index, on SQLite and on PostgreSQL): its owner calls
// note after each fold and health for Ready, holding its own lock.
type foldWatch struct {
	where  slog.Attr // what is folded into, for the logs
	logger *slog.Logger
	now    func() time.Time

	lastErr error
	failing time.Time // when the folds began to fail; zero while they succeed
	logged  time.Time // when a failing fold was last logged
}

// openAuditIndex opens (creating it if needed) the subject index of the
// audit file read through log, whose pair number is pair, and starts its
// fold. An index of another pair is emptied first.
func openAuditIndex(ctx context.Context, register string, pragmas url.Values, log *sql.DB, pair int32, logger *slog.Logger) (*auditIndex, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	file := AuditIndexFile(register)
	base := "file:" + file + "?"
	wq := cloneValues(pragmas)
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", base+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open audit index: %w", err)
	}
	keepConns(w, 1)
	fail := func(err error) (*auditIndex, error) {
		w.Close()
		return nil, fmt.Errorf("store: open audit index %s: %w", file, err)
	}
	if err := pingSQLite(ctx, w); err != nil {
		return fail(err)
	}
	if _, err := w.ExecContext(ctx, auditIndexSchema); err != nil {
		return fail(err)
	}
	if err := claimIndex(ctx, w, pair); err != nil {
		return fail(err)
	}
	rq := cloneValues(pragmas)
	rq.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", base+rq.Encode())
	if err != nil {
		return fail(err)
	}
	keepConns(r, 2)
	x := &auditIndex{file: file, w: w, r: r, log: log, foldWatch: foldWatch{where: slog.String("file", file), logger: logger, now: time.Now}}
	loop, stop := context.WithCancel(context.Background())
	x.stop = stop
	x.done.Go(func() { runFolds(loop, x.fold) })
	return x, nil
}

// claimIndex makes the index one of the audit file with this pair number:
// an index of another one (a backup restored, an audit file moved aside) is
// emptied, and rebuilt by the folds that follow.
func claimIndex(ctx context.Context, w *sql.DB, pair int32) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int32
	switch err := tx.QueryRowContext(ctx, `SELECT pair FROM audit_indexed`).Scan(&have); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case have == pair:
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_subject`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_indexed (only, pair, upto) VALUES (1, ?, 0)
		ON CONFLICT (only) DO UPDATE SET pair = excluded.pair, upto = 0`, pair); err != nil {
		return err
	}
	return tx.Commit()
}

// runFolds calls fold every auditFoldEvery until ctx ends, as many times
// in a row as it comes back full (auditFoldMax entries: more are waiting);
// a failed fold waits for the next tick. The folds of both databases run so.
func runFolds(ctx context.Context, fold func(context.Context) (int, error)) {
	t := time.NewTicker(auditFoldEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for {
			n, err := fold(ctx)
			if err != nil || n < auditFoldMax {
				break // caught up (or failed: the next tick tries again)
			}
		}
	}
}

// fold indexes up to auditFoldMax entries after the high-water mark, in one
// transaction with the new mark, and returns how many it indexed.
func (x *auditIndex) fold(ctx context.Context) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n, err := x.foldLocked(ctx)
	x.note(err)
	return n, err
}

// auditFoldStale is how long the folds may fail before Ready reports it;
// auditFoldLogEvery how often a fold that keeps failing is logged again.
const (
	auditFoldStale    = time.Minute
	auditFoldLogEvery = time.Minute
)

// note logs a fold's failure (the first one, then once a minute while they
// last) and its recovery. A failing fold loses nothing — ListAudit reads the
// log after the index's mark — but each read of a subject's entries then
// scans a growing tail of the log: the operator must hear of it (the audit
// file's disk full, the index file damaged: delete it, it is rebuilt).
func (w *foldWatch) note(err error) {
	w.lastErr = err
	now := w.now()
	switch {
	case err == nil && !w.failing.IsZero():
		w.logger.Info("audit index: fold recovered", w.where, "failing_for", now.Sub(w.failing).Round(time.Second).String())
		w.failing, w.logged = time.Time{}, time.Time{}
	case err == nil, errors.Is(err, context.Canceled):
	case w.failing.IsZero():
		w.failing, w.logged = now, now
		w.logger.Error("audit index: fold failed, retried every 500 ms", w.where, "err", err)
	case now.Sub(w.logged) >= auditFoldLogEvery:
		w.logged = now
		w.logger.Error("audit index: fold still failing", w.where, "failing_for", now.Sub(w.failing).Round(time.Second).String(), "err", err)
	}
}

// health is an error once the folds have failed for auditFoldStale.
func (w *foldWatch) health() error {
	if w.failing.IsZero() || w.now().Sub(w.failing) < auditFoldStale {
		return nil
	}
	return fmt.Errorf("store: audit index (%s) not folded for %s: %w", w.where, w.now().Sub(w.failing).Round(time.Second), w.lastErr)
}

// health is the fold's (foldWatch.health).
func (x *auditIndex) health() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.foldWatch.health()
}

type subjectKey struct {
	typ, id string
	entry   int64
}

func (x *auditIndex) foldLocked(ctx context.Context) (int, error) {
	var upto int64
	if err := x.w.QueryRowContext(ctx, `SELECT upto FROM audit_indexed`).Scan(&upto); err != nil {
		return 0, err
	}
	rows, err := x.log.QueryContext(ctx, `SELECT id, subject_type, subject_id FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`,
		upto, auditFoldMax)
	if err != nil {
		return 0, err
	}
	var keys []subjectKey
	for rows.Next() {
		var k subjectKey
		if err := rows.Scan(&k.entry, &k.typ, &k.id); err != nil {
			rows.Close()
			return 0, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(keys) == 0 {
		return 0, err
	}
	last := keys[len(keys)-1].entry
	// In key order, each page of the index is written once per fold.
	slices.SortFunc(keys, func(a, b subjectKey) int {
		return cmp.Or(strings.Compare(a.typ, b.typ), strings.Compare(a.id, b.id), cmp.Compare(a.entry, b.entry))
	})
	tx, err := x.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	const perStmt = 800 / 3
	for chunk := range slices.Chunk(keys, perStmt) {
		args := make([]any, 0, 3*len(chunk))
		for _, k := range chunk {
			args = append(args, k.typ, k.id, k.entry)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_subject (subject_type, subject_id, id) VALUES `+
			rowsOf(len(chunk), `(?, ?, ?)`)+` ON CONFLICT DO NOTHING`, args...); err != nil {
			return 0, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_indexed SET upto = ?`, last); err != nil {
		return 0, err
	}
	return len(keys), tx.Commit()
}

// list returns the audit file's entries about one subject: those the index
// holds, then those after its mark, read from the log. An index that cannot
// be read (its file damaged) is not the log: the entries are then all read
// from the log, more slowly, and the fold's failure is what is reported.
func (x *auditIndex) list(ctx context.Context, subjectType, subjectID string) ([]AuditEntry, error) {
	upto, ids, err := x.lookup(ctx, subjectType, subjectID)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		x.logger.Warn("audit index: unreadable, the log is scanned", "file", x.file, "err", err)
		upto, ids = 0, nil
	}
	const cols = `SELECT id, at, actor, actor_role, action, subject_type, subject_id, reason, request_id FROM audit_log `
	var out []AuditEntry
	for chunk := range slices.Chunk(ids, 800) {
		es, err := scanAudit(x.log.QueryContext(ctx, cols+`WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`, chunk...))
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	tail, err := scanAudit(x.log.QueryContext(ctx, cols+`WHERE id > ? AND subject_type = ? AND subject_id = ?`, upto, subjectType, subjectID))
	if err != nil {
		return nil, err
	}
	out = append(out, tail...)
	slices.SortFunc(out, func(a, b AuditEntry) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// lookup returns the index's high-water mark and the ids of the entries
// about one subject it holds up to that mark, read in one transaction.
func (x *auditIndex) lookup(ctx context.Context, subjectType, subjectID string) (upto int64, ids []any, err error) {
	tx, err := x.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT upto FROM audit_indexed`).Scan(&upto); err != nil {
		return 0, nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM audit_subject WHERE subject_type = ? AND subject_id = ? AND id <= ?`,
		subjectType, subjectID, upto)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, nil, err
		}
		ids = append(ids, id)
	}
	return upto, ids, rows.Err()
}

// FoldAuditIndex brings the subject index of the audit log up to date at
// once (SQLite: the read audits' index file; PostgreSQL: audit_subjects).
// The index is kept up to date in the background: this is for tests and for
// a clean stop.
func (s *Store) FoldAuditIndex(ctx context.Context) error {
	fold := func(ctx context.Context) (int, error) { return 0, nil }
	switch {
	case s.aud != nil && s.aud.ix != nil:
		fold = s.aud.ix.fold
	case s.fold != nil:
		fold = s.fold.fold
	}
	for {
		n, err := fold(ctx)
		if err != nil || n < auditFoldMax {
			return err
		}
	}
}

// close stops the fold, indexes what is left and closes the files.
func (x *auditIndex) close() error {
	x.stop()
	x.done.Wait()
	var err error
	for {
		n, e := x.fold(context.Background())
		if e != nil || n < auditFoldMax {
			err = e
			break
		}
	}
	return errors.Join(err, x.r.Close(), x.w.Close())
}
