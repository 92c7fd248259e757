// Package store is the one store of the register, over SQLite (embedded, the
// default) and PostgreSQL (for scale), with the same API and the same tests on
// both. The few real differences between the two live in a dialect value.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"permis/internal/clock"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"           // registers the "sqlite" database/sql driver
)

// Default SQLite page caches of a server, in KiB: the read pool's budget and
// the writer's (Options.CacheKiB, Options.WriteCacheKiB).
const (
	DefaultReadCacheKiB  = 32768
	DefaultWriteCacheKiB = 32768
)

// BulkWriteCacheKiB is the writer's page cache of the bulk commands (import,
// demo, bench). Larger is not better: each 4 KiB page takes an 8 KiB slot of
// the SQLite allocator, and a cache that fills brings page allocations,
// decommits and a page-by-page release at close. Importing 300 000 offences
// into a 10 M-licence register took 14–15 s of CPU with 64 MiB, 21–27 s with
// 512 MiB (1.1 GB resident against 0.2), and the same with 16 or 128 MiB; at
// 1 M licences 64 and 512 MiB cost the same (BENCHMARKS.md, "Import cost per
// row").
const BulkWriteCacheKiB = 64 << 10

// Options tune Open. The zero value is a sensible default.
type Options struct {
	// NoMigrate leaves the schema alone at Open (for `permis migrate`, which
	// calls Migrate itself, or for instances that must not alter the schema).
	NoMigrate bool
	// ReadConns is the size of the SQLite read pool (default: 2 × CPUs, at least 4).
	ReadConns int
	// MaxConns is the size of the PostgreSQL pool (default 16).
	MaxConns int
	// CacheKiB is SQLite's page cache of the whole read pool in KiB,
	// shared out between its ReadConns connections (default 32768, at least
	// 1024 per connection). A budget, not a per-connection size, so that a
	// machine with more cores (more readers) does not use more memory: the
	// server's plateau stays under 256 MB whatever the cores and the
	// register's size (docs/operations.md, BENCHMARKS.md). SQLite drops a
	// connection's cache whenever another connection has committed to the
	// file since its last read: the audited reads commit their entries to
	// the audit file (AuditFile), so only the register's changes do.
	CacheKiB int
	// WriteCacheKiB is the writer connection's page cache in KiB (default
	// 32768); the writer's cache stays valid between its transactions.
	// Bulk tools (import, demo) raise it: index pages stay hot.
	WriteCacheKiB int
	// CheckpointEvery, when positive, moves SQLite's WAL checkpoints off the
	// commit path: the writer no longer checkpoints after the commit that
	// fills the WAL past 1 000 pages (wal_autocheckpoint=0), and a connection
	// of its own runs a PASSIVE checkpoint at this interval (a RESTART when
	// the WAL passes 64 MiB). Zero keeps SQLite's automatic checkpoints.
	// For servers read by other processes (docs/operations.md, "Reading the
	// SQLite file from another process"); ignored on PostgreSQL.
	CheckpointEvery time.Duration
	// Clock stamps created_at, recorded_at and similar columns (default: the
	// system clock).
	Clock clock.Clock
	// Logger receives what background work (the audit index's fold) cannot
	// return to a caller (default: discarded).
	Logger *slog.Logger
	// ReadAuditDurability is how far a read's audit entry is stored before
	// the read is answered (default ReadAuditProcess).
	ReadAuditDurability ReadAuditDurability
}

// ReadAuditDurability is how far the audit entry of a read of personal data
// (AppendReadAudit, LoadLicenceLedgerAudited) is stored before the read is
// answered. Either way the entry is committed first: no read is answered
// without its entry (docs/decisions.md, "How durable a read's audit entry
// is"). The audit entries of changes commit with their change, durably.
type ReadAuditDurability int

