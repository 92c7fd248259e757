// Package clock is the injected source of time: production code asks a Clock,
// tests set a Fixed one, so time-based rules are tested without waiting.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface{ Now() time.Time }

// System is the real clock.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// Fixed is a settable clock for tests.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// NewFixed returns a clock stopped at t.
func NewFixed(t time.Time) *Fixed { return &Fixed{t: t} }

// Now returns the clock's time.
func (f *Fixed) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }

// Set moves the clock to t.
func (f *Fixed) Set(t time.Time) { f.mu.Lock(); f.t = t; f.mu.Unlock() }

// Add moves the clock forward by d.
func (f *Fixed) Add(d time.Duration) { f.mu.Lock(); f.t = f.t.Add(d); f.mu.Unlock() }

// Running is a clock for whole test environments: it starts at an instant
// the test chooses, not today, and then runs at the pace of real time, so
// that what a test does a few seconds apart is a few seconds apart for the
// service too (a TOTP code is accepted once per 30-second step, a pending
// sign-in ages). Add moves it forward, e.g. to the next TOTP step.
type Running struct {
	mu    sync.Mutex
	start time.Time // the chosen instant
	since time.Time // when it was chosen, by the system clock (monotonic)
}

// NewRunning returns a clock that reads start now and runs from there.
func NewRunning(start time.Time) *Running { return &Running{start: start, since: time.Now()} }

// Now returns the chosen instant plus the real time elapsed since, plus
// every Add.
func (r *Running) Now() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.start.Add(time.Since(r.since))
}

// Add moves the clock forward by d.
func (r *Running) Add(d time.Duration) { r.mu.Lock(); r.start = r.start.Add(d); r.mu.Unlock() }
