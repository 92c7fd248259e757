package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The read audits of a SQLite register live in a file of their own beside
// it (AuditFile), with its own WAL and its own writer (docs/decisions.md,
// "Read audits in their own SQLite file"). Every read through the API
// commits one entry, group-committed: in the register's file, each of those
// commits made every reader connection of the register drop its page cache
// (SQLite resets a connection's cache when another connection has committed
// since its last read), so every read went back to the operating system for
// every page. In their own file, the audit commits leave the register's
// readers' caches alone. The audit entries of a change (AuditTx) stay in the
// register's audit_log, inside the change's transaction: they must commit
// with it, and one SQLite transaction cannot span two WAL files atomically.
//
// Durability is the register's by default: WAL with synchronous=NORMAL, so
// a commit is in the file (the operating system's cache) when it returns and
// survives a crash of the permis process; a power loss may lose the last
// commits, exactly as for the register itself. ReadAuditDisk makes the
// audit file's commits synchronous=FULL.

// auditSchema is the audit file's schema: the register's audit_log, same
// columns, the same append-only triggers.
const auditSchema = `
CREATE TABLE IF NOT EXISTS audit_log (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	at           TEXT NOT NULL,
	actor        TEXT NOT NULL,
	actor_role   TEXT NOT NULL DEFAULT '',
	action       TEXT NOT NULL,
	subject_type TEXT NOT NULL DEFAULT '',
	subject_id   TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',
	request_id   TEXT NOT NULL DEFAULT ''
);
-- No index on the subject here: it is built behind the log, in the audit
-- index file (auditindex.go). Files made before it lose theirs.
DROP INDEX IF EXISTS audit_log_subject;
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
`

// Caches of the audit file, in KiB: its writer inserts into one index at
// random places (the subject), its readers only list one subject's entries
// (a person's page, an agent's view of who consulted a file).
const (
	auditWriteCacheKiB = 8192
	auditReadCacheKiB  = 1024
)

// AuditFile is the file of a SQLite register's read audits: permis.db's is
// permis-audit.db, in the same directory.
func AuditFile(register string) string {
	return strings.TrimSuffix(register, ".db") + "-audit.db"
}

// auditDB is the audit file's connections (nil on PostgreSQL, where the
// read audits go to the one audit_log table).
type auditDB struct {
	file string
	w    *sql.DB // one writer
	r    *sql.DB // query_only readers
	ws   *stmtCache
	ckpt *checkpointer
	ix   *auditIndex // the subject index, built behind the log
}

// auditCheckpointEvery is how often the audit file's WAL is checkpointed,
// in the background: its writer never checkpoints at commit (a checkpoint
// copies pages and flushes the file to disk, which the reads waiting for
// that commit would wait for too).
const auditCheckpointEvery = time.Second

// openAuditFile opens (creating it if needed) the read-audit file of the
// register at path, with the register's pragmas.
func openAuditFile(ctx context.Context, path string, pragmas url.Values, pair int32, durability ReadAuditDurability, logger *slog.Logger) (*auditDB, error) {
	file := AuditFile(path)
	base := "file:" + file + "?"
	wq := cloneValues(pragmas)
	wq.Add("_pragma", fmt.Sprintf("cache_size(-%d)", auditWriteCacheKiB))
	wq.Add("_pragma", "wal_autocheckpoint(0)")
	if durability == ReadAuditDisk {
		// Replaced, not added: modernc runs the _pragma list sorted, so an
		// added FULL would run before the register's NORMAL.
		wq["_pragma"] = slices.DeleteFunc(wq["_pragma"], func(p string) bool { return strings.HasPrefix(p, "synchronous(") })
		wq.Add("_pragma", "synchronous(FULL)")
	}
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", base+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open audit file: %w", err)
	}
	keepConns(w, 1)
	if err := pingSQLite(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open audit file %s: %w", file, err)
	}
	if _, err := w.ExecContext(ctx, auditSchema); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open audit file %s: %w", file, err)
	}
	if err := claimPair(ctx, w, file, pair); err != nil {
		w.Close()
		return nil, err
	}
	rq := cloneValues(pragmas)
	rq.Add("_pragma", fmt.Sprintf("cache_size(-%d)", auditReadCacheKiB))
	rq.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", base+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open audit file: %w", err)
	}
	keepConns(r, 2)
	ix, err := openAuditIndex(ctx, path, pragmas, r, pair, logger)
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	ckpt, err := startCheckpointer(base+pragmas.Encode(), file+"-wal", auditCheckpointEvery)
	if err != nil {
		ix.close()
		r.Close()
		w.Close()
		return nil, fmt.Errorf("store: open audit file: %w", err)
	}
	return &auditDB{file: file, w: w, r: r, ws: newStmtCache(w), ckpt: ckpt, ix: ix}, nil
}

// A register and its audit file are a pair, marked with the same random
// number in the header of both files (PRAGMA application_id): an audit file
// left beside a register it does not belong to — typically the old
// permis-audit.db beside a backup restored over permis.db, whose audit_log
// already holds those read audits (Backup) — would list every entry twice
// and mix two histories, so the register refuses to open until it is moved
// aside (docs/operations.md, "Restoring"). A backup gets a new number.

// registerPair returns the register's pair number, drawing one on the
// register's first open; claimPair marks a new (or unmarked) audit file
// with it, and refuses one marked with another. Each reads and marks in one
// immediate transaction, so two processes opening a new register at once
// agree on one number.
func registerPair(ctx context.Context, w *sql.DB) (int32, error) {
	return markPair(ctx, w, 0)
}

