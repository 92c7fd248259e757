package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/points"
	"permis/internal/store/storetest"
	"permis/internal/testtool"
)

// writeBatches adds batches of batchSize offences to the first licences,
// one transaction each, until stop is closed; it returns the batches
// committed.
func writeBatches(t *testing.T, s *Store, stop <-chan struct{}, batchSize int) int {
	ctx := context.Background()
	day := date.MustParse("2025-01-10")
	for n := 0; ; n++ {
		select {
		case <-stop:
			return n
		default:
		}
		evs := make([]PointEvent, batchSize)
		for i := range evs {
			o := points.Offence{ID: fmt.Sprintf("W%06d-%02d", n, i), Committed: day, Established: day, Points: 1, Class: points.Class4}
			evs[i] = PointEvent{LicenceID: int64(1 + i%50), Offence: &o}
		}
		if err := s.AddPointEvents(ctx, evs); err != nil {
			t.Errorf("AddPointEvents: %v", err)
			return n
		}
	}
}

// eventsDigest is a checksum of point_events in event id order, and the
// number of rows; where, when set, limits it to event ids of the form W<batch>.
func eventsDigest(t *testing.T, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, maxID string) (string, int) {
	t.Helper()
	q := `SELECT event_id, licence_id, points FROM point_events WHERE event_id <= '` + maxID + `' ORDER BY event_id`
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h, n := sha256.New(), 0
	for rows.Next() {
		var id string
		var lic, pts int64
		if err := rows.Scan(&id, &lic, &pts); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s|%d|%d\n", id, lic, pts)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil)), n
}

// TestBackupWhileWriting: a backup taken while a writer commits batches of
// 20 offences holds whole batches only (a snapshot, never half a
// transaction), opens as a register, and its rows are exactly the source's
// rows of those batches.
func TestBackupWhileWriting(t *testing.T) {
	s := mustOpenSQLite(t)
	ctx := context.Background()
	if err := s.BulkLoad(ctx, syntheticBatch(0, 200)); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var batches int
	wg.Go(func() { batches = writeBatches(t, s, stop, 20) })
	for { // let some batches commit first
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM point_events WHERE event_id LIKE 'W%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= 200 {
			break
		}
	}
	path := filepath.Join(t.TempDir(), "copie.db")
	err := s.Backup(ctx, path)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	wantCode(t, s.Backup(ctx, path), apperr.Conflict)

	b, err := Open(ctx, path, Options{Clock: clock.NewFixed(testNow)})
	if err != nil {
		t.Fatalf("open the backup as a register: %v", err)
	}
	defer b.Close()
	if n, err := b.CountLicences(ctx); err != nil || n != 200 {
		t.Fatalf("backup holds %d licences, %v; want 200", n, err)
	}
	var copied int
	if err := b.r.QueryRowContext(ctx, `SELECT count(*) FROM point_events WHERE event_id LIKE 'W%'`).Scan(&copied); err != nil {
		t.Fatal(err)
	}
	if copied == 0 || copied%20 != 0 || copied/20 > batches {
		t.Fatalf("backup holds %d written offences: want whole batches of 20, at most %d batches", copied, batches)
	}
	last := fmt.Sprintf("W%06d-99", copied/20-1)
	gotSum, gotN := eventsDigest(t, b.r, last)
	wantSum, wantN := eventsDigest(t, s.r, last)
	if gotSum != wantSum || gotN != wantN {
		t.Fatalf("backup's events (%d, %s) differ from the source's (%d, %s)", gotN, gotSum, wantN, wantSum)
	}
	t.Logf("backup taken after %d of %d batches", copied/20, batches)
}

// TestBackupRefusesPostgres: PostgreSQL is backed up with pg_dump.
func TestBackupRefusesPostgres(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	s := mustOpenPostgres(t, u)
	wantCode(t, s.Backup(context.Background(), filepath.Join(t.TempDir(), "x.db")), apperr.Invalid)
}

