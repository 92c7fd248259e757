package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"permis/internal/jobs"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

type noteArgs struct {
	N int `json:"n"`
}

func (noteArgs) Kind() string { return "test_note" }

// noteWorker counts how many times each job was worked.
type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	mu     sync.Mutex
	worked map[int]int
	done   chan int
}

func (w *noteWorker) Work(ctx context.Context, job *river.Job[noteArgs]) error {
	w.mu.Lock()
	w.worked[job.Args.N]++
	w.mu.Unlock()
	w.done <- job.Args.N
	return nil
}

func newWorker(n int) *noteWorker {
	return &noteWorker{worked: map[int]int{}, done: make(chan int, n)}
}

func openQueue(t *testing.T, dsn string, w *noteWorker) (*store.Store, *jobs.Queue) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	q, err := jobs.Open(ctx, s, jobs.Options{Workers: workers, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(stop)
	})
	return s, q
}

// A job exists exactly when the transaction that inserts it commits, and
// two server instances on one database work each job once.
func TestJobsFollowTheirTransaction(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		w := newWorker(100)
		s1, q1 := openQueue(t, dsn, w)
		_, q2 := openQueue(t, dsn, w) // a second instance, working the same queue

		if _, err := q1.Insert(ctx, s1, noteArgs{N: -1}, nil); !errors.Is(err, jobs.ErrNoTransaction) {
			t.Fatalf("insert outside a transaction: %v", err)
		}
		rollback := errors.New("the change is refused")
		err := s1.Transact(ctx, func(tx *store.Store) error {
			if _, err := q1.Insert(ctx, tx, noteArgs{N: 0}, nil); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		const n = 40
		for i := 1; i <= n; i++ {
			if err := s1.Transact(ctx, func(tx *store.Store) error {
				_, err := q1.Insert(ctx, tx, noteArgs{N: i}, nil)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		timeout := time.After(60 * time.Second)
		for range n {
			select {
			case <-w.done:
			case <-timeout:
				t.Fatalf("only %d of %d jobs worked in time", len(w.worked), n)
			}
		}
		// Wait for River to record every job as completed (it does so in
		// the background after Work returns), then stop both instances
		// (Stop waits for the work in flight): from then on nothing can be
		// worked again, and the counts are final.
		q := `SELECT count(*), count(*) FILTER (WHERE state = 'completed') FROM river_job WHERE kind = 'test_note'`
		for deadline := time.Now().Add(60 * time.Second); ; {
			var rows, completed int
			if err := s1.WriteDB().QueryRowContext(ctx, q).Scan(&rows, &completed); err != nil {
				t.Fatal(err)
			}
			if rows != n {
				t.Fatalf("%d jobs in the queue, want %d (one per committed transaction)", rows, n)
			}
			if completed == n {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d jobs completed in time", completed, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := q1.Stop(stop); err != nil {
			t.Fatal(err)
		}
		if err := q2.Stop(stop); err != nil {
			t.Fatal(err)
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.worked[0] != 0 {
			t.Error("the job of a rolled-back transaction was worked")
		}
		for i := 1; i <= n; i++ {
			if w.worked[i] != 1 {
				t.Errorf("job %d worked %d times", i, w.worked[i])
			}
		}
	})
}
