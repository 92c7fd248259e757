package store

import (
	"context"
	"os"
	"testing"

	"permis/internal/store/storetest"
)

// pgFolded returns audit_fold's mark and how many keys audit_subjects holds.
func pgFolded(t *testing.T, s *Store) (mark int64, keys int) {
	t.Helper()
	err := s.w.QueryRowContext(context.Background(), `SELECT (SELECT mark FROM audit_fold), (SELECT count(*) FROM audit_subjects)`).Scan(&mark, &keys)
	if err != nil {
		t.Fatal(err)
	}
	return mark, keys
}

// TestPostgresAuditIndexedBehindTheLog: on PostgreSQL ListAudit finds every
// entry about a subject whether the fold has indexed it yet or not, and the
// fold indexes each entry once. audit_log has no subject index of its own.
func TestPostgresAuditIndexedBehindTheLog(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	s := mustOpenPostgres(t, u)
	ctx := context.Background()
	var indexes int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'audit_log'`).Scan(&indexes); err != nil || indexes != 1 {
		t.Errorf("audit_log has %d indexes, %v; want its primary key only", indexes, err)
	}
	if err := s.AppendReadAudit(ctx, readAudits(0, 60, 4)); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, 1, 0, 60, 4, "before or after a fold")
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if mark, keys := pgFolded(t, s); mark == 0 || keys != 60 {
		t.Fatalf("after a fold: mark %d, %d keys; want every entry indexed", mark, keys)
	}
	wantAudit(t, s, 1, 0, 60, 4, "after a fold")
	// Entries after the mark are read from the log, with those before it.
	if err := s.AppendReadAudit(ctx, readAudits(60, 20, 4)); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, 1, 0, 80, 4, "across the mark")
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if _, keys := pgFolded(t, s); keys != 80 {
		t.Fatalf("after two more folds: %d keys, want 80 (each entry once)", keys)
	}
	wantAudit(t, s, 1, 0, 80, 4, "after the last fold")
	wantAudit(t, s, 3, 0, 80, 4, "another subject")
}

// TestPostgresAuditFoldWaitsForInserts: an entry's id is drawn when it is
// inserted, not when it commits, so an entry with a smaller id can commit
// after a larger one. The fold must not move its mark past the entry still
// in flight, or that entry, once committed, would be below the mark and
// not in the index: listed nowhere.
func TestPostgresAuditFoldWaitsForInserts(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	s := mustOpenPostgres(t, u)
	ctx := context.Background()
	first := readAudits(0, 2, 1)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := (&Store{d: s.d, tx: tx, c: s.c, syncReadAudit: s.syncReadAudit}).AppendReadAudit(ctx, first[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendReadAudit(ctx, first[1:]); err != nil { // a larger id, committed first
		t.Fatal(err)
	}
	if _, err := s.fold.fold(ctx); err == nil {
		t.Log("the fold ran beside an insert in flight") // allowed only if it left the mark below it
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.FoldAuditIndex(ctx); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, s, 0, 0, 2, 1, "once both are committed and folded")
	if _, keys := pgFolded(t, s); keys != 2 {
		t.Fatalf("%d keys indexed, want 2", keys)
	}
}