const (
	// ReadAuditProcess: committed, so that a crash or kill -9 of permis
	// cannot lose it. SQLite: in the audit file's WAL (synchronous=NORMAL),
	// which a power loss or a kernel crash may lose, as the register's own
	// last commits. PostgreSQL: the entry's transaction commits with
	// synchronous_commit=off, without waiting for its WAL flush, which the
	// WAL writer does within 3 × wal_writer_delay (600 ms by default): a
	// crash of PostgreSQL or of its machine may lose that window.
	ReadAuditProcess ReadAuditDurability = iota
	// ReadAuditDisk: also flushed to disk (SQLite: the audit file's commits
	// are synchronous=FULL; PostgreSQL: synchronous_commit=on for the
	// entry's transaction, whatever the server's default).
	ReadAuditDisk
)

// ParseReadAuditDurability reads "process" or "disk".
func ParseReadAuditDurability(s string) (ReadAuditDurability, error) {
	switch s {
	case "process", "":
		return ReadAuditProcess, nil
	case "disk":
		return ReadAuditDisk, nil
	}
	return 0, fmt.Errorf("store: read audit durability %q: want process or disk", s)
}

func (d ReadAuditDurability) String() string {
	if d == ReadAuditDisk {
		return "disk"
	}
	return "process"
}

// Store is the register's storage. A Store returned by Open is safe for
// concurrent use; the Store given to a Transact callback is bound to that
// transaction and must not outlive it.
type Store struct {
	d  *dialect
	w  *sql.DB // writes (SQLite: the one writer connection; PostgreSQL: the pool)
	r  *sql.DB // reads outside transactions (SQLite: query_only pool; PostgreSQL: the pool)
	tx *sql.Tx // non-nil in a Transact callback: every statement goes there
	c  clock.Clock

	rs, ws *stmtCache    // prepared statements of r and w (SQLite only; nil on PostgreSQL)
	file   string        // the SQLite file (Backup); "" on PostgreSQL
	ckpt   *checkpointer // background WAL checkpoints (Options.CheckpointEvery); usually nil
	aud    *auditDB      // the SQLite register's read-audit file (auditfile.go); nil on PostgreSQL
	// syncReadAudit is PostgreSQL's synchronous_commit for the read audits'
	// transactions, "off" or "on" (Options.ReadAuditDurability).
	syncReadAudit string
	fold          *pgAuditFold // PostgreSQL's audit subject index, built behind the log; nil on SQLite
}

func (s *Store) now() time.Time { return s.c.Now() }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Open opens the register at dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL, anything else is the path of a SQLite file (its directory is
// created). Migrations are applied unless opts.NoMigrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	var (
		s   *Store
		err error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err = openPostgres(ctx, dsn, opts)
	} else {
		s, err = openSQLite(ctx, dsn, opts)
	}
	if err != nil {
		return nil, err
	}
	s.c = opts.Clock
	if s.c == nil {
		s.c = clock.System{}
	}
	if !opts.NoMigrate {
		if _, err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	if s.d.dollar {
		// The fold needs migration 0026: a NoMigrate open of an older schema
		// runs without it (and is not Ready: the migration is missing).
		applied, err := s.appliedMigrations(ctx, s.reader())
		if err != nil {
			s.Close()
			return nil, err
		}
		if applied[auditSubjectsMigration] {
			s.fold = startPGAuditFold(s.w, opts.Logger)
		}
	}
	return s, nil
}

func openPostgres(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := pgx.ParseConfig(withoutJIT(dsn))
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db := stdlib.OpenDB(*cfg, stdlib.OptionShouldPing(pingAfterLoss))
	n := opts.MaxConns
	if n <= 0 {
		n = 16
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, unavailable(fmt.Errorf("store: connect postgres: %w", err))
	}
	sync := "off"
	if opts.ReadAuditDurability == ReadAuditDisk {
		sync = "on"
	}
	return &Store{d: postgresDialect, w: db, r: db, syncReadAudit: sync}, nil
}

// pgLostAt is when (Unix ns) a PostgreSQL connection was last found broken
// (dialect.translate). A server restart or pg_terminate_backend breaks every
// connection of the pool at once, but database/sql only learns it of each
// idle one when a query fails on it: without pingAfterLoss, the read run
// once more after a loss (server.RetryRead) and the next few requests each
// took another dead connection and answered 503.
var pgLostAt atomic.Int64

