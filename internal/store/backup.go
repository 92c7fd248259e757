package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"permis/internal/apperr"
)

// Backup writes a consistent copy of a SQLite register to the new file
// path, while the service keeps serving: VACUUM INTO reads the database in
// one read transaction (a snapshot, which WAL mode lets writers go on
// beside) and writes a compact database that store.Open opens as a
// register. The read audits of the register's audit file (AuditFile) are
// then appended to the copy's audit_log, read in one snapshot of that file
// taken after the register's: the copy is one file holding the whole audit
// log, and opening it as a register starts a new, empty audit file beside
// it. The copy is written under a temporary name in path's directory,
// synced, then renamed, so path is either absent or complete. An existing
// path is refused (a backup never overwrites). PostgreSQL is backed up with
// pg_dump (docs/operations.md): Backup refuses it.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d.dollar {
		return apperr.New(apperr.Invalid, "La sauvegarde d'une base PostgreSQL se fait avec pg_dump (docs/operations.md).")
	}
	if _, err := os.Lstat(path); err == nil {
		return apperr.New(apperr.Conflict, fmt.Sprintf("Le fichier %s existe déjà : une sauvegarde n'écrase jamais un fichier.", path))
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	os.Remove(tmpName) // VACUUM INTO wants a new (or empty) file; the name is ours
	defer os.Remove(tmpName)
	// Its own connection: the read pool is query_only, and the writer must
	// stay free for the service while the copy is written.
	db, err := sql.Open("sqlite", "file:"+s.file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmpName); err != nil {
		return s.d.translate(err)
	}
	if err := s.copyReadAudits(ctx, tmpName); err != nil {
		return err
	}
	if err := syncFile(tmpName); err != nil {
		return err
	}
	if err := os.Link(tmpName, path); err != nil { // fails if path appeared meanwhile
		return err
	}
	return syncFile(dir)
}

func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// copyReadAudits appends the entries of the register's audit file to the
// audit_log of the copy at path (not yet opened by anyone else), in one
// transaction, in their order.
func (s *Store) copyReadAudits(ctx context.Context, path string) error {
	if s.aud == nil {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // ATTACH is per connection
	if _, err := db.ExecContext(ctx, `ATTACH DATABASE ? AS reads`, "file:"+s.aud.file); err != nil {
		return s.d.translate(err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO audit_log (at, actor, actor_role, action, subject_type, subject_id, reason, request_id)
		SELECT at, actor, actor_role, action, subject_type, subject_id, reason, request_id FROM reads.audit_log ORDER BY id`)
	if err != nil {
		return s.d.translate(err)
	}
	if _, err = db.ExecContext(ctx, `DETACH DATABASE reads`); err != nil {
		return s.d.translate(err)
	}
	// The copy holds the read audits now: it pairs with no existing audit
	// file, so the one beside the register it may be restored over is
	// refused rather than listed twice (auditfile.go).
	_, err = setPair(ctx, db, 0)
	return err
}
