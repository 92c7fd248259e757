package store

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"time"
)

// checkpointRestartBytes is the WAL size above which the background
// checkpointer asks for a RESTART (wait for the readers of old snapshots,
// then make the next writer start the WAL from its beginning) rather than a
// PASSIVE checkpoint, so that readers who never leave the WAL all at once
// cannot make it grow without bound.
const checkpointRestartBytes = 64 << 20

// checkpointer runs SQLite's WAL checkpoints on its own connection at an
// interval, instead of on the connection that commits (Options.CheckpointEvery).
type checkpointer struct {
	db   *sql.DB
	stop context.CancelFunc
	done sync.WaitGroup
}

// startCheckpointer opens one more connection on the file (dsn is the
// writer's, with its pragmas) and checkpoints every interval until close.
// A PASSIVE checkpoint copies what it can without waiting for anyone; above
// checkpointRestartBytes of WAL it asks for a RESTART, which waits at most
// its own short busy timeout for readers, then gives up until the next tick.
func startCheckpointer(dsn, walPath string, every time.Duration) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn+"&_pragma=busy_timeout(100)")
	if err != nil {
		return nil, err
	}
	keepConns(db, 1)
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, stop: cancel}
	c.done.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			mode := "PASSIVE"
			if walSize(walPath) > checkpointRestartBytes {
				mode = "RESTART"
			}
			// Errors (busy, a closing database) are retried at the next tick:
			// the WAL only grows meanwhile, nothing is lost.
			var busy, log, done int
			_ = db.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &log, &done)
		}
	})
	return c, nil
}

func (c *checkpointer) close() error {
	c.stop()
	c.done.Wait()
	return c.db.Close()
}

// walSize is the size of the WAL file in bytes, 0 when it cannot be read.
func walSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// keepConns sizes a SQLite pool to n connections, kept open for good: a
// connection's page cache is what makes its reads cheap.
func keepConns(db *sql.DB, n int) {
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
}
