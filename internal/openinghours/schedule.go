package openinghours

import (
	"fmt"
	"strings"
	"time"
)

// State is what a schedule says of a minute.
type State uint8

// The three states of the OSM syntax. Unknown comes from an "unknown" rule or
// from a rule that is only a comment, such as "sur rendez-vous".
const (
	Closed State = iota
	Open
	Unknown
)

// String returns "closed", "open" or "unknown", the OSM keywords.
func (s State) String() string {
	switch s {
	case Open:
		return "open"
	case Unknown:
		return "unknown"
	}
	return "closed"
}

// Schedule is a parsed opening_hours value. The zero value and a nil
// *Schedule are always closed. A Schedule is immutable and safe for
// concurrent use.
type Schedule struct {
	rules []rule
	// What the evaluator must compute for each day it looks at.
	usesHolidays, usesWeeks bool
}

// sepKind is the separator written before a rule.
type sepKind uint8

const (
	sepNormal     sepKind = iota // ";"  the rule replaces earlier ones on the days it selects
	sepAdditional                // ","  the rule adds to earlier ones
	sepFallback                  // "||" the rule applies only where no earlier rule matched
)

// modifier is the rule modifier as written.
type modifier uint8

const (
	modNone modifier = iota
	modOpen
	modClosed // "closed" or "off", printed "off"
	modUnknown
)

// rule is one rule of a schedule: selectors, all optional, then a modifier.
// A day is selected when every present selector selects it.
type rule struct {
	sep        sepKind
	always     bool // 24/7
	years      []yearRange
	dates      []dateRange
	weeks      []weekRange
	days       *daySel
	times      []span
	mod        modifier
	comment    string
	hasComment bool
}

func (r *rule) state() State {
	switch r.mod {
	case modClosed:
		return Closed
	case modUnknown:
		return Unknown
	case modNone:
		if r.hasComment {
			return Unknown
		}
	}
	return Open
}

// spills reports whether a time span runs past midnight into the next day.
func (r *rule) spills() bool {
	for _, sp := range r.times {
		if sp.to > minutesPerDay {
			return true
		}
	}
	return false
}

const minutesPerDay = 24 * 60

// yearRange is "2026" or "2026-2028".
type yearRange struct{ from, to int }

// monthDay is a month, with a day of the month or not (0), and a year or
// not (0).
type monthDay struct {
	year  int
	month time.Month
	day   int
}

// dateRange is "Aug", "Jan-Jun", "Dec 24", "Dec 24-26", "Dec 24-Jan 02",
// "2026 Dec 24-2027 Jan 02". Without years, a range whose end comes before
// its start runs over the new year ("Nov-Feb"). Either both ends carry a
// year or neither does (the parser fills the end's year from the start's).
type dateRange struct{ from, to monthDay }

// weekRange is a range of ISO 8601 week numbers with a step ("week 01-53/2").
type weekRange struct{ from, to, step int }

// daySel is a weekday selector: any of the items, and, when and is not
// empty ("PH Mo-Fr"), also one of those.
type daySel struct {
	any []dayItem
	and []dayItem
}

// dayItem is "PH", or a weekday range (Monday = 0) with, for a single day,
// the ranks of that weekday in the month ("Sa[1]", "Mo[-1]").
type dayItem struct {
	holiday  bool
	from, to int
	nth      uint16 // bit k-1 for rank k (1…5), bit 4+k for rank -k
}

// span is a time span in minutes from the selected day's midnight; to may go
// up to 48:00 for spans past midnight, and is always after from.
type span struct{ from, to int }

var weekdayNames = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

var monthNames = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// String returns the normalised form of the schedule: canonical keywords
// (Mo, Jan, PH, off), two-digit hours, one space between selectors, "; ",
// ", " and " || " between rules. Parsing it gives the same String again.
func (s *Schedule) String() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	for i := range s.rules {
		r := &s.rules[i]
		if i > 0 {
			switch r.sep {
			case sepNormal:
				b.WriteString("; ")
			case sepAdditional:
				b.WriteString(", ")
			case sepFallback:
				b.WriteString(" || ")
			}
		}
		r.write(&b)
	}
	return b.String()
}

