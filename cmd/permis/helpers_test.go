package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"permis/internal/points"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// register is one database a command under test works on: the flags that
// select it and the DSN a test opens to look inside.
type register struct {
	name  string
	flags []string // --data DIR or --database URL
	dsn   string
}

// forEachRegister runs fn on a fresh SQLite register and, when
// PERMIS_TEST_POSTGRES_URL is set, on a fresh PostgreSQL schema.
func forEachRegister(t *testing.T, fn func(t *testing.T, reg register)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newSQLiteRegister(t)) })
	for name, dsn := range storetest.DSNs(t) {
		if name == "postgres" {
			t.Run("postgres", func(t *testing.T) {
				u := dsn(t)
				fn(t, register{name: "postgres", flags: []string{"--database", u, "--data", t.TempDir()}, dsn: u})
			})
		}
	}
}

// newSQLiteRegister returns a register in a fresh data directory.
func newSQLiteRegister(t *testing.T) register {
	t.Helper()
	dir := t.TempDir()
	return register{name: "sqlite", flags: []string{"--data", dir}, dsn: filepath.Join(dir, "permis.db")}
}

// freshPostgres returns a register on a new schema of the PostgreSQL
// database the suite is told to use.
func freshPostgres(t *testing.T) register {
	t.Helper()
	u := storetest.PostgresSchema(t, os.Getenv(storetest.EnvPostgres))
	return register{name: "postgres", flags: []string{"--database", u, "--data", t.TempDir()}, dsn: u}
}

// noEnv is an empty environment: every setting comes from the arguments.
func noEnv(string) string { return "" }

// result is what one invocation of the program left behind.
type result struct {
	code   int
	stdout string
	stderr string
}

// stderrLines returns the non-empty lines written on standard error.
func (r result) stderrLines() []string {
	var out []string
	for _, l := range strings.Split(r.stderr, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// runPermis runs the program as main does, with stdin as standard input,
// and returns its exit status and outputs.
func runPermis(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"permis"}, args...), noEnv, strings.NewReader(stdin), &stdout, &stderr)
	code := exitCode(err, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustRun runs the program and fails the test unless it exits with want.
func mustRun(t *testing.T, want int, args ...string) result {
	t.Helper()
	r := runPermis(t, "", args...)
	if r.code != want {
		t.Fatalf("permis %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
	}
	return r
}

// mustOpenStore opens the register at dsn without migrating it.
func mustOpenStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{NoMigrate: true})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// countEvents counts the point events of the whole register through the
// store.
func countEvents(t *testing.T, dsn string) int {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.Options{NoMigrate: true})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	defer s.Close()
	n := 0
	err = s.ScanLedgers(context.Background(), func(_ int64, l points.Ledger) error {
		n += len(l.Offences) + len(l.Courses)
		return nil
	})
	if err != nil {
		t.Fatalf("ScanLedgers: %v", err)
	}
	return n
}

// mustOpenSQL opens the register with database/sql, for what the store
// does not expose (a raw dump, PRAGMA integrity_check).
func mustOpenSQL(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
