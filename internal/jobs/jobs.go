// Package jobs is the background work of the service: a River job queue in
// the service's own database, SQLite or PostgreSQL, so that a job is
// inserted in the same transaction as the change that causes it (a job
// exists exactly when its cause commits) and is worked by whichever server
// instance fetches it first.
//
// River's own tables are created by Open (rivermigrate), beside ours. On
// SQLite the queue works over the store's single writer connection, so its
// writes queue with ours; on PostgreSQL over the store's pool, through
// database/sql (riverdatabasesql), so that it shares the store's
// transactions. Neither has LISTEN/NOTIFY here: workers poll (PollInterval).
//
// A job's worker must be idempotent: River works a job at least once (a
// server killed after doing the work but before recording it works it
// again after restart).
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"permis/internal/store"
)

// Options configure the queue.
type Options struct {
	// Workers are the job kinds this instance works; nil makes an
	// insert-only queue (commands that only cause work).
	Workers *river.Workers
	// MaxWorkers is the number of jobs worked at once (default 4).
	MaxWorkers int
	// PollInterval is how often idle workers look for new jobs (default
	// 1 s).
	PollInterval time.Duration
	// MaxAttempts before a job is discarded (default 10, with River's
	// exponential backoff).
	MaxAttempts int
	Logger      *slog.Logger
}

// Queue inserts and works jobs.
type Queue struct {
	client *river.Client[*sql.Tx]
	work   bool
}

// Open migrates River's tables and returns the queue over the store's
// database. Call Start to work jobs, Stop before closing the store.
func Open(ctx context.Context, s *store.Store, opts Options) (*Queue, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxWorkers <= 0 {
		opts.MaxWorkers = 4
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 10
	}
	var driver riverdriver.Driver[*sql.Tx]
	switch s.Dialect() {
	case "sqlite":
		driver = riversqlite.New(s.WriteDB())
	case "postgres":
		driver = riverdatabasesql.New(s.WriteDB())
	default:
		return nil, fmt.Errorf("jobs: base %q non prise en charge", s.Dialect())
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: opts.Logger})
	if err != nil {
		return nil, fmt.Errorf("jobs: migrations de la file : %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("jobs: migrations de la file : %w", err)
	}
	cfg := &river.Config{
		Logger:            opts.Logger,
		MaxAttempts:       opts.MaxAttempts,
		FetchPollInterval: opts.PollInterval,
		FetchCooldown:     min(opts.PollInterval, 100*time.Millisecond),
		PollOnly:          true,
		Workers:           opts.Workers,
	}
	if opts.Workers != nil {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.MaxWorkers}}
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Queue{client: client, work: opts.Workers != nil}, nil
}

// Start works jobs until Stop or until ctx ends. An insert-only queue does
// nothing.
func (q *Queue) Start(ctx context.Context) error {
	if !q.work {
		return nil
	}
	return q.client.Start(ctx)
}

// Stop lets the running jobs finish (until ctx ends) and stops fetching.
func (q *Queue) Stop(ctx context.Context) error {
	if !q.work {
		return nil
	}
	return q.client.Stop(ctx)
}

// ErrNoTransaction is returned by Insert outside a Transact callback.
var ErrNoTransaction = errors.New("jobs: un travail s'insère dans la transaction de ce qui le cause (store.Transact)")

// Insert adds a job in tx, the store of a store.Transact callback: it
// exists if and only if the transaction commits. opts may be nil.
func (q *Queue) Insert(ctx context.Context, tx *store.Store, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error) {
	sqlTx := tx.SQLTx()
	if sqlTx == nil {
		return nil, ErrNoTransaction
	}
	res, err := q.client.InsertTx(ctx, sqlTx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insertion de %s : %w", args.Kind(), err)
	}
	return res.Job, nil
}

// Client is River's client, for what this package does not wrap (tests
// subscribe to its events; an admin page may list jobs).
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }
