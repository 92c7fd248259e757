package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"permis/internal/store"
	"permis/internal/store/storetest"
)

// TestBackgroundCheckpoint: with CheckpointEvery the writer does not
// checkpoint at commit (wal_autocheckpoint 0) and the pages it wrote still
// reach the database file, copied by the background checkpointer; without
// it SQLite's automatic checkpoint stays on.
func TestBackgroundCheckpoint(t *testing.T) {
	ctx := context.Background()
	autocheckpoint := func(s *store.Store) int {
		t.Helper()
		var n int
		if err := s.WriteDB().QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	plain, err := store.Open(ctx, storetest.SQLiteDSN(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if n := autocheckpoint(plain); n != 1000 {
		t.Errorf("default store: wal_autocheckpoint = %d, want SQLite's 1000", n)
	}

	path := storetest.SQLiteDSN(t)
	s, err := store.Open(ctx, path, store.Options{CheckpointEvery: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := autocheckpoint(s); n != 0 {
		t.Errorf("background checkpoints: writer's wal_autocheckpoint = %d, want 0", n)
	}
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	if _, err := s.WriteDB().ExecContext(ctx, `CREATE TABLE checkpoint_probe (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if _, err := s.WriteDB().ExecContext(ctx, `INSERT INTO checkpoint_probe VALUES (randomblob(1000000))`); err != nil {
			t.Fatal(err)
		}
	}
	// Only a checkpoint copies WAL frames into the database file.
	deadline := time.Now().Add(10 * time.Second)
	for size() < before+4_000_000 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (%d before 4 MB were written): no checkpoint ran", size(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
