// Package points is the points engine of the register (REFERENCE §3): a pure
// function from a licence's ledger (its offences and courses) and a date to
// the balance, the ceiling, the movements, the letters and the recoveries to
// come. It does no I/O; the balance is always recomputed from the ledger.
package points

import "permis/internal/date"

// Probation is the path a licence's probationary period follows (§3.1).
type Probation string

// Probation paths. ProbationNone means the licence is past its probation, or
// never had one: the ceiling is 12 from the start.
const (
	ProbationStandard Probation = "standard"
	ProbationAAC      Probation = "aac"
	ProbationNone     Probation = "none"
)

// Valid reports whether p is a known path.
func (p Probation) Valid() bool {
	return p == ProbationStandard || p == ProbationAAC || p == ProbationNone
}

// Class is the legal class of an offence: a contravention of class 1 to 5, or
// a délit. It decides the 2- or 3-year recovery and the 10-year rule (§3.4).
type Class string

// Offence classes.
const (
	Class1 Class = "1"
	Class2 Class = "2"
	Class3 Class = "3"
	Class4 Class = "4"
	Class5 Class = "5"
	Delit  Class = "delit"
)

// Valid reports whether c is a known class.
func (c Class) Valid() bool {
	switch c {
	case Class1, Class2, Class3, Class4, Class5, Delit:
		return true
	}
	return false
}

// Licence is what the engine needs to know of a licence.
type Licence struct {
	Obtained              date.Date // start of the points capital (and of probation)
	Probation             Probation
	ComplementaryTraining date.Null // day of the post-licence training, if taken (§3.1)
	// Reobtained is true for a licence obtained again after an invalidation
	// or a judicial annulment: still probationary, but not a first licence,
	// so the complementary training does not shorten its probation (L223-1).
	Reobtained bool
}

// Offence is an offence that costs points, as the fines system reports it.
type Offence struct {
	ID          string
	Committed   date.Date // the day of the offence
	Established date.Date // the day its reality was established (§3.3): payment, AFM title, composition, final conviction
	Points      int       // points the offence costs, 0 to 6
	Class       Class
	Occasion    string  // offences sharing an occasion were committed together (at most 8 points, §3.1); "" for none
	Measure     Measure // the restriction or suspension of the right to drive the offence led to, if any (L223-1)
}

// Measure is a restriction or suspension of the right to drive that an
// offence led to. Only the shortened probation looks at it: an offence
// committed during it that led to such a measure ends the shortening, even
// without points (L223-1 al. 2).
type Measure string

// Measures; "" is none.
const (
	MeasureNone        Measure = ""
	MeasureSuspension  Measure = "suspension"
	MeasureRestriction Measure = "restriction"
)

// Valid reports whether m is a known measure, or none.
func (m Measure) Valid() bool {
	return m == MeasureNone || m == MeasureSuspension || m == MeasureRestriction
}

// Course is a voluntary awareness course (stage, §3.5).
type Course struct {
	ID      string
	LastDay date.Date // the points come back the day after
}

// Notice is the notification of a 48SI letter (§3.6): the day the advice of
// receipt was signed, or the first presentation when the letter was not
// collected. The invalidation takes effect that day, not the day the balance
// reached zero; until then a course can still give points back (L223-5).
type Notice struct {
	ID       string
	Notified date.Date
}

// Ledger is everything the engine reads for one licence.
type Ledger struct {
	Licence  Licence
	Offences []Offence
	Courses  []Course
	Notices  []Notice // 48SI notifications; without one, the invalidation is dated by the zero balance
}

// NextKnown returns the earliest day after at on which an event of the
// ledger becomes known to a replay (an offence established, a course's last
// day, a 48SI notice): a replay at at ignores it, so the answer may change
// that day even when Result.NextChange says nothing is due. Null when the
// ledger holds nothing after at.
func (l Ledger) NextKnown(at date.Date) date.Null {
	var next date.Null
	see := func(d date.Date) {
		if d.After(at) && (!next.Valid || d.Before(next.Date)) {
			next = date.Some(d)
		}
	}
	for _, o := range l.Offences {
		see(o.Established)
	}
	for _, c := range l.Courses {
		see(c.LastDay)
	}
	for _, n := range l.Notices {
		see(n.Notified)
	}
	return next
}

// NextReplay is the day a replay of l at at must be done again to stay
// right: the soonest of res.NextChange (a recovery, a probation step that
// raises the balance), the end of the probation (the ceiling goes to the
// maximum even when the balance does not move), the invalidity's start when
// it is still to come, and l.NextKnown(at) (an event dated after at). Null
// when none exists; the nightly pass then replays the licence only when its
// ledger changes.
func NextReplay(l Ledger, res Result, at date.Date) date.Null {
	next := res.NextChange()
	for _, d := range []date.Null{l.NextKnown(at), res.ProbationEnd, res.InvalidSince} {
		if d.Valid && d.Date.After(at) && (!next.Valid || d.Date.Before(next.Date)) {
			next = d
		}
	}
	return next
}