// pingAfterLoss decides whether pgx pings an idle connection before handing
// it out again: when it was idle more than a second (pgx's default), or
// when a connection was found broken since it was last used. A ping that
// fails discards it and database/sql takes another, or a new one.
func pingAfterLoss(_ context.Context, p stdlib.ShouldPingParams) bool {
	if p.IdleDuration > time.Second {
		return true
	}
	lost := pgLostAt.Load()
	return lost != 0 && time.Now().Add(-p.IdleDuration).UnixNano() <= lost
}

// withoutJIT turns PostgreSQL's JIT compilation off for the service's
// sessions, unless the URL sets jit itself: our queries are short, and a
// misestimated one (stale statistics after a bulk change) otherwise pays
// seconds of compilation — the nightly pass with nothing due took 2.0 s, 1.9 s
// of it JIT (BENCHMARKS.md, issue 15).
func withoutJIT(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Has("jit") {
		return dsn
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

func openSQLite(ctx context.Context, path string, opts Options) (*Store, error) {
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create database directory: %w", err)
		}
	}
	n := opts.ReadConns
	if n <= 0 {
		n = max(4, 2*runtime.NumCPU())
	}
	readCache, writeCache := opts.CacheKiB, opts.WriteCacheKiB
	if readCache <= 0 {
		readCache = DefaultReadCacheKiB
	}
	readCache = max(1024, readCache/n)
	if writeCache <= 0 {
		writeCache = DefaultWriteCacheKiB
	}
	q := url.Values{}
	for _, p := range []string{
		"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)",
		"temp_store(MEMORY)",
	} {
		q.Add("_pragma", p)
	}
	base := "file:" + path + "?"
	wq := cloneValues(q)
	wq.Add("_pragma", fmt.Sprintf("cache_size(-%d)", writeCache))
	if opts.CheckpointEvery > 0 {
		wq.Add("_pragma", "wal_autocheckpoint(0)")
	}
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", base+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	// One writer: SQLite serialises writers anyway; queueing them in the pool
	// rather than in busy_timeout keeps latency fair and SQLITE_BUSY rare.
	keepConns(w, 1)
	if err := pingSQLite(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	rq := cloneValues(q)
	rq.Add("_pragma", fmt.Sprintf("cache_size(-%d)", readCache))
	rq.Add("_pragma", "query_only(1)")
	r, err := sql.Open("sqlite", base+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	keepConns(r, n)
	pair, err := registerPair(ctx, w)
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	aud, err := openAuditFile(ctx, path, q, pair, opts.ReadAuditDurability, opts.Logger)
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	st := &Store{d: sqliteDialect, w: w, r: r, rs: newStmtCache(r), ws: newStmtCache(w), file: path, aud: aud}
	if opts.CheckpointEvery > 0 {
		if st.ckpt, err = startCheckpointer(base+q.Encode(), path+"-wal", opts.CheckpointEvery); err != nil {
			aud.close()
			r.Close()
			w.Close()
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
	}
	return st, nil
}

// pingSQLite opens db's first connection, which runs the pragmas. Setting
// journal_mode(WAL) needs the file's exclusive lock and SQLite does not run
// the busy handler for it: when several processes open a new file at once
// (three instances started together, TestConcurrentOpenMigratesOnce), all
// but one get SQLITE_BUSY at once, whatever busy_timeout says. So the
// first connection is tried again, briefly, for as long as busy_timeout
// would have waited.
func pingSQLite(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(sqliteOpenWait)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		err := db.PingContext(ctx)
		if err == nil || !sqliteDialect.retryable(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// sqliteOpenWait is how long pingSQLite tries: busy_timeout's 10 s.
const sqliteOpenWait = 10 * time.Second

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// WriteDB is the database handle that writes (SQLite: the one writer
// connection). The job queue (internal/jobs) works over it, so that its
// writes queue with ours instead of fighting for SQLite's lock.
func (s *Store) WriteDB() *sql.DB { return s.w }

// SQLTx is the transaction of a Transact callback's store, nil outside one:
// the job queue inserts its jobs there, so that a job exists exactly when
// the change that causes it commits.
func (s *Store) SQLTx() *sql.Tx { return s.tx }

// Close closes the pools. It does nothing on a transaction-bound Store.
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	if s.rs != nil {
		s.rs.close()
		s.ws.close()
	}
	if s.fold != nil {
		s.fold.close()
	}
	var err error
	if s.ckpt != nil {
		err = s.ckpt.close()
	}
	err = errors.Join(err, s.w.Close())
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	if s.aud != nil {
		err = errors.Join(err, s.aud.close())
	}
	return err
}

// Ready reports whether the database answers and every embedded migration is
// applied: the readiness probe of the service.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return unavailable(err)
	}
	applied, err := s.appliedMigrations(ctx, s.reader())
	if err != nil {
		return unavailable(err)
	}
	names, err := s.d.migrationNames()
	if err != nil {
		return err
	}
	for _, n := range names {
		if !applied[n] {
			return unavailable(fmt.Errorf("store: migration %s not applied", n))
		}
	}
	if s.aud != nil && s.aud.ix != nil {
		if err := s.aud.ix.health(); err != nil {
			return unavailable(err)
		}
	}
	if s.fold != nil {
		if err := s.fold.health(); err != nil {
			return unavailable(err)
		}
	}
	return nil
}

// reader is where reads go: the transaction inside Transact, else the read pool.
func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.r
}

// writer is where writes go: the transaction inside Transact, else the writer.
func (s *Store) writer() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.w
}

