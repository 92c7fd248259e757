package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/clock"
)

// memSink stores batches in memory, optionally held by a gate or failing.
type memSink struct {
	mu      sync.Mutex
	stored  map[string]Entry
	batches []int
	gate    chan struct{} // if set, each call waits for a value
	entered chan struct{} // if set, signalled when a call starts
	fail    func(call int) error
	delay   time.Duration
}

func newMemSink() *memSink { return &memSink{stored: map[string]Entry{}} }

func (s *memSink) write(_ context.Context, entries []Entry) error {
	s.mu.Lock()
	call := len(s.batches)
	s.batches = append(s.batches, len(entries))
	s.mu.Unlock()
	if s.entered != nil {
		s.entered <- struct{}{}
	}
	if s.gate != nil {
		<-s.gate
	}
	time.Sleep(s.delay)
	if s.fail != nil {
		if err := s.fail(call); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		s.stored[e.SubjectID] = e
	}
	return nil
}

func (s *memSink) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.stored[id]
	return ok
}

func (s *memSink) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.batches)
}

func entry(i int) Entry {
	return Entry{At: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), Actor: "agent-7", ActorRole: access.Agent,
		Action: "licence.read", SubjectType: "licence", SubjectID: fmt.Sprint("L", i), RequestID: fmt.Sprint("req-", i)}
}

