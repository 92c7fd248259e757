package openinghours

import (
	"time"

	"permis/internal/date"
	"permis/internal/holidays"
)

var paris = date.Paris()

// Interval is an open period within one local day, in Europe/Paris wall
// clock time. From and To are minutes since that day's midnight
// (0 ≤ From < To ≤ 1440, To excluded); Start and End are the same bounds as
// instants. On the two days a year when clocks change, the wall clock is what
// counts: an interval 01:00-04:00 on the last Sunday of March lasts two hours.
type Interval struct {
	From, To   int
	Start, End time.Time
}

// day is what the evaluator knows about a date, computed once.
type day struct {
	d         date.Date
	year      int
	month     time.Month
	dom       int // day of the month
	weekday   int // Monday = 0
	monthDays int
	isoWeek   int
	isHoliday bool
}

func (s *Schedule) dayInfo(d date.Date, dep string) day {
	y, m, dom := d.Civil()
	di := day{d: d, year: y, month: m, dom: dom, weekday: weekdayOf(d), monthDays: daysIn(y, m)}
	if s.usesWeeks {
		_, di.isoWeek = d.Time().ISOWeek()
	}
	if s.usesHolidays {
		_, di.isHoliday = holidays.Is(d, dep)
	}
	return di
}

// weekdayOf returns the day of the week of d, Monday = 0 (1970-01-01, day
// 0 of date.Date, was a Thursday).
func weekdayOf(d date.Date) int {
	return ((int(d)+3)%7 + 7) % 7
}

// selects reports whether every selector of r selects the day.
func (r *rule) selects(di *day) bool {
	if r.always {
		return true
	}
	if len(r.years) > 0 && !anyOf(r.years, func(y yearRange) bool { return y.from <= di.year && di.year <= y.to }) {
		return false
	}
	if len(r.dates) > 0 && !anyOf(r.dates, func(d dateRange) bool { return d.contains(di) }) {
		return false
	}
	if len(r.weeks) > 0 && !anyOf(r.weeks, func(w weekRange) bool { return w.contains(di.isoWeek) }) {
		return false
	}
	if r.days != nil {
		if !anyOf(r.days.any, func(it dayItem) bool { return it.contains(di) }) {
			return false
		}
		if len(r.days.and) > 0 && !anyOf(r.days.and, func(it dayItem) bool { return it.contains(di) }) {
			return false
		}
	}
	return true
}

func anyOf[T any](items []T, f func(T) bool) bool {
	for _, it := range items {
		if f(it) {
			return true
		}
	}
	return false
}

func (d dateRange) contains(di *day) bool {
	if d.from.year != 0 {
		from := date.Of(d.from.year, d.from.month, max(d.from.day, 1))
		toDay := d.to.day
		if toDay == 0 {
			toDay = daysIn(d.to.year, d.to.month)
		}
		return from <= di.d && di.d <= date.Of(d.to.year, d.to.month, toDay)
	}
	k := monthDay{month: di.month, day: di.dom}.ordinal(false)
	from, to := d.from.ordinal(false), d.to.ordinal(true)
	if from <= to {
		return from <= k && k <= to
	}
	return k >= from || k <= to // over the new year: "Nov-Feb", "Dec 24-Jan 02"
}

func (w weekRange) contains(week int) bool {
	var offset int
	switch {
	case w.from <= w.to:
		if week < w.from || week > w.to {
			return false
		}
		offset = week - w.from
	default: // over the new year: "week 50-02"
		if week < w.from && week > w.to {
			return false
		}
		offset = (week - w.from + 53) % 53
	}
	return offset%w.step == 0
}

func (it dayItem) contains(di *day) bool {
	if it.holiday {
		return di.isHoliday
	}
	wd := di.weekday
	if it.from <= it.to {
		if wd < it.from || wd > it.to {
			return false
		}
	} else if wd < it.from && wd > it.to { // "Sa-Mo"
		return false
	}
	if it.nth == 0 {
		return true
	}
	fromStart := (di.dom-1)/7 + 1          // 1 for the first such weekday of the month
	fromEnd := (di.monthDays-di.dom)/7 + 1 // 1 for the last
	return it.nth&(1<<(fromStart-1)) != 0 || it.nth&(1<<(4+fromEnd)) != 0
}

// plan is the state of every minute of one day.
type plan struct {
	state [minutesPerDay]State
	rule  [minutesPerDay]int16 // index+1 of the rule that set the minute, 0 if none
}

// paint gives minutes [from, to) the state of rule i; a fallback rule only
// paints minutes that no earlier rule matched.
func (pl *plan) paint(r *rule, i, from, to int) {
	st, id := r.state(), int16(i+1)
	states, rules := pl.state[from:to], pl.rule[from:to:to]
	rules = rules[:len(states)]
	if r.sep != sepFallback {
		for m := range states {
			states[m], rules[m] = st, id
		}
		return
	}
	for m := range states {
		if rules[m] == 0 {
			states[m], rules[m] = st, id
		}
	}
}

