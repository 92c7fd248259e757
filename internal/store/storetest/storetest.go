// Package storetest gives tests a fresh database: a SQLite file in a
// temporary directory, and, when PERMIS_TEST_POSTGRES_URL is set, a fresh
// PostgreSQL schema dropped when the test ends. It only deals in connection
// strings, so every package (the store's own tests included) can use it.
//
// Each PostgreSQL schema handed out is also logged in the table
// public.permis_test_log of that database, so that CI can prove from the
// database itself that the PostgreSQL half of the suite ran.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
)

// EnvPostgres names the environment variable that switches on the
// PostgreSQL half of the suite.
const EnvPostgres = "PERMIS_TEST_POSTGRES_URL"

// SQLiteDSN returns the path of a new SQLite database in a temporary directory.
func SQLiteDSN(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "db", "permis.db")
}

// DSNs returns the databases a test should run on, by name: always
// "sqlite"; "postgres" too when PERMIS_TEST_POSTGRES_URL is set. Each call
// creates fresh ones.
func DSNs(tb testing.TB) map[string]func(testing.TB) string {
	m := map[string]func(testing.TB) string{"sqlite": SQLiteDSN}
	if u := os.Getenv(EnvPostgres); u != "" {
		m["postgres"] = func(tb testing.TB) string { return PostgresSchema(tb, u) }
	}
	return m
}

// ForEach runs fn as subtests named "sqlite" and, when PostgreSQL is
// configured, "postgres", each with a fresh database's DSN.
func ForEach(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteDSN(t)) })
	if u := os.Getenv(EnvPostgres); u != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, PostgresSchema(t, u)) })
	}
}

// ForEachRace is ForEach for a test of concurrent writers (two instances
// racing for one seat, one stamp, one ePhoto code, one outbox mail). Only
// its PostgreSQL half can see a race: SQLite serializes every write
// transaction (the store opens it with _txlock=immediate and one write
// connection), so a missing guard still passes there — removing both seat
// guards of the booking left TestBookingRace/sqlite green while
// TestBookingRace/postgres failed. The SQLite half still checks the
// outcome (counts, errors, nothing half written) and says so in the log;
// CI requires the PostgreSQL half (.ci/run), and `make test` runs it
// whenever a PostgreSQL answers on 127.0.0.1:5432.
func ForEachRace(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Log("SQLite serializes writes: this half checks the outcome but cannot see a race; the postgres half can")
		fn(t, SQLiteDSN(t))
	})
	if u := os.Getenv(EnvPostgres); u != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, PostgresSchema(t, u)) })
	}
}

var ensured sync.Map // database URL → struct{}

// PostgresSchema creates a new schema in the database at rawURL (creating
// the database if missing), drops it when the test ends, and returns rawURL
// with search_path set to it. An unreachable server fails the test: a suite
// told to run on PostgreSQL never silently skips it.
func PostgresSchema(tb testing.TB, rawURL string) string {
	tb.Helper()
	ctx := context.Background()
	if _, done := ensured.LoadOrStore(rawURL, struct{}{}); !done {
		createDatabase(tb, rawURL)
	}
	admin, err := sql.Open("pgx", rawURL)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	schema := "t_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("PostgreSQL at %s: create schema: %v", EnvPostgres, err)
	}
	if err := createTestLog(ctx, admin); err != nil {
		tb.Fatalf("permis_test_log: %v", err)
	}
	if _, err := admin.ExecContext(ctx, `INSERT INTO public.permis_test_log (test, schema_name) VALUES ($1, $2)`, tb.Name(), schema); err != nil {
		tb.Fatalf("permis_test_log: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", rawURL)
		if err != nil {
			tb.Errorf("postgres: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(rawURL)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// createTestLog creates the log of the tests that ran on PostgreSQL if it is
// missing. The packages' test binaries run at once, and two concurrent
// CREATE TABLE IF NOT EXISTS of one table can both miss it and one then
// fails on PostgreSQL's catalogue (pg_type_typname_nsp_index, seen in CI):
// a transaction-level advisory lock makes them take turns.
func createTestLog(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7243011)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS public.permis_test_log (test text NOT NULL, schema_name text NOT NULL, at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	return tx.Commit()
}

// createDatabase creates the database named in rawURL if it does not exist.
func createDatabase(tb testing.TB, rawURL string) {
	tb.Helper()
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	defer db.Close()
	err = db.Ping()
	var pe *pgconn.PgError
	if err == nil || !errors.As(err, &pe) || pe.Code != "3D000" { // invalid_catalog_name
		return // reachable, or a failure the test itself will report
	}
	u, _ := url.Parse(rawURL)
	name := u.Path[1:]
	u.Path = "/postgres"
	adm, err := sql.Open("pgx", u.String())
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	defer adm.Close()
	if _, err := adm.Exec(`CREATE DATABASE "` + name + `"`); err != nil {
		tb.Logf("create database %s: %v", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
