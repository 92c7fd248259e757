package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/store/storetest"
)

// TestReadAuditsMergeWithChangeAudits: read audits (AppendReadAudit) and
// change audits (AppendAudit in a change's transaction) about one subject
// come back together from ListAudit, oldest first, on both databases; more
// entries than one statement holds are all stored.
func TestReadAuditsMergeWithChangeAudits(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		at := func(min int) time.Time { return testNow.Add(time.Duration(min) * time.Minute) }
		var reads []AuditEntry
		for i := range 300 { // more than one statement on both databases
			reads = append(reads, AuditEntry{At: at(2 * (i % 3)), Actor: "agent-1", ActorRole: "agent", Action: "points.read",
				SubjectType: "licence", SubjectID: fmt.Sprint(i % 3), RequestID: fmt.Sprint("read-", i)})
		}
		if err := s.AppendReadAudit(ctx, reads); err != nil {
			t.Fatalf("AppendReadAudit: %v", err)
		}
		err := s.Transact(ctx, func(tx *Store) error {
			return tx.AppendAudit(ctx, []AuditEntry{{At: at(1), Actor: "agent-2", Action: "licence.change",
				SubjectType: "licence", SubjectID: "1", RequestID: "change-1"}})
		})
		if err != nil {
			t.Fatalf("AppendAudit in a transaction: %v", err)
		}
		got, err := s.ListAudit(ctx, "licence", "1")
		if err != nil || len(got) != 101 {
			t.Fatalf("ListAudit = %d entries, %v; want 101", len(got), err)
		}
		// The reads about licence 1 are at +2 min, the change at +1 min.
		if got[0].RequestID != "change-1" || got[1].RequestID != "read-1" || got[100].RequestID != "read-298" {
			t.Errorf("order: %s, %s … %s; want change-1, read-1 … read-298", got[0].RequestID, got[1].RequestID, got[100].RequestID)
		}
		for i := 1; i < len(got); i++ {
			if got[i].At.Before(got[i-1].At) {
				t.Fatalf("entry %d (%s) is older than entry %d (%s)", i, got[i].At, i-1, got[i-1].At)
			}
		}
	})
}