func claimPair(ctx context.Context, w *sql.DB, file string, pair int32) error {
	id, err := markPair(ctx, w, pair)
	if err != nil {
		return fmt.Errorf("store: open audit file %s: %w", file, err)
	}
	if id != pair {
		return fmt.Errorf("le journal des consultations %s n'appartient pas à ce registre (une sauvegarde restaurée ?) : "+
			"déplacez-le, la sauvegarde contient déjà les consultations qu'il avait (docs/operations.md)", file)
	}
	return nil
}

// markPair returns the pair number of db's file, marking an unmarked file
// with want (a new random number when want is 0) first.
func markPair(ctx context.Context, db *sql.DB, want int32) (int32, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int32
	if err := tx.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&id); err != nil {
		return 0, err
	}
	if id != 0 {
		return id, nil
	}
	if id, err = setPair(ctx, tx, want); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// setPair marks the file with want, or a new random number when want is 0.
func setPair(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, want int32) (int32, error) {
	id := want
	if id == 0 {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, err
		}
		id = int32(binary.BigEndian.Uint32(b[:]) | 1) // never 0, "unmarked"
	}
	_, err := db.ExecContext(ctx, fmt.Sprintf(`PRAGMA application_id = %d`, id))
	return id, err
}

func (a *auditDB) close() error {
	a.ws.close()
	return errors.Join(a.ckpt.close(), a.ix.close(), a.w.Close(), a.r.Close())
}

// ReadAuditWriters is how many AppendReadAudit calls the group-commit writer
// should run at once: SQLite has one writer, so one; on PostgreSQL several,
// whose commits share a WAL flush when they wait for it (ReadAuditDisk)
// (BENCHMARKS.md, issue 15 item 3).
func (s *Store) ReadAuditWriters() int {
	if s.aud != nil || !s.d.dollar {
		return 1
	}
	return pgReadAuditWriters
}

const pgReadAuditWriters = 4

// AppendReadAudit appends the entries of reads (and of actions outside a
// change's transaction) and returns once they are committed: on SQLite in
// the register's audit file (AuditFile), on PostgreSQL in audit_log. The
// group-commit writer (internal/audit) hands it what it has collected. An
// entry that must commit with a change is written with AppendAudit inside
// the change's transaction instead.
func (s *Store) AppendReadAudit(ctx context.Context, entries []AuditEntry) error {
	if s.aud == nil {
		return s.appendReadAuditPG(ctx, entries)
	}
	if len(entries) == 0 {
		return nil
	}
	now := s.now()
	perStmt := s.d.batchParams / auditCols
	if len(entries) <= perStmt {
		return s.appendAuditFile(ctx, s.aud.w, entries, now)
	}
	tx, err := s.aud.w.BeginTx(ctx, nil)
	if err != nil {
		return s.d.translate(err)
	}
	for len(entries) > 0 {
		n := min(len(entries), perStmt)
		if err := s.appendAuditFile(ctx, tx, entries[:n], now); err != nil {
			_ = tx.Rollback()
			return err
		}
		entries = entries[n:]
	}
	return s.d.translate(tx.Commit())
}

// appendAuditFile inserts entries into the audit file in one statement,
// prepared once per batch size when it runs on the file's writer.
func (s *Store) appendAuditFile(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, entries []AuditEntry, now time.Time) error {
	args := s.auditArgs(entries, now)
	query := auditInsert + rowsOf(len(entries), `(?, ?, ?, ?, ?, ?, ?, ?)`)
	if _, isDB := q.(*sql.DB); isDB {
		st, err := s.aud.ws.get(ctx, query)
		if err != nil {
			return s.d.translate(err)
		}
		if st != nil {
			_, err = st.ExecContext(ctx, args...)
			return s.d.translate(err)
		}
	}
	_, err := q.ExecContext(ctx, query, args...)
	return s.d.translate(err)
}

const auditInsert = `INSERT INTO audit_log (at, actor, actor_role, action, subject_type, subject_id, reason, request_id) VALUES `

// appendReadAuditPG appends read audits to PostgreSQL's audit_log, usually
// in one statement, each setting its transaction's synchronous_commit
// (Options.ReadAuditDurability).
func (s *Store) appendReadAuditPG(ctx context.Context, entries []AuditEntry) error {
	return s.appendAuditChunks(ctx, entries, (*Store).insertReadAudits)
}

func (s *Store) insertReadAudits(ctx context.Context, entries []AuditEntry, now time.Time) error {
	_, err := s.exec(ctx, s.readAuditInsert(len(entries)), s.auditArgs(entries, now)...)
	return err
}

// readAuditInsert is PostgreSQL's INSERT of n read audits (8 parameters
// each) that also sets synchronous_commit for its transaction: set_config
// with is_local lasts until the transaction ends, and PostgreSQL reads
// synchronous_commit when it commits, so the statement's own implicit
// transaction (or the caller's) commits as Options.ReadAuditDurability says,
// without a SET statement and its round trip, and without touching the
// session's setting, which every other write keeps (on).
func (s *Store) readAuditInsert(n int) string {
	return `INSERT INTO audit_log (at, actor, actor_role, action, subject_type, subject_id, reason, request_id)
		SELECT v.* FROM (SELECT set_config('synchronous_commit', '` + s.syncReadAudit + `', true)) AS durability,
		(VALUES ` + rowsOf(n, `(?::timestamptz, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text)`) + `) AS v`
}
