package store

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"permis/internal/clock"
	"permis/internal/store/storetest"
)

// openRateLimitStore opens a Store on dsn, closed when the test ends. Called
// twice on one dsn it gives two instances sharing one database.
func openRateLimitStore(tb testing.TB, dsn string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), dsn, Options{Clock: clock.NewFixed(testNow), MaxConns: 8})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustHit hits key and fails the test on an error.
func mustHit(tb testing.TB, s *Store, key string, now time.Time, window time.Duration, limit int) RateLimitResult {
	tb.Helper()
	r, err := s.HitRateLimit(context.Background(), key, now, window, limit)
	if err != nil {
		tb.Fatalf("HitRateLimit(%s, %v): %v", key, now, err)
	}
	return r
}

func TestHitRateLimitWindow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s := openRateLimitStore(t, dsn)
		const limit, window = 3, time.Minute
		t0 := testNow
		steps := []struct {
			at    time.Duration // since t0
			want  RateLimitResult
			label string
		}{
			{0, RateLimitResult{Allowed: true, Hits: 1}, "first hit opens the window"},
			{10 * time.Second, RateLimitResult{Allowed: true, Hits: 2}, ""},
			{20 * time.Second, RateLimitResult{Allowed: true, Hits: 3}, "the limit itself is allowed"},
			{25 * time.Second, RateLimitResult{Allowed: false, Hits: 4, RetryAfter: 35 * time.Second}, "limit+1 is refused"},
			{59 * time.Second, RateLimitResult{Allowed: false, Hits: 5, RetryAfter: time.Second}, "refused hits still count; the window does not move"},
			{59*time.Second + 999*time.Millisecond, RateLimitResult{Allowed: false, Hits: 6, RetryAfter: time.Millisecond}, "last millisecond of the window"},
			{window, RateLimitResult{Allowed: true, Hits: 1}, "the window has ended: a new one starts now"},
			{window + 30*time.Second, RateLimitResult{Allowed: true, Hits: 2}, "inside the new window"},
			{window + 40*time.Second, RateLimitResult{Allowed: true, Hits: 3}, ""},
			{window + 50*time.Second, RateLimitResult{Allowed: false, Hits: 4, RetryAfter: 10 * time.Second}, "the new window started at t0+1min"},
			{2*window + 10*time.Second, RateLimitResult{Allowed: true, Hits: 1}, "and ended at t0+2min"},
			{10 * window, RateLimitResult{Allowed: true, Hits: 1}, "long after"},
		}
		for _, st := range steps {
			if got := mustHit(t, s, "login:ip:192.0.2.1", t0.Add(st.at), window, limit); got != st.want {
				t.Fatalf("at t0+%v (%s): %+v, want %+v", st.at, st.label, got, st.want)
			}
		}
	})
}

func TestHitRateLimitKeysIndependent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s := openRateLimitStore(t, dsn)
		for range 2 {
			mustHit(t, s, "login:user:1", testNow, time.Hour, 2)
		}
		if r := mustHit(t, s, "login:user:1", testNow, time.Hour, 2); r.Allowed {
			t.Fatalf("third hit allowed: %+v", r)
		}
		for _, k := range []string{"login:user:2", "login:ip:1", "login:user:10"} {
			if r := mustHit(t, s, k, testNow, time.Hour, 2); !r.Allowed || r.Hits != 1 {
				t.Fatalf("%s after another key's hits: %+v", k, r)
			}
		}
	})
}

func TestResetRateLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s := openRateLimitStore(t, dsn)
		ctx := context.Background()
		for range 3 {
			mustHit(t, s, "a", testNow, time.Hour, 1)
			mustHit(t, s, "b", testNow, time.Hour, 1)
		}
		if err := s.ResetRateLimit(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if r := mustHit(t, s, "a", testNow, time.Hour, 1); !r.Allowed || r.Hits != 1 {
			t.Fatalf("after reset: %+v", r)
		}
		if r := mustHit(t, s, "b", testNow, time.Hour, 1); r.Allowed || r.Hits != 4 {
			t.Fatalf("another key was reset: %+v", r)
		}
		if err := s.ResetRateLimit(ctx, "unknown"); err != nil {
			t.Fatalf("reset of an unknown key: %v", err)
		}
	})
}