// waitQueued waits until n entries sit in the writer's queue.
func waitQueued(t *testing.T, w *Writer, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(w.queue) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d entries queued, want %d", len(w.queue), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestConcurrentRecordsShareCommits(t *testing.T) {
	sink := newMemSink()
	sink.delay = 2 * time.Millisecond // a commit's fsync
	w := NewWriter(sink.write, Options{})
	defer w.Close()

	const n = 500
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if err := w.Record(context.Background(), entry(i)); err != nil {
				errs <- err
				return
			}
			// The whole point: once Record returns, the entry is stored.
			if !sink.has(fmt.Sprint("L", i)) {
				errs <- fmt.Errorf("entry %d not stored when Record returned", i)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(sink.stored); got != n {
		t.Errorf("%d entries stored, want %d", got, n)
	}
	if c := sink.calls(); c >= n/10 {
		t.Errorf("%d sink calls for %d entries: no group commit", c, n)
	} else {
		t.Logf("%d entries in %d sink calls", n, c)
	}
}

func TestSinkErrorReachesEveryWaiterOfTheBatch(t *testing.T) {
	sinkErr := errors.New("disk full")
	sink := newMemSink()
	sink.gate = make(chan struct{})
	sink.entered = make(chan struct{}, 10)
	sink.fail = func(call int) error {
		if call == 1 {
			return sinkErr
		}
		return nil
	}
	w := NewWriter(sink.write, Options{})
	defer w.Close()

	first := make(chan error, 1)
	go func() { first <- w.Record(context.Background(), entry(0)) }()
	<-sink.entered // batch 0 = [entry 0], held at the gate

	const n = 10
	errs := make(chan error, n)
	for i := 1; i <= n; i++ {
		go func() { errs <- w.Record(context.Background(), entry(i)) }()
	}
	waitQueued(t, w, n)
	sink.gate <- struct{}{} // batch 0 succeeds
	if err := <-first; err != nil {
		t.Fatalf("first batch: %v", err)
	}
	<-sink.entered
	sink.gate <- struct{}{} // batch 1 = the n others, fails
	for range n {
		err := <-errs
		if !errors.Is(err, sinkErr) || !apperr.Is(err, apperr.Unavailable) {
			t.Errorf("Record error %v, want unavailable wrapping %v", err, sinkErr)
		}
	}
	if sink.batches[1] != n {
		t.Errorf("batch sizes %v, want the %d waiters in one batch", sink.batches, n)
	}
}

func TestCloseFlushesAndRefusesLaterRecords(t *testing.T) {
	sink := newMemSink()
	sink.gate = make(chan struct{})
	sink.entered = make(chan struct{}, 10)
	w := NewWriter(sink.write, Options{})

	errs := make(chan error, 6)
	go func() { errs <- w.Record(context.Background(), entry(0)) }()
	<-sink.entered
	for i := 1; i <= 5; i++ {
		go func() { errs <- w.Record(context.Background(), entry(i)) }()
	}
	waitQueued(t, w, 5)

	closed := make(chan struct{})
	go func() { w.Close(); close(closed) }()
	go func() {
		for range 2 {
			sink.gate <- struct{}{}
		}
	}()
	<-closed
	for i := 0; i <= 5; i++ {
		if !sink.has(fmt.Sprint("L", i)) {
			t.Errorf("entry %d lost by Close", i)
		}
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Errorf("Record before Close: %v", err)
		}
	}

	err := w.Record(context.Background(), entry(99))
	if !errors.Is(err, ErrClosed) || !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Record after Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRecordContextEndsWhileWaiting(t *testing.T) {
	sink := newMemSink()
	sink.gate = make(chan struct{})
	w := NewWriter(sink.write, Options{})
	defer func() { close(sink.gate); w.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := w.Record(ctx, entry(1)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Record = %v, want deadline exceeded", err)
	}
}

func TestSinkPanicReleasesWaiters(t *testing.T) {
	w := NewWriter(func(context.Context, []Entry) error { panic("driver bug") }, Options{})
	defer w.Close()
	if err := w.Record(context.Background(), entry(1)); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("Record = %v, want unavailable", err)
	}
}

func TestRecordStampsAndValidates(t *testing.T) {
	now := time.Date(2026, 5, 4, 9, 30, 0, 0, time.UTC)
	sink := newMemSink()
	w := NewWriter(sink.write, Options{Clock: clock.NewFixed(now)})
	defer w.Close()
	e := entry(1)
	e.At = time.Time{}
	if err := w.Record(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if got := sink.stored["L1"].At; !got.Equal(now) {
		t.Errorf("At = %v, want %v", got, now)
	}
	if err := w.Record(context.Background(), Entry{SubjectID: "x"}); !apperr.Is(err, apperr.Internal) {
		t.Errorf("entry without actor: %v", err)
	}
}

func TestStatsCountBatchesAndEntries(t *testing.T) {
	var calls int
	w := NewWriter(func(_ context.Context, es []Entry) error { calls++; return nil }, Options{})
	for i := 0; i < 5; i++ {
		if err := w.Record(context.Background(), Entry{Actor: "1", Action: "points.read"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, e := w.Stats()
	if e != 5 || b != int64(calls) || b < 1 || b > 5 {
		t.Fatalf("Stats = %d batches, %d entries; sink saw %d calls and 5 entries", b, e, calls)
	}
}

// TestSecondWriterCommitsWhileFirstWaits: with Options.Writers 2, an entry
// recorded while a batch is committing is written by the second writer at
// once, not after that commit; each Record still returns only once its own
// batch is stored, and Close waits for both.
func TestSecondWriterCommitsWhileFirstWaits(t *testing.T) {
	sink := newMemSink()
	sink.gate = make(chan struct{})
	sink.entered = make(chan struct{}, 10)
	w := NewWriter(sink.write, Options{Writers: 2})

	first, second := make(chan error, 1), make(chan error, 1)
	go func() { first <- w.Record(context.Background(), entry(1)) }()
	<-sink.entered // batch of entry 1, held at the gate
	go func() { second <- w.Record(context.Background(), entry(2)) }()
	select {
	case <-sink.entered: // the second writer took entry 2 while the first waits
	case <-time.After(5 * time.Second):
		t.Fatal("entry 2 waited for the first commit: no second writer")
	}
	select {
	case err := <-first:
		t.Fatalf("Record returned (%v) before its batch was stored", err)
	case err := <-second:
		t.Fatalf("Record returned (%v) before its batch was stored", err)
	default:
	}
	sink.gate <- struct{}{}
	sink.gate <- struct{}{}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	w.Close()
	if !sink.has("L1") || !sink.has("L2") || len(sink.batches) != 2 {
		t.Errorf("stored %v in batches %v; want L1 and L2 in two batches", sink.stored, sink.batches)
	}
}

// Start hands the entry over and returns before it is stored, so that the
// caller's read overlaps the commit; Wait returns only once it is stored.
func TestStartOverlapsTheCommitAndWaitFollowsIt(t *testing.T) {
	sink := newMemSink()
	sink.gate = make(chan struct{})
	sink.entered = make(chan struct{}, 1)
	w := NewWriter(sink.write, Options{})
	defer w.Close()

	q, err := w.Start(context.Background(), entry(1))
	if err != nil {
		t.Fatal(err)
	}
	<-sink.entered // the commit has begun while the caller goes on
	waited := make(chan error, 1)
	go func() { waited <- q.Wait(context.Background()) }()
	select {
	case err := <-waited:
		t.Fatalf("Wait returned (%v) before the entry was stored", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(sink.gate)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if !sink.has("L1") {
		t.Fatal("Wait returned, the entry is not stored")
	}
}

// Start refuses what Record refuses, and stores nothing.
func TestStartValidatesAndRefusesOnceClosed(t *testing.T) {
	sink := newMemSink()
	w := NewWriter(sink.write, Options{})
	if _, err := w.Start(context.Background(), Entry{Actor: "x"}); !apperr.Is(err, apperr.Internal) {
		t.Fatalf("entry without action: %v, want internal", err)
	}
	w.Close()
	if _, err := w.Start(context.Background(), entry(2)); !apperr.Is(err, apperr.Unavailable) || !errors.Is(err, ErrClosed) {
		t.Fatalf("Start after Close: %v, want unavailable (closed)", err)
	}
	if sink.calls() != 0 {
		t.Fatalf("%d sink calls, want none", sink.calls())
	}
}
