package main

import (
	"strings"
	"testing"
)

// TestReadAuditDurabilityFlag: --read-audit-durability takes process or
// disk; anything else is a usage error that opens nothing.
func TestReadAuditDurabilityFlag(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, 0, "token", "list", "--data", dir, "--read-audit-durability", "disk")
	mustRun(t, 0, "token", "list", "--data", dir, "--read-audit-durability", "process")
	r := mustRun(t, 2, "token", "list", "--data", t.TempDir(), "--read-audit-durability", "always")
	if !strings.Contains(r.stderr, "--read-audit-durability inconnu : always (process ou disk)") {
		t.Errorf("stderr = %q", r.stderr)
	}
}