// prepared returns the cached prepared statement of query on cache, or nil
// when there is none to use (PostgreSQL, inside a transaction, cache full).
func (s *Store) prepared(ctx context.Context, cache *stmtCache, query string) (*sql.Stmt, error) {
	if cache == nil || s.tx != nil {
		return nil, nil
	}
	return cache.get(ctx, query)
}

// exec runs a write statement written with ? placeholders.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := s.d.rebind(query)
	st, err := s.prepared(ctx, s.ws, q)
	if err != nil {
		return nil, s.d.translate(err)
	}
	var res sql.Result
	if st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = s.writer().ExecContext(ctx, q, args...)
	}
	return res, s.d.translate(err)
}

// query runs a read statement written with ? placeholders.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := s.d.rebind(query)
	st, err := s.prepared(ctx, s.rs, q)
	if err != nil {
		return nil, s.d.translate(err)
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = s.reader().QueryContext(ctx, q, args...)
	}
	return rows, s.d.translate(err)
}

// queryRow runs a one-row read written with ? placeholders.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := s.d.rebind(query)
	if st, err := s.prepared(ctx, s.rs, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.reader().QueryRowContext(ctx, q, args...)
}

// queryRowW runs a one-row statement on the writer (INSERT … RETURNING).
func (s *Store) queryRowW(ctx context.Context, query string, args ...any) *sql.Row {
	q := s.d.rebind(query)
	if st, err := s.prepared(ctx, s.ws, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.writer().QueryRowContext(ctx, q, args...)
}

// Transact runs fn in one transaction on the writer. fn receives a Store bound
// to the transaction, with every method of Store. The transaction commits if
// fn returns nil and rolls back otherwise; it is retried (fn called again) when
// SQLite is busy or PostgreSQL reports a serialization failure or deadlock, so
// fn must have no effect outside the database. Inside a transaction, Transact
// simply calls fn.
func (s *Store) Transact(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	const attempts = 5
	var err error
	for i := range attempts {
		err = s.transactOnce(ctx, fn)
		if err == nil || !s.d.retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(10*(i+1)*(i+1)) * time.Millisecond)
	}
	return err
}

func (s *Store) transactOnce(ctx context.Context, fn func(tx *Store) error) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.d.translate(err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&Store{d: s.d, w: s.w, r: s.r, tx: tx, c: s.c, file: s.file, aud: s.aud, syncReadAudit: s.syncReadAudit}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return s.d.translate(tx.Commit())
}
