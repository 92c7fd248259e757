package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"permis/internal/store"
)

// TestBackupCommand: `permis backup` copies a SQLite register into a new
// file that opens as a register with the same licences and events, refuses
// to overwrite, and points PostgreSQL users to pg_dump.
func TestBackupCommand(t *testing.T) {
	reg := newSQLiteRegister(t)
	buildDemo(t, reg, 300, "", 0, 0)
	out := filepath.Join(t.TempDir(), "copie", "permis.db")
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, 0, append([]string{"backup"}, append(reg.flags, out)...)...)
	if !strings.Contains(r.stdout, "Sauvegarde de") {
		t.Errorf("stdout = %q", r.stdout)
	}
	b, err := store.Open(context.Background(), out, store.Options{NoMigrate: true})
	if err != nil {
		t.Fatalf("the backup does not open as a register: %v", err)
	}
	n, err := b.CountLicences(context.Background())
	b.Close()
	if err != nil || n != 300 {
		t.Fatalf("backup holds %d licences, %v; want 300", n, err)
	}
	if got, want := countEvents(t, out), countEvents(t, reg.dsn); got != want || want == 0 {
		t.Fatalf("backup holds %d events, the register %d", got, want)
	}
	// The copy is a register the commands work on.
	mustRun(t, 0, "points", "reevaluate", "--data", filepath.Dir(out))

	r = mustRun(t, 2, append([]string{"backup"}, append(reg.flags, out)...)...)
	if !strings.Contains(r.stderr, "existe déjà") {
		t.Errorf("overwrite refused with %q", r.stderr)
	}
	r = mustRun(t, 2, "backup", "--database", "postgres://nobody@127.0.0.1:1/x", out+".2")
	if !strings.Contains(r.stderr, "pg_dump") {
		t.Errorf("PostgreSQL refused with %q", r.stderr)
	}
	mustRun(t, 2, "backup", "--data", reg.flags[1])
}
