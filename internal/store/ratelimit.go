package store

import (
	"context"
	"fmt"
	"time"
)

// RateLimitResult is the outcome of one hit on a rate limit.
type RateLimitResult struct {
	Allowed bool // the hit is within the limit
	// Hits counts the hits in the current window, this one included; it
	// keeps counting past the limit, up to 2³¹−1 (the INTEGER column's
	// maximum on PostgreSQL) where it stays.
	Hits int
	// RetryAfter is how long until the window ends and hits are allowed
	// again; zero when Allowed.
	RetryAfter time.Duration
}

// hitRateLimit counts a hit in one statement, so that concurrent hits from
// any number of server instances are each counted once: the row is created
// with 1 hit, or its counter is incremented, or, when its window has expired
// (window_start at or before the expiry threshold, the 3rd and 4th
// parameters), restarted at 1 with a new window starting now. On SQLite the
// comparison is between texts of the one fixed format of dialect.ts, whose
// order is time order. The SET expressions all read the row as it was
// before the update, in both databases.
const hitRateLimit = `INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
	ON CONFLICT (key) DO UPDATE SET
		hits = CASE
			WHEN rate_limits.window_start <= ? THEN 1
			WHEN rate_limits.hits >= 2147483647 THEN rate_limits.hits
			ELSE rate_limits.hits + 1 END,
		window_start = CASE WHEN rate_limits.window_start <= ? THEN excluded.window_start ELSE rate_limits.window_start END
	RETURNING hits, window_start`

// HitRateLimit counts one hit on key at now, in fixed windows of length
// window, and reports whether it is within limit hits per window. The
// counter lives in the database, so every server instance shares it, and
// is updated in one atomic statement: of n concurrent hits on a fresh key,
// exactly limit are allowed. A window starts at the first hit after the
// previous one ended. now comes from the caller's clock.
func (s *Store) HitRateLimit(ctx context.Context, key string, now time.Time, window time.Duration, limit int) (RateLimitResult, error) {
	if key == "" || window <= 0 || limit < 1 {
		return RateLimitResult{}, fmt.Errorf("store: HitRateLimit(%q, %v, %d): bad arguments", key, window, limit)
	}
	expired := s.d.ts(now.Add(-window))
	var (
		hits  int64
		start time.Time
	)
	err := s.queryRowW(ctx, hitRateLimit, key, s.d.ts(now), expired, expired).Scan(&hits, timestamp{&start})
	if err != nil {
		return RateLimitResult{}, s.d.translate(err)
	}
	r := RateLimitResult{Allowed: hits <= int64(limit), Hits: int(hits)}
	if !r.Allowed {
		// Clamped: another instance's clock may be ahead of ours.
		r.RetryAfter = min(max(start.Add(window).Sub(now), 0), window)
	}
	return r, nil
}

// ResetRateLimit forgets the hits on key, e.g. the failed logins of an
// account once a login succeeds. An unknown key is not an error.
func (s *Store) ResetRateLimit(ctx context.Context, key string) error {
	_, err := s.exec(ctx, `DELETE FROM rate_limits WHERE key = ?`, key)
	return err
}

// PruneRateLimits deletes the counters whose window started before before
// and returns how many it deleted. Pass now minus the longest window in use:
// those counters would restart at their next hit anyway.
func (s *Store) PruneRateLimits(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM rate_limits WHERE window_start < ?`, s.d.ts(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
