package clock_test

import (
	"testing"
	"testing/synctest"
	"time"

	"permis/internal/clock"
)

// A running clock reads the chosen instant, then runs at the pace of real
// time, and Add moves it on (synctest's bubble makes real time exact).
func TestRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Date(2026, time.March, 2, 8, 0, 0, 0, time.UTC)
		c := clock.NewRunning(start)
		if got := c.Now(); !got.Equal(start) {
			t.Fatalf("at once: %s, want %s", got, start)
		}
		time.Sleep(10 * time.Second)
		if got, want := c.Now(), start.Add(10*time.Second); !got.Equal(want) {
			t.Fatalf("10 s later: %s, want %s", got, want)
		}
		c.Add(30 * time.Second)
		if got, want := c.Now(), start.Add(40*time.Second); !got.Equal(want) {
			t.Fatalf("after Add: %s, want %s", got, want)
		}
	})
}