func (r *rule) write(b *strings.Builder) {
	var parts []string
	if r.always {
		parts = append(parts, "24/7")
	}
	if len(r.years) > 0 {
		// "2027 Aug-Jul" would read back as a date range from August 2027
		// to July 2028; "2027-2027 Aug-Jul" keeps the year selector.
		ambiguous := len(r.years) == 1 && len(r.dates) > 0 && r.dates[0].from.year == 0
		items := make([]string, len(r.years))
		for i, y := range r.years {
			items[i] = fmt.Sprintf("%04d", y.from)
			if y.to != y.from || ambiguous {
				items[i] += fmt.Sprintf("-%04d", y.to)
			}
		}
		parts = append(parts, strings.Join(items, ","))
	}
	if len(r.dates) > 0 {
		items := make([]string, len(r.dates))
		for i, d := range r.dates {
			items[i] = d.String()
		}
		parts = append(parts, strings.Join(items, ","))
	}
	if len(r.weeks) > 0 {
		items := make([]string, len(r.weeks))
		for i, w := range r.weeks {
			items[i] = fmt.Sprintf("%02d", w.from)
			if w.to != w.from {
				items[i] += fmt.Sprintf("-%02d", w.to)
				if w.step > 1 {
					items[i] += fmt.Sprintf("/%d", w.step)
				}
			}
		}
		parts = append(parts, "week "+strings.Join(items, ","))
	}
	if r.days != nil {
		parts = append(parts, dayList(r.days.any))
		if len(r.days.and) > 0 {
			parts = append(parts, dayList(r.days.and))
		}
	}
	if len(r.times) > 0 {
		items := make([]string, len(r.times))
		for i, sp := range r.times {
			items[i] = sp.String()
		}
		parts = append(parts, strings.Join(items, ","))
	}
	switch r.mod {
	case modOpen:
		parts = append(parts, "open")
	case modClosed:
		parts = append(parts, "off")
	case modUnknown:
		parts = append(parts, "unknown")
	}
	if r.hasComment {
		parts = append(parts, `"`+r.comment+`"`)
	}
	b.WriteString(strings.Join(parts, " "))
}

func (m monthDay) String() string {
	s := monthNames[m.month-1]
	if m.year != 0 {
		s = fmt.Sprintf("%04d %s", m.year, s)
	}
	if m.day != 0 {
		s += fmt.Sprintf(" %02d", m.day)
	}
	return s
}

func (d dateRange) String() string {
	s := d.from.String()
	switch {
	case d.to == d.from:
	case d.from.day != 0 && d.to.month == d.from.month && d.to.year == d.from.year:
		s += fmt.Sprintf("-%02d", d.to.day)
	case d.to.year == d.from.year:
		to := d.to
		to.year = 0
		s += "-" + to.String()
	default:
		s += "-" + d.to.String()
	}
	return s
}

func dayList(items []dayItem) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.String()
	}
	return strings.Join(out, ",")
}

func (it dayItem) String() string {
	if it.holiday {
		return "PH"
	}
	s := weekdayNames[it.from]
	if it.to != it.from {
		return s + "-" + weekdayNames[it.to]
	}
	if it.nth == 0 {
		return s
	}
	var ranks []string
	for k := 1; k <= 5; k++ {
		if it.nth&(1<<(k-1)) != 0 {
			ranks = append(ranks, fmt.Sprint(k))
		}
	}
	for k := 1; k <= 5; k++ {
		if it.nth&(1<<(4+k)) != 0 {
			ranks = append(ranks, fmt.Sprint(-k))
		}
	}
	return s + "[" + strings.Join(ranks, ",") + "]"
}

// String writes the span as HH:MM-HH:MM; an end past midnight is written
// the usual way ("22:00-02:00") when that reads back the same, and as an
// extended hour ("01:00-26:00") otherwise.
func (sp span) String() string {
	to := sp.to
	if to > minutesPerDay && to-minutesPerDay < sp.from {
		to -= minutesPerDay
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", sp.from/60, sp.from%60, to/60, to%60)
}