// TestReadAuditLeavesRegisterReadersAlone: on SQLite a read audit commits
// in the audit file, so the register's data_version — what tells a reader
// connection that another one committed and that its page cache must go —
// does not move; a change's audit entry commits in the register.
func TestReadAuditLeavesRegisterReadersAlone(t *testing.T) {
	s := mustOpenSQLite(t)
	ctx := context.Background()
	conn, err := s.r.Conn(ctx) // one reader connection, held
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	version := func() int64 {
		t.Helper()
		var v int64
		if err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()
	for i := range 3 {
		if err := s.AppendReadAudit(ctx, []AuditEntry{{Actor: "a", Action: "points.read", SubjectType: "licence", SubjectID: fmt.Sprint(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if v := version(); v != before {
		t.Errorf("data_version went from %d to %d after read audits: the register's readers lose their caches", before, v)
	}
	if err := s.Transact(ctx, func(tx *Store) error {
		return tx.AppendAudit(ctx, []AuditEntry{{Actor: "a", Action: "licence.change", SubjectType: "licence", SubjectID: "0"}})
	}); err != nil {
		t.Fatal(err)
	}
	if v := version(); v == before {
		t.Errorf("data_version unchanged after a change's audit: it did not commit in the register")
	}
	var inRegister, inFile int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`).Scan(&inRegister); err != nil {
		t.Fatal(err)
	}
	if err := s.aud.r.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`).Scan(&inFile); err != nil {
		t.Fatal(err)
	}
	if inRegister != 1 || inFile != 3 {
		t.Errorf("register holds %d entries, audit file %d; want 1 and 3", inRegister, inFile)
	}
	var autocheckpoint int
	if err := s.aud.w.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&autocheckpoint); err != nil || autocheckpoint != 0 || s.aud.ckpt == nil {
		t.Errorf("audit file: wal_autocheckpoint %d (%v), background checkpointer %v; want 0 and one", autocheckpoint, err, s.aud.ckpt != nil)
	}
	if s.aud.file != filepath.Join(filepath.Dir(s.file), "permis-audit.db") {
		t.Errorf("audit file %s, want permis-audit.db beside %s", s.aud.file, s.file)
	}
}

// TestAuditFileAppendOnly: the audit file refuses UPDATE and DELETE, like
// the register's audit_log.
func TestAuditFileAppendOnly(t *testing.T) {
	s := mustOpenSQLite(t)
	ctx := context.Background()
	if err := s.AppendReadAudit(ctx, []AuditEntry{{Actor: "a", Action: "points.read", SubjectType: "licence", SubjectID: "0"}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.aud.w.ExecContext(ctx, `UPDATE audit_log SET actor = 'someone else'`)
	wantCode(t, s.d.translate(err), apperr.Forbidden)
	_, err = s.aud.w.ExecContext(ctx, `DELETE FROM audit_log`)
	wantCode(t, s.d.translate(err), apperr.Forbidden)
}

// TestBackupHoldsReadAudits: a backup is one file holding the change audits
// and the read audits; opened as a register, it lists both, and its new
// audit file starts empty.
func TestBackupHoldsReadAudits(t *testing.T) {
	s := mustOpenSQLite(t)
	ctx := context.Background()
	if err := s.AppendReadAudit(ctx, []AuditEntry{
		{At: testNow.Add(time.Minute), Actor: "a", Action: "points.read", SubjectType: "licence", SubjectID: "7", RequestID: "r1"},
		{At: testNow.Add(3 * time.Minute), Actor: "a", Action: "points.read", SubjectType: "licence", SubjectID: "7", RequestID: "r2"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Transact(ctx, func(tx *Store) error {
		return tx.AppendAudit(ctx, []AuditEntry{{At: testNow.Add(2 * time.Minute), Actor: "b", Action: "licence.change", SubjectType: "licence", SubjectID: "7", RequestID: "c1"}})
	}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copie.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	b, err := Open(ctx, path, Options{Clock: clock.NewFixed(testNow)})
	if err != nil {
		t.Fatalf("open the backup as a register: %v", err)
	}
	defer b.Close()
	got, err := b.ListAudit(ctx, "licence", "7")
	if err != nil || len(got) != 3 {
		t.Fatalf("backup's ListAudit = %d entries, %v; want 3", len(got), err)
	}
	if got[0].RequestID != "r1" || got[1].RequestID != "c1" || got[2].RequestID != "r2" {
		t.Errorf("backup's entries %s, %s, %s; want r1, c1, r2", got[0].RequestID, got[1].RequestID, got[2].RequestID)
	}
	var inFile int
	if err := b.aud.r.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`).Scan(&inFile); err != nil || inFile != 0 {
		t.Errorf("the backup's new audit file holds %d entries, %v; want 0", inFile, err)
	}
}

// TestPostgresReadAudits: on PostgreSQL the read audits go to audit_log, by
// several writers at once; the session keeps the server's default
// synchronous_commit (on) for every other write.
func TestPostgresReadAudits(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	s := mustOpenPostgres(t, u)
	ctx := context.Background()
	var sync string
	if err := s.w.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&sync); err != nil || sync != "on" {
		t.Errorf("synchronous_commit = %q, %v; want on", sync, err)
	}
	if s.ReadAuditWriters() < 2 {
		t.Errorf("ReadAuditWriters = %d on PostgreSQL, want several", s.ReadAuditWriters())
	}
	if err := s.AppendReadAudit(ctx, []AuditEntry{{Actor: "a", Action: "points.read", SubjectType: "licence", SubjectID: "9"}}); err != nil {
		t.Fatal(err)
	}
	if es, err := s.ListAudit(ctx, "licence", "9"); err != nil || len(es) != 1 {
		t.Errorf("ListAudit after AppendReadAudit = %d entries, %v", len(es), err)
	}
}

// TestAuditFilePairsWithItsRegister: a backup restored over the register,
// with the old audit file still beside it, would list each read audit twice
// (the backup's audit_log holds them already) — the register refuses to open
// and says to move the file aside; once it is moved, each entry is listed
// once. The register and its own audit file open again and again.
func TestAuditFilePairsWithItsRegister(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	reg := filepath.Join(dir, "permis.db")
	open := func() (*Store, error) { return Open(ctx, reg, Options{Clock: clock.NewFixed(testNow)}) }
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendReadAudit(ctx, []AuditEntry{{At: testNow, Actor: "a", Action: "points.read", SubjectType: "licence", SubjectID: "7", RequestID: "r1"}}); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "copie.db")
	if err := s.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for range 2 { // the pair is stable across opens
		s, err := open()
		if err != nil {
			t.Fatalf("reopen the register beside its own audit file: %v", err)
		}
		s.Close()
	}
	// Restore: the backup replaces the register; the audit file stays.
	b, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{reg, reg + "-wal", reg + "-shm"} {
		os.Remove(f)
	}
	if err := os.WriteFile(reg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := open(); err == nil || !strings.Contains(err.Error(), "n'appartient pas à ce registre") {
		t.Fatalf("open the restored register beside the old audit file: %v; want a refusal", err)
	}
	for _, f := range []string{"", "-wal", "-shm"} {
		os.Rename(AuditFile(reg)+f, AuditFile(reg)+f+".ancien")
	}
	s, err = open()
	if err != nil {
		t.Fatalf("open the restored register with its audit file moved aside: %v", err)
	}
	defer s.Close()
	if got, err := s.ListAudit(ctx, "licence", "7"); err != nil || len(got) != 1 {
		t.Fatalf("ListAudit after the restore = %d entries, %v; want 1", len(got), err)
	}
}

// TestReadAuditDurability: a read's audit entry commits as
// Options.ReadAuditDurability says, and nothing else does. On PostgreSQL a
// trigger records synchronous_commit as each audit_log row is inserted: off
// for the reads' entries by default (both the group writer's statement and
// the points read's own), on with ReadAuditDisk; on for a change's entry
// either way, and the session's setting is on again after each read. On
// SQLite the audit file's writer runs synchronous=NORMAL, or FULL with
// ReadAuditDisk.
func TestReadAuditDurability(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		for _, d := range []ReadAuditDurability{ReadAuditProcess, ReadAuditDisk} {
			s, err := Open(ctx, filepath.Join(t.TempDir(), "permis.db"), Options{Clock: clock.NewFixed(testNow), ReadAuditDurability: d})
			if err != nil {
				t.Fatal(err)
			}
			var got int
			if err := s.aud.w.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := map[ReadAuditDurability]int{ReadAuditProcess: 1, ReadAuditDisk: 2}[d]; got != want {
				t.Errorf("%s: the audit file's synchronous = %d, want %d", d, got, want)
			}
			var reg int
			if err := s.w.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&reg); err != nil || reg != 1 {
				t.Errorf("%s: the register's synchronous = %d, %v; want 1 (NORMAL)", d, reg, err)
			}
			s.Close()
		}
	})
	t.Run("postgres", func(t *testing.T) {
		u := os.Getenv(storetest.EnvPostgres)
		if u == "" {
			t.Skip(storetest.EnvPostgres + " not set")
		}
		for _, d := range []ReadAuditDurability{ReadAuditProcess, ReadAuditDisk} {
			s, err := Open(ctx, storetest.PostgresSchema(t, u), Options{Clock: clock.NewFixed(testNow), ReadAuditDurability: d})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			s.w.SetMaxOpenConns(1) // one session: a setting that leaked would be seen
			for _, q := range []string{
				`CREATE TABLE commit_modes (action text, mode text)`,
				`CREATE FUNCTION record_commit_mode() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN INSERT INTO commit_modes VALUES (NEW.action, current_setting('synchronous_commit')); RETURN NULL; END $$`,
				`CREATE TRIGGER record_commit_mode AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION record_commit_mode()`,
			} {
				if _, err := s.w.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			session := func(after string) {
				var v string
				if err := s.w.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&v); err != nil || v != "on" {
					t.Errorf("%s: after %s the session's synchronous_commit = %q, %v; want on", d, after, v, err)
				}
			}
			if err := s.AppendReadAudit(ctx, []AuditEntry{{Actor: "a", Action: "group.one", SubjectType: "licence", SubjectID: "1"}}); err != nil {
				t.Fatal(err)
			}
			session("AppendReadAudit")
			many := make([]AuditEntry, s.d.batchParams/auditCols+3) // two statements, one transaction
			for i := range many {
				many[i] = AuditEntry{Actor: "a", Action: "group.many", SubjectType: "licence", SubjectID: "2"}
			}
			if err := s.AppendReadAudit(ctx, many); err != nil {
				t.Fatal(err)
			}
			session("a large AppendReadAudit")
			if _, err := s.LoadLicenceLedgerAudited(ctx, "999999999999", AuditEntry{Actor: "a", Action: "points.read", SubjectType: "licence", SubjectID: "999999999999"}); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("LoadLicenceLedgerAudited of an unknown NEPH: %v, want not found", err)
			}
			session("LoadLicenceLedgerAudited")
			if err := s.Transact(ctx, func(tx *Store) error {
				return tx.AppendAudit(ctx, []AuditEntry{{Actor: "a", Action: "change", SubjectType: "licence", SubjectID: "3"}})
			}); err != nil {
				t.Fatal(err)
			}
			read := "off"
			if d == ReadAuditDisk {
				read = "on"
			}
			want := map[string]string{"group.one": read, "group.many": read, "points.read": read, "change": "on"}
			rows, err := s.w.QueryContext(ctx, `SELECT action, mode, count(*) FROM commit_modes GROUP BY action, mode`)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for rows.Next() {
				var action, mode string
				var n int
				if err := rows.Scan(&action, &mode, &n); err != nil {
					t.Fatal(err)
				}
				if _, seen := got[action]; seen {
					t.Errorf("%s: %s committed with several settings", d, action)
				}
				got[action] = mode
			}
			rows.Close()
			for action, mode := range want {
				if got[action] != mode {
					t.Errorf("%s: %s inserted with synchronous_commit = %q, want %q", d, action, got[action], mode)
				}
			}
		}
	})
}