// plan works out one day, rule after rule, as the OSM specification and
// opening_hours.js do:
//
//   - a normal rule (after ";", or the first) that selects the day and is not
//     "off" discards what earlier rules said about that day, then paints its
//     times (the whole day if it has none);
//   - an "off" rule, an additional rule (after ",") and the part of a span
//     that runs past midnight paint without discarding;
//   - a fallback rule (after "||") paints only the minutes that no remaining
//     earlier rule matched.
//
// The part past midnight of a rule is applied right after that rule, for
// the day after each day the rule selects; a later normal rule that selects
// that next day discards it.
func (s *Schedule) plan(d date.Date, dep string, pl *plan) {
	*pl = plan{}
	if s == nil {
		return
	}
	today := s.dayInfo(d, dep)
	var yesterday day
	haveYesterday := false
	for i := range s.rules {
		r := &s.rules[i]
		if r.selects(&today) {
			if r.sep == sepNormal && r.state() != Closed {
				*pl = plan{}
			}
			if len(r.times) == 0 {
				pl.paint(r, i, 0, minutesPerDay)
			}
			for _, sp := range r.times {
				pl.paint(r, i, sp.from, min(sp.to, minutesPerDay))
			}
		}
		if !r.spills() {
			continue
		}
		if !haveYesterday {
			yesterday, haveYesterday = s.dayInfo(d-1, dep), true
		}
		if r.selects(&yesterday) {
			for _, sp := range r.times {
				if sp.to > minutesPerDay {
					pl.paint(r, i, 0, sp.to-minutesPerDay)
				}
			}
		}
	}
}

// wallClock returns the local day and the minute of the day of t in Paris.
func wallClock(t time.Time) (date.Date, int) {
	t = t.In(paris)
	return date.FromTime(t), t.Hour()*60 + t.Minute()
}

// OpenAt reports whether the schedule says open at t (any zone: it is read
// in Europe/Paris). dep is the INSEE code of the département, for "PH".
// Unknown ("sur rendez-vous") is not open.
func (s *Schedule) OpenAt(t time.Time, dep string) bool {
	st, _ := s.StateAt(t, dep)
	return st == Open
}

// StateAt returns the state at t and the comment of the rule that decided
// it ("" when that rule has none).
func (s *Schedule) StateAt(t time.Time, dep string) (State, string) {
	d, m := wallClock(t)
	var pl plan
	s.plan(d, dep, &pl)
	if i := pl.rule[m]; i > 0 {
		return pl.state[m], s.rules[i-1].comment
	}
	return pl.state[m], ""
}

// dayBounds returns the first instant of a local day and of the next one:
// 24 hours apart, except on the two days a year when clocks change.
func dayBounds(d date.Date) (start, next time.Time) {
	y, mo, dd := d.Civil()
	// Paris changes its clocks at 02:00 or 03:00: midnight always exists.
	return time.Date(y, mo, dd, 0, 0, 0, 0, paris), time.Date(y, mo, dd+1, 0, 0, 0, 0, paris)
}

// Intervals returns the open intervals of a local day, in order, adjacent
// ones merged. A span past midnight shows as two intervals, one on each day.
// Start and End are where StateAt's answer changes. On the two nights a
// year when clocks change, the day is read instant after instant as StateAt
// reads it: "Su 02:30-05:00" on the last Sunday of March opens at 03:00
// (02:30 does not exist), "22:00-02:00" on the last Saturday of October
// closes at the first 02:00 (summer time); an interval that starts inside
// the hour repeated that night shows twice, once for each occurrence.
func (s *Schedule) Intervals(day date.Date, dep string) []Interval {
	var pl plan
	s.plan(day, dep, &pl)
	start, next := dayBounds(day)
	var out []Interval
	if next.Sub(start) != 24*time.Hour {
		open := false
		for u := start; u.Before(next); u = u.Add(time.Minute) {
			_, wm := wallClock(u)
			if pl.state[wm] != Open {
				open = false
				continue
			}
			if !open {
				out = append(out, Interval{From: wm, Start: u})
				open = true
			}
			last := &out[len(out)-1]
			last.To, last.End = wm+1, u.Add(time.Minute)
		}
		return out
	}
	for m := 0; m < minutesPerDay; {
		if pl.state[m] != Open {
			m++
			continue
		}
		from := m
		for m < minutesPerDay && pl.state[m] == Open {
			m++
		}
		out = append(out, Interval{From: from, To: m,
			Start: start.Add(time.Duration(from) * time.Minute), End: start.Add(time.Duration(m) * time.Minute)})
	}
	return out
}

// NextChangeHorizon is how far NextChange looks ahead: five years, so that a
// rule for 29 February is always seen.
const NextChangeHorizon = 5 * 366

// NextChange returns the first instant after t where the state (open,
// closed, unknown) differs from the state at t, and false when it does not
// change within NextChangeHorizon days ("24/7"). It reads each instant as
// StateAt does: on the days when clocks change, instant after instant.
func (s *Schedule) NextChange(t time.Time, dep string) (time.Time, bool) {
	d, m := wallClock(t)
	var pl plan
	s.plan(d, dep, &pl)
	cur := pl.state[m]
	// The next whole minute after t: states change on minute boundaries.
	u := t.Truncate(time.Minute).Add(time.Minute)
	for n := 0; n <= NextChangeHorizon; n++ {
		if n > 0 {
			d++
			s.plan(d, dep, &pl)
		}
		start, next := dayBounds(d)
		if next.Sub(start) != 24*time.Hour {
			v := start
			if u.After(v) {
				v = u
			}
			for ; v.Before(next); v = v.Add(time.Minute) {
				if _, wm := wallClock(v); pl.state[wm] != cur {
					return v, true
				}
			}
			continue
		}
		first := 0
		if n == 0 {
			first = m + 1
		}
		for mm := first; mm < minutesPerDay; mm++ {
			if pl.state[mm] != cur {
				return start.Add(time.Duration(mm) * time.Minute), true
			}
		}
	}
	return time.Time{}, false
}
