package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
)

// readAudits returns n read-audit entries about subjects "0".."k-1" in turn.
func readAudits(from, n, k int) []AuditEntry {
	var es []AuditEntry
	for i := from; i < from+n; i++ {
		es = append(es, AuditEntry{At: testNow.Add(time.Duration(i) * time.Second), Actor: "agent-1", ActorRole: "agent",
			Action: "points.read", SubjectType: "licence", SubjectID: fmt.Sprint(i % k), RequestID: fmt.Sprint("read-", i)})
	}
	return es
}

// wantAudit fails unless ListAudit of subject returns exactly the request
// ids of entries from..from+n-1 about it (k subjects in turn), in order.
func wantAudit(t *testing.T, s *Store, subject, from, n, k int, when string) {
	t.Helper()
	got, err := s.ListAudit(context.Background(), "licence", fmt.Sprint(subject))
	if err != nil {
		t.Fatalf("%s: ListAudit: %v", when, err)
	}
	var want []string
	for i := from; i < from+n; i++ {
		if i%k == subject {
			want = append(want, fmt.Sprint("read-", i))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries about licence %d, want %d", when, len(got), subject, len(want))
	}
	for i := range want {
		if got[i].RequestID != want[i] {
			t.Fatalf("%s: entry %d is %s, want %s", when, i, got[i].RequestID, want[i])
		}
	}
}

// indexed returns the index's high-water mark and how many entries it holds.
func indexed(t *testing.T, s *Store) (upto, n int64) {
	t.Helper()
	db := s.aud.ix.w
	if err := db.QueryRow(`SELECT upto FROM audit_indexed`).Scan(&upto); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM audit_subject`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return upto, n
}

// On SQLite the read audits' subject index is built behind the log: the
// audit file has no index to write on a read's path, and ListAudit finds
// every entry whether it is indexed yet or not — before any fold, after
// one, and with new entries after the mark.
func TestReadAuditsIndexedBehindTheLog(t *testing.T) {
	ctx := context.Background()
	s := mustOpenSQLite(t)
	var idx int
	if err := s.aud.r.QueryRow(`SELECT count(*) FROM pragma_index_list('audit_log')`).Scan(&idx); err != nil || idx != 0 {
		t.Fatalf("the audit file's log has %d indexes (%v), want none", idx, err)
	}
	if err := s.AppendReadAudit(ctx, readAudits(0, 500, 7)); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, 3, 0, 500, 7, "before any fold") // the log after the mark: all of it, or part
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if upto, n := indexed(t, s); upto != 500 || n != 500 {
		t.Fatalf("after the fold: mark %d, %d entries indexed; want 500, 500", upto, n)
	}
	wantAudit(t, s, 3, 0, 500, 7, "after the fold")
	if err := s.AppendReadAudit(ctx, readAudits(500, 40, 7)); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, 3, 0, 540, 7, "indexed and not yet indexed")
	wantAudit(t, s, 6, 0, 540, 7, "indexed and not yet indexed")
	// A fold without anything new changes nothing; the background fold
	// catches up on its own.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if upto, _ := indexed(t, s); upto == 540 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the background fold did not index the new entries in 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if upto, n := indexed(t, s); upto != 540 || n != 540 {
		t.Fatalf("after folding twice: mark %d, %d entries; want 540, 540", upto, n)
	}
	wantAudit(t, s, 0, 0, 540, 7, "all indexed")
}

// The index is derived data: deleted, it is rebuilt from the log; an index
// left by another audit file (another pair number) is emptied and rebuilt,
// never mixed in; closing the register indexes what is left.
func TestAuditIndexRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	reg := filepath.Join(dir, "permis.db")
	open := func() *Store {
		t.Helper()
		s, err := Open(ctx, reg, Options{Clock: clock.NewFixed(testNow)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	if err := s.AppendReadAudit(ctx, readAudits(0, 120, 4)); err != nil {
		t.Fatal(err)
	}
	s.Close() // folds what is left
	ix, err := sql.Open("sqlite", "file:"+AuditIndexFile(reg))
	if err != nil {
		t.Fatal(err)
	}
	var upto int64
	if err := ix.QueryRow(`SELECT upto FROM audit_indexed`).Scan(&upto); err != nil || upto != 120 {
		t.Fatalf("after Close: mark %d (%v), want 120", upto, err)
	}
	// Another audit file's index: a wrong pair and a stray entry.
	if _, err := ix.Exec(`UPDATE audit_indexed SET pair = pair + 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Exec(`INSERT INTO audit_subject VALUES ('licence', '1', 99999)`); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	s = open()
	if upto, n := indexed(t, s); upto != 0 || n != 0 {
		t.Fatalf("an index of another audit file: mark %d, %d entries; want it emptied", upto, n)
	}
	wantAudit(t, s, 1, 0, 120, 4, "while it is rebuilt")
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, 1, 0, 120, 4, "rebuilt")
	s.Close()
	for _, f := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(AuditIndexFile(reg) + f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	s = open()
	defer s.Close()
	wantAudit(t, s, 2, 0, 120, 4, "index deleted")
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if upto, n := indexed(t, s); upto != 120 || n != 120 {
		t.Fatalf("index deleted, then folded: mark %d, %d entries; want 120, 120", upto, n)
	}
}

// A fold that fails is logged at once, not again on every retry, and Ready
// reports it once it has lasted auditFoldStale; the recovery is logged and
// Ready answers again. ListAudit stays complete meanwhile (the log's tail).
func TestAuditIndexFoldFailureLoggedAndReported(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	s, err := Open(ctx, filepath.Join(t.TempDir(), "permis.db"), Options{Clock: clock.NewFixed(testNow),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	x := s.aud.ix
	now := testNow
	x.mu.Lock()
	x.now = func() time.Time { return now }
	x.mu.Unlock()
	// Damage the index file: its entries' table is gone.
	if _, err := x.w.Exec(`DROP TABLE audit_subject`); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendReadAudit(ctx, readAudits(0, 30, 3)); err != nil {
		t.Fatal(err)
	}
	fold := func() error { _, err := x.fold(ctx); return err }
	for range 3 {
		if fold() == nil {
			t.Fatal("a fold into a damaged index succeeded")
		}
	}
	if n := strings.Count(logs.String(), "fold failed"); n != 1 {
		t.Fatalf("three failing folds logged %d times, want once:\n%s", n, logs.String())
	}
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready right after the first failure: %v", err)
	}
	wantAudit(t, s, 1, 0, 30, 3, "while the fold fails")
	now = now.Add(auditFoldStale)
	fold()
	wantCode(t, s.Ready(ctx), apperr.Unavailable)
	if !strings.Contains(logs.String(), "fold still failing") {
		t.Fatalf("a fold failing for a minute was not logged again:\n%s", logs.String())
	}
	// Repaired (what a rebuild does): the next fold succeeds.
	if _, err := x.w.Exec(auditIndexSchema); err != nil {
		t.Fatal(err)
	}
	if err := fold(); err != nil {
		t.Fatal(err)
	}
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready after the recovery: %v", err)
	}
	if !strings.Contains(logs.String(), "fold recovered") {
		t.Fatalf("the recovery was not logged:\n%s", logs.String())
	}
	wantAudit(t, s, 1, 0, 30, 3, "after the recovery")
}
