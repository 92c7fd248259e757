package openinghours

import (
	"testing"
	"time"

	"permis/internal/date"
)

// On the nights clocks change (Europe/Paris: 25 October 2026, back from
// 03:00 to 02:00; 28 March 2027, forward from 02:00 to 03:00), Intervals and
// NextChange must say what StateAt says, minute after minute (issue 11 item
// 12: they rebuilt instants from wall-clock times, and "22:00-02:00" ended an
// hour late, "Su 02:30-05:00" opened at 03:30).
func TestClockChangeNightsAgreeWithStateAt(t *testing.T) {
	exprs := []string{
		"22:00-02:00",
		"Su 02:30-05:00",
		"Sa 02:30-05:00",
		"Su 01:00-04:00",
		"02:00-03:00",
		"Su 02:15-02:45",
		"Sa 23:00-03:30",
		"Mo-Fr 08:30-12:00; Su 00:00-24:00",
	}
	nights := []struct{ from, to string }{
		{"2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z"},
		{"2027-03-27T12:00:00Z", "2027-03-29T12:00:00Z"},
	}
	for _, e := range exprs {
		s := MustParse(e)
		for _, n := range nights {
			from, _ := time.Parse(time.RFC3339, n.from)
			to, _ := time.Parse(time.RFC3339, n.to)
			ivs := map[date.Date][]Interval{}
			open := func(u time.Time) bool {
				d, _ := wallClock(u)
				if _, ok := ivs[d]; !ok {
					ivs[d] = s.Intervals(d, "75")
				}
				for _, iv := range ivs[d] {
					if !u.Before(iv.Start) && u.Before(iv.End) {
						return true
					}
				}
				return false
			}
			var states []State
			for u := from; u.Before(to); u = u.Add(time.Minute) {
				st, _ := s.StateAt(u, "75")
				states = append(states, st)
				if got := open(u); got != (st == Open) {
					t.Errorf("%q at %s: StateAt %s, Intervals say open=%v", e, u.In(paris).Format(time.RFC3339), st, got)
				}
			}
			for i, u := 0, from; u.Before(to); i, u = i+3, u.Add(3*time.Minute) {
				var want time.Time
				for j := i + 1; j < len(states); j++ {
					if states[j] != states[i] {
						want = from.Add(time.Duration(j) * time.Minute)
						break
					}
				}
				if want.IsZero() {
					continue // the change is past the window
				}
				if got, ok := s.NextChange(u.Add(20*time.Second), "75"); !ok || !got.Equal(want) {
					t.Errorf("%q: NextChange(%s) = %s, StateAt changes at %s", e, u.In(paris).Format(time.RFC3339),
						got.In(paris).Format(time.RFC3339), want.In(paris).Format(time.RFC3339))
				}
			}
		}
	}
}

// The two cases of the issue, as a person reads them.
func TestClockChangeNightInstants(t *testing.T) {
	ivs := MustParse("22:00-02:00").Intervals(date.MustParse("2026-10-25"), "75")
	if len(ivs) < 1 || ivs[0].End.Format(time.RFC3339) != "2026-10-25T02:00:00+02:00" {
		t.Errorf("22:00-02:00 on 25 Oct 2026: %v, want the night to end at 02:00 summer time", ivs)
	}
	ivs = MustParse("Su 02:30-05:00").Intervals(date.MustParse("2027-03-28"), "75")
	if len(ivs) != 1 || ivs[0].Start.Format(time.RFC3339) != "2027-03-28T03:00:00+02:00" ||
		ivs[0].End.Format(time.RFC3339) != "2027-03-28T05:00:00+02:00" {
		t.Errorf("Su 02:30-05:00 on 28 Mar 2027: %v, want 03:00 to 05:00 summer time", ivs)
	}
	at := time.Date(2027, 3, 28, 1, 30, 0, 0, paris)
	if got, _ := MustParse("Su 02:30-05:00").NextChange(at, "75"); got.Format(time.RFC3339) != "2027-03-28T03:00:00+02:00" {
		t.Errorf("NextChange from 01:30 on 28 Mar 2027: %s, want 03:00 summer time", got.Format(time.RFC3339))
	}
}