// TestPostgresDumpRestore is the procedure of docs/operations.md: pg_dump
// in the custom format while a writer commits batches, pg_restore into an
// empty database, then the restored register opens (migrations recorded,
// nothing to apply) and holds whole batches, the same rows as the source.
func TestPostgresDumpRestore(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	tools := testtool.Need(t, "postgresql-client", "pg_dump", "pg_restore")
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t, u)
	s, err := Open(ctx, dsn, Options{Clock: clock.NewFixed(testNow), MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.BulkLoad(ctx, syntheticBatch(0, 200)); err != nil {
		t.Fatal(err)
	}
	schema := searchPath(t, dsn)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var batches int
	wg.Go(func() { batches = writeBatches(t, s, stop, 20) })
	dump := filepath.Join(t.TempDir(), "permis.dump")
	out, err := exec.CommandContext(ctx, tools[0], "--format=custom", "--no-owner", "--schema="+schema, "--file="+dump, baseURL(t, u)).CombinedOutput()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}

	// Restore into a new, empty database.
	restoreDB := "permis_restore_" + strings.ToLower(strings.TrimPrefix(schema, "t_"))
	admin, err := sql.Open("pgx", baseURL(t, u))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+restoreDB); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE `+restoreDB+` WITH (FORCE)`); err != nil {
			t.Errorf("drop %s: %v", restoreDB, err)
		}
	})
	restoreURL := withDatabase(t, dsn, restoreDB)
	if out, err := exec.CommandContext(ctx, tools[1], "--no-owner", "--exit-on-error", "--dbname="+withDatabase(t, baseURL(t, u), restoreDB), dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	r, err := Open(ctx, restoreURL, Options{Clock: clock.NewFixed(testNow), MaxConns: 2})
	if err != nil {
		t.Fatalf("open the restored register: %v", err)
	}
	defer r.Close()
	if err := r.Ready(ctx); err != nil {
		t.Fatalf("restored register not ready: %v", err)
	}
	if n, err := r.CountLicences(ctx); err != nil || n != 200 {
		t.Fatalf("restored register holds %d licences, %v; want 200", n, err)
	}
	var copied int
	if err := r.r.QueryRowContext(ctx, `SELECT count(*) FROM point_events WHERE event_id LIKE 'W%'`).Scan(&copied); err != nil {
		t.Fatal(err)
	}
	if copied%20 != 0 || copied/20 > batches {
		t.Fatalf("restored register holds %d written offences: want whole batches of 20, at most %d", copied, batches)
	}
	last := fmt.Sprintf("W%06d-99", copied/20-1)
	gotSum, gotN := eventsDigest(t, r.r, last)
	wantSum, wantN := eventsDigest(t, s.r, last)
	if gotSum != wantSum || gotN != wantN {
		t.Fatalf("restored events (%d, %s) differ from the source's (%d, %s)", gotN, gotSum, wantN, wantSum)
	}
	// The restored register works: the change triggers still mark licences.
	o := points.Offence{ID: "after-restore", Committed: testDay, Established: testDay, Points: 1, Class: points.Class4}
	if err := r.AddPointEvents(ctx, []PointEvent{{LicenceID: 7, Offence: &o}}); err != nil {
		t.Fatalf("write to the restored register: %v", err)
	}
	if got := dueIDs(t, r, testDay, passMark(t, r)); !got[7] {
		t.Fatalf("licence 7 not due after a write to the restored register: %v", got)
	}
	t.Logf("dump taken after %d of %d batches", copied/20, batches)
}

var testDay = date.MustParse("2026-03-14")

// searchPath returns the schema a storetest DSN selects.
func searchPath(t *testing.T, dsn string) string {
	t.Helper()
	p, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return p.Query().Get("search_path")
}

// baseURL is the database URL without the search_path (pg_dump refuses it).
func baseURL(t *testing.T, dsn string) string {
	t.Helper()
	p, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Query()
	q.Del("search_path")
	p.RawQuery = q.Encode()
	return p.String()
}

// withDatabase returns dsn naming another database.
func withDatabase(t *testing.T, dsn, db string) string {
	t.Helper()
	p, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p.Path = "/" + db
	return p.String()
}

// TestPostgresJITOff: the service's sessions run without JIT compilation
// (withoutJIT), unless the URL asks otherwise.
func TestPostgresJITOff(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	s := mustOpenPostgres(t, u)
	var jit string
	if err := s.r.QueryRowContext(context.Background(), `SHOW jit`).Scan(&jit); err != nil || jit != "off" {
		t.Fatalf("SHOW jit = %q, %v; want off", jit, err)
	}
	if got := withoutJIT("postgres://h/db?jit=on"); got != "postgres://h/db?jit=on" {
		t.Errorf("withoutJIT overrode an explicit jit: %s", got)
	}
}
