package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Failure counters (wrong passwords, wrong second-factor codes) share the
// rate_limits table with the rate limits: hits counts the failures in a
// row, window_start holds the last one. They are counted only when an
// attempt fails, so that successes never bring anyone closer to a limit.

// recordFailure counts one failure at now in one statement (so concurrent
// failures from several instances are each counted): a counter whose last
// failure is at or before the 3rd parameter (now minus forget) starts
// again at 1.
const recordFailure = `INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
	ON CONFLICT (key) DO UPDATE SET
		hits = CASE
			WHEN rate_limits.window_start <= ? THEN 1
			WHEN rate_limits.hits >= 2147483647 THEN rate_limits.hits
			ELSE rate_limits.hits + 1 END,
		window_start = excluded.window_start
	RETURNING hits`

// RecordFailure counts one failure on key at now and returns the failures
// in a row, this one included; failures older than forget are forgotten.
func (s *Store) RecordFailure(ctx context.Context, key string, now time.Time, forget time.Duration) (int, error) {
	if key == "" || forget <= 0 {
		return 0, fmt.Errorf("store: RecordFailure(%q, %v): bad arguments", key, forget)
	}
	var n int64
	if err := s.queryRowW(ctx, recordFailure, key, s.d.ts(now), s.d.ts(now.Add(-forget))).Scan(&n); err != nil {
		return 0, s.d.translate(err)
	}
	return int(n), nil
}

// Failures returns the failures in a row on key and the time of the last
// one (zero and the zero time when there is none, or when the last one is
// older than forget).
func (s *Store) Failures(ctx context.Context, key string, now time.Time, forget time.Duration) (int, time.Time, error) {
	var (
		n    int64
		last time.Time
	)
	err := s.queryRowW(ctx, `SELECT hits, window_start FROM rate_limits WHERE key = ?`, key).Scan(&n, timestamp{&last})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !last.After(now.Add(-forget))) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, s.d.translate(err)
	}
	return int(n), last, nil
}

// PeekRateLimit reports whether one more hit on key would be within limit,
// without counting it (see HitRateLimit).
func (s *Store) PeekRateLimit(ctx context.Context, key string, now time.Time, window time.Duration, limit int) (RateLimitResult, error) {
	var (
		n     int64
		start time.Time
	)
	err := s.queryRowW(ctx, `SELECT hits, window_start FROM rate_limits WHERE key = ?`, key).Scan(&n, timestamp{&start})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !start.After(now.Add(-window))) {
		return RateLimitResult{Allowed: true}, nil
	}
	if err != nil {
		return RateLimitResult{}, s.d.translate(err)
	}
	r := RateLimitResult{Allowed: n < int64(limit), Hits: int(n)}
	if !r.Allowed {
		r.RetryAfter = min(max(start.Add(window).Sub(now), 0), window)
	}
	return r, nil
}
