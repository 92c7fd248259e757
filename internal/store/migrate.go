package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// migrationNames lists the dialect's migrations in the order they apply.
func (d *dialect) migrationNames() ([]string, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations/"+d.name)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

const createMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    TEXT PRIMARY KEY,
	applied_at TEXT NOT NULL
)`

// Migrate applies, in order and each in its own transaction, the embedded
// migrations not yet recorded in schema_migrations, and returns their names.
// On PostgreSQL it holds an advisory lock (per schema) meanwhile, so two
// instances starting together do not race. Running it again does nothing.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	if s.tx != nil {
		return nil, fmt.Errorf("store: Migrate inside a transaction")
	}
	names, err := s.d.migrationNames()
	if err != nil {
		return nil, err
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	defer conn.Close()
	if s.d.dollar {
		const lock = `SELECT pg_advisory_lock(hashtext('permis.migrate.' || current_schema()))`
		if _, err := conn.ExecContext(ctx, lock); err != nil {
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), //nolint:errcheck // the session ends with the connection anyway
			`SELECT pg_advisory_unlock(hashtext('permis.migrate.' || current_schema()))`)
	}
	if _, err := conn.ExecContext(ctx, createMigrations); err != nil {
		return nil, fmt.Errorf("store: create schema_migrations: %w", err)
	}
	applied, err := s.appliedMigrations(ctx, conn)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, name := range names {
		if applied[name] {
			continue
		}
		if err := s.applyMigration(ctx, conn, name); err != nil {
			return done, err
		}
		done = append(done, name)
	}
	return done, nil
}

func (s *Store) applyMigration(ctx context.Context, conn *sql.Conn, name string) error {
	body, err := migrationFS.ReadFile("migrations/" + s.d.name + "/" + name)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// Another instance may have applied it between our reading of
	// schema_migrations and this transaction (on SQLite, which has no
	// advisory lock, the transaction's write lock is what serialises them).
	var already int
	if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM schema_migrations WHERE version = ?`), name).Scan(&already); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	if already > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)`),
		name, s.now().UTC().Format(sqliteTime)); err != nil {
		return fmt.Errorf("store: record migration %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	return nil
}

// appliedMigrations reads schema_migrations; a missing table means none.
func (s *Store) appliedMigrations(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]bool, error) {
	exists := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if s.d.dollar {
		exists = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`
	}
	rows, err := q.QueryContext(ctx, exists)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var n int
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
	}
	rows.Close()
	applied := map[string]bool{}
	if n == 0 {
		return applied, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}