func TestPruneRateLimits(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s := openRateLimitStore(t, dsn)
		ctx := context.Background()
		for i, k := range []string{"old1", "old2", "edge", "new"} {
			at := testNow.Add(time.Duration(i-2) * time.Hour) // -2h, -1h, 0, +1h
			if k == "old2" {
				at = testNow.Add(-time.Microsecond)
			}
			mustHit(t, s, k, at, time.Hour, 5)
			mustHit(t, s, k, at, time.Hour, 5)
		}
		n, err := s.PruneRateLimits(ctx, testNow)
		if err != nil || n != 2 {
			t.Fatalf("PruneRateLimits = %d, %v; want 2 (windows started strictly before)", n, err)
		}
		for k, want := range map[string]int{"old1": 1, "old2": 1, "edge": 3, "new": 3} {
			if r := mustHit(t, s, k, testNow.Add(time.Hour), 2*time.Hour, 5); r.Hits != want {
				t.Errorf("%s after prune: %d hits, want %d", k, r.Hits, want)
			}
		}
		if n, err := s.PruneRateLimits(ctx, testNow.Add(-24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("second prune = %d, %v; want 0", n, err)
		}
	})
}

func TestHitRateLimitNoOverflow(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s := openRateLimitStore(t, dsn)
		ctx := context.Background()
		mustHit(t, s, "k", testNow, time.Hour, 1)
		const top = 1<<31 - 1
		if _, err := s.exec(ctx, `UPDATE rate_limits SET hits = ? WHERE key = ?`, top-1, "k"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []int{top, top, top} {
			r := mustHit(t, s, "k", testNow, time.Hour, 1)
			if r.Hits != want || r.Allowed {
				t.Fatalf("near the top: %+v, want %d hits refused", r, want)
			}
		}
	})
}

func TestHitRateLimitClockAhead(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s := openRateLimitStore(t, dsn)
		// Another instance, 30 s ahead, opened the window.
		mustHit(t, s, "k", testNow.Add(30*time.Second), time.Minute, 1)
		r := mustHit(t, s, "k", testNow, time.Minute, 1)
		if r.Allowed || r.RetryAfter != time.Minute {
			t.Fatalf("%+v, want refused with RetryAfter clamped to the window", r)
		}
	})
}

func TestHitRateLimitBadArguments(t *testing.T) {
	s := mustOpenSQLite(t)
	for _, c := range []struct {
		key    string
		window time.Duration
		limit  int
	}{{"", time.Minute, 1}, {"k", 0, 1}, {"k", -time.Second, 1}, {"k", time.Minute, 0}} {
		if _, err := s.HitRateLimit(context.Background(), c.key, testNow, c.window, c.limit); err == nil {
			t.Errorf("HitRateLimit(%q, %v, %d): no error", c.key, c.window, c.limit)
		}
	}
}

func TestHitRateLimitInTransaction(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s := openRateLimitStore(t, dsn)
		ctx := context.Background()
		err := s.Transact(ctx, func(tx *Store) error {
			r, err := tx.HitRateLimit(ctx, "k", testNow, time.Minute, 5)
			if err == nil && r.Hits != 1 {
				t.Errorf("in transaction: %+v", r)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := mustHit(t, s, "k", testNow, time.Minute, 5); r.Hits != 2 {
			t.Fatalf("after the transaction: %+v, want 2 hits", r)
		}
	})
}

// TestHitRateLimitConcurrent hits one key from 50 goroutines spread over two
// instances sharing the database: exactly limit are allowed, and every hit is
// counted once (the counts returned are 1…50, each once).
func TestHitRateLimitConcurrent(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		instances := []*Store{openRateLimitStore(t, dsn), openRateLimitStore(t, dsn)}
		const n, limit = 50, 10
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			hits    []int
			allowed int
		)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				r, err := instances[i%2].HitRateLimit(context.Background(), "race", testNow, time.Minute, limit)
				if err != nil {
					t.Errorf("hit %d: %v", i, err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				hits = append(hits, r.Hits)
				if r.Allowed {
					allowed++
				}
			})
		}
		close(start)
		wg.Wait()
		if allowed != limit {
			t.Errorf("%d hits allowed, want %d", allowed, limit)
		}
		slices.Sort(hits)
		for i, h := range hits {
			if h != i+1 {
				t.Fatalf("counts returned %v, want 1…%d each once", hits, n)
			}
		}
		if len(hits) != n {
			t.Fatalf("%d hits answered, want %d", len(hits), n)
		}
	})
}
