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
// register. The copy is written under a temporary name in path's directory,
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
