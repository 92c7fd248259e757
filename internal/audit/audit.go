// Package audit records who read which personal data, in an append-only
// log. Its Writer group-commits: a read's response waits until its entry is
// durably stored (nothing is lost), while concurrent reads share one write
// (throughput).
package audit

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/clock"
)

// Entry is one audit record: who did what to whose data, why, and in which
// request.
type Entry struct {
	At          time.Time
	Actor       string // the actor's ID (token, user or job)
	ActorRole   access.Role
	Action      string // e.g. "licence.read", "statement.download"
	SubjectType string // e.g. "licence", "person", "dossier"
	SubjectID   string
	Reason      string // the purpose given for the access, when one is required
	RequestID   string
}

// Sink stores a batch of entries durably (typically one INSERT in one
// transaction) and returns only once they are committed. A Writer calls it
// from Options.Writers goroutines (one by default).
type Sink func(ctx context.Context, entries []Entry) error

// Options tune a Writer.
type Options struct {
	// MaxBatch caps the entries in one sink call; 0 means 512.
	MaxBatch int
	// Clock stamps entries whose At is zero; nil means the system clock.
	Clock clock.Clock
	// Writers is how many batches may be committing at once; 0 means 1.
	// One suits a database that serialises its writers (SQLite). Where a
	// commit waits for a disk flush that concurrent commits share
	// (PostgreSQL's WAL flush), a second writer collects the entries that
	// arrive during a commit and commits them alongside instead of after it.
	Writers int
}

// ErrClosed is the cause of Record's error once the Writer is closed.
var ErrClosed = errors.New("audit: writer closed")

// Writer batches entries from concurrent callers into single sink calls.
type Writer struct {
	sink  Sink
	max   int
	clock clock.Clock

	batches, entries atomic.Int64 // written so far, for Stats

	mu     sync.RWMutex // guards closed against sends on queue
	closed bool
	queue  chan pending
	done   chan struct{} // closed when the collectors have flushed and exited
	once   sync.Once
}

type pending struct {
	entry Entry
	res   chan error // buffered(1): the collector never blocks on a waiter
}

// NewWriter starts a Writer over sink. Call Close to flush and stop it.
func NewWriter(sink Sink, o Options) *Writer {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 512
	}
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	o.Writers = max(1, o.Writers)
	w := &Writer{
		sink:  sink,
		max:   o.MaxBatch,
		clock: o.Clock,
		queue: make(chan pending, o.MaxBatch),
		done:  make(chan struct{}),
	}
	var wg sync.WaitGroup
	for range o.Writers {
		wg.Go(w.collect)
	}
	go func() { wg.Wait(); close(w.done) }()
	return w
}

// Record stores e and returns once the batch holding it is committed, with
// the sink's result for that batch. If ctx ends first Record returns an
// error, but the entry, already queued, may still be written: the caller
// must then not serve the data, and the log may show an access that was
// not completed, never the reverse.
func (w *Writer) Record(ctx context.Context, e Entry) error {
	q, err := w.Start(ctx, e)
	if err != nil {
		return err
	}
	return q.Wait(ctx)
}

// Queued is an entry handed to the writer and not yet known to be stored.
type Queued struct{ res chan error }

// Start queues e and returns at once; Wait returns once it is stored. A
// read starts its entry before reading and waits for it before answering:
// the entry's commit and the read overlap, and nothing is served before its
// entry is stored (issue 15: the audited read waited for the read, then
// for the commit). If the read then fails, the caller may return without
// waiting: the log shows an attempted access — never the reverse, a served
// read without its entry.
func (w *Writer) Start(ctx context.Context, e Entry) (Queued, error) {
	if e.Action == "" || e.Actor == "" {
		return Queued{}, apperr.Wrap(apperr.Internal, "Une erreur interne est survenue. Veuillez réessayer plus tard.",
			fmt.Errorf("audit: entry without actor or action: %+v", e))
	}
	if e.At.IsZero() {
		e.At = w.clock.Now()
	}
	p := pending{entry: e, res: make(chan error, 1)}

	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return Queued{}, unavailable(ErrClosed)
	}
	select {
	case w.queue <- p:
	case <-ctx.Done():
		w.mu.RUnlock()
		return Queued{}, unavailable(ctx.Err())
	}
	w.mu.RUnlock()
	return Queued{res: p.res}, nil
}

// Wait returns once the entry is stored, with the sink's result for its
// batch, or an error when ctx ends first. Call it once.
func (q Queued) Wait(ctx context.Context) error {
	select {
	case err := <-q.res:
		if err != nil {
			return unavailable(err)
		}
		return nil
	case <-ctx.Done():
		return unavailable(ctx.Err())
	}
}

func unavailable(cause error) error {
	return apperr.Wrap(apperr.Unavailable, "Le journal d'audit est indisponible ; la consultation n'a pas pu être enregistrée.", cause)
}

// Stats returns how many batches and entries the writer has written: their
// ratio is the group commit's gain.
func (w *Writer) Stats() (batches, entries int64) { return w.batches.Load(), w.entries.Load() }

// Close stops accepting entries, writes those already queued and returns
// once they are stored. It is safe to call more than once.
func (w *Writer) Close() error {
	w.once.Do(func() {
		w.mu.Lock() // waits for senders in flight; the collector keeps draining
		w.closed = true
		close(w.queue)
		w.mu.Unlock()
	})
	<-w.done
	return nil
}

// collect is a goroutine writing batches (one per Options.Writers): it
// blocks for a first entry, takes whatever else is already queued (the
// callers that arrived during the previous write), writes them in one sink
// call and releases every waiter with the result.
func (w *Writer) collect() {
	batch := make([]pending, 0, w.max)
	for {
		p, ok := <-w.queue
		if !ok {
			return
		}
		batch = append(batch[:0], p)
		var open bool
		batch, open = w.fill(batch)
		// Let the other goroutines run before committing, as long as each
		// turn brings more entries: under load the requests still being
		// served join this commit instead of each paying one of their own
		// (at 16 connections on 2 busy cores, commits held 1.4 entries
		// without this); idle, nothing else is runnable and Gosched returns
		// at once. The group grows with the load, without a timer.
		for yields := 0; open && len(batch) < w.max && yields < maxYields; yields++ {
			n := len(batch)
			runtime.Gosched()
			if batch, open = w.fill(batch); len(batch) == n {
				break
			}
		}
		entries := make([]Entry, len(batch)) // fresh: the sink may keep it
		for i, p := range batch {
			entries[i] = p.entry
		}
		err := w.write(entries)
		w.batches.Add(1)
		w.entries.Add(int64(len(entries)))
		for _, p := range batch {
			p.res <- err
		}
	}
}

// maxYields bounds how many scheduler turns a collector gives the requests
// in flight before it commits what it holds.
const maxYields = 8

// fill appends what is already queued to batch, without waiting, up to the
// batch limit; open is false once the queue is closed.
func (w *Writer) fill(batch []pending) (_ []pending, open bool) {
	for len(batch) < w.max {
		select {
		case p, ok := <-w.queue:
			if !ok {
				return batch, false
			}
			batch = append(batch, p)
		default:
			return batch, true
		}
	}
	return batch, true
}

// write calls the sink, turning a panic into an error so that no waiter is
// left blocked forever.
func (w *Writer) write(entries []Entry) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("audit: sink panicked: %v", v)
		}
	}()
	return w.sink(context.Background(), entries)
}
