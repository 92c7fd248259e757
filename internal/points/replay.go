package points

import (
	"slices"

	"permis/internal/date"
)

// Replay computes the points of a licence at date at from its whole ledger.
// Events dated after at are not known yet and are ignored (an offence
// established after at, a course whose last day is after at). The ledger is
// checked first (see Validate); the result then follows from the rules alone,
// so the balance is never stored as a fact, only recomputed.
//
// Within one day, what time has earned comes before what the day takes away:
// 6-month, full and 10-year recoveries, then probation growth, then course
// credits, then withdrawals.
func (r *Rules) Replay(l Ledger, at date.Date) (Result, error) {
	if err := r.Validate(l); err != nil {
		return Result{}, err
	}
	s := r.newSim(l, at)
	s.run()
	res := Result{
		At:        at,
		Balance:   s.balanceAt,
		Ceiling:   s.ceilingAt(at),
		Valid:     !s.invalid || s.invalidSince.After(at),
		Movements: s.movements,
		Letters:   s.letters,
		Upcoming:  s.upcoming,
	}
	if s.invalid {
		res.InvalidSince = date.Some(s.invalidSince)
	}
	if s.sched != nil {
		res.ProbationEnd = date.Some(s.probEnd)
	}
	return res, nil
}

// withdrawal is a withdrawal still open to a specific recovery.
type withdrawal struct {
	ref         string
	outstanding int       // points not yet given back specifically
	sixDue      date.Date // 0 when not eligible to the 6-month rule
	tenDue      date.Date // 0 when not eligible to the 10-year rule
	established date.Date
	six, ten    bool
}

// sim is one replay in progress.
type sim struct {
	r        *Rules
	lic      Licence
	at       date.Date
	offences []Offence   // known ones, by established date, committed date, id
	courses  []Course    // known ones, by last day
	notices  []date.Date // known 48SI notifications, in order

	sched   *Schedule
	steps   []Step
	probEnd date.Date

	firstPointsOffence date.Date // earliest committed date of a points offence; growth stops after it
	hasPointsOffence   bool

	balance      int
	balanceAt    int // balance at the end of day at
	invalid      bool
	invalidSince date.Date // the day the invalidation took effect
	pending      bool      // the balance is zero and the 48SI is not notified yet
	noticeDue    date.Date // when pending: the day it is

	open       []withdrawal
	occasions  []occasionUse
	lastEst    date.Date // last establishment since the last full recovery
	lastRef    string    // the offence established on lastEst
	serious    bool      // a délit or class 4/5 offence since the last full recovery
	fullDue    date.Date
	hasFullDue bool
	restored   bool // the full recovery ran and no withdrawal followed

	nextStep, nextOffence, nextCourse int
	lastCourse                        date.Date
	hasCourse                         bool

	movements []Movement
	letters   []Letter
	upcoming  []Movement
}

type occasionUse struct {
	key       string
	withdrawn int
}

func (r *Rules) newSim(l Ledger, at date.Date) *sim {
	n := len(l.Offences)
	s := &sim{r: r, lic: l.Licence, at: at,
		offences:  make([]Offence, 0, n),
		open:      make([]withdrawal, 0, n),
		movements: make([]Movement, 0, 2*n+len(l.Courses)+4),
		letters:   make([]Letter, 0, n),
	}
	for _, o := range l.Offences {
		if !o.Established.After(at) {
			s.offences = append(s.offences, o)
		}
	}
	slices.SortFunc(s.offences, func(a, b Offence) int {
		if a.Established != b.Established {
			return int(a.Established - b.Established)
		}
		if a.Committed != b.Committed {
			return int(a.Committed - b.Committed)
		}
		return cmpString(a.ID, b.ID)
	})
	for _, c := range l.Courses {
		if !c.LastDay.After(at) {
			s.courses = append(s.courses, c)
		}
	}
	slices.SortFunc(s.courses, func(a, b Course) int { return int(a.LastDay - b.LastDay) })
	for _, n := range l.Notices {
		if !n.Notified.After(at) {
			s.notices = append(s.notices, n.Notified)
		}
	}
	slices.Sort(s.notices)

	for _, o := range s.offences {
		if o.Points == 0 {
			continue
		}
		if !s.hasPointsOffence || o.Committed.Before(s.firstPointsOffence) {
			s.firstPointsOffence, s.hasPointsOffence = o.Committed, true
		}
	}
	s.sched, s.steps, s.probEnd = r.schedule(l.Licence, s.offences, at)
	if s.sched != nil {
		s.balance = s.sched.Initial
	} else {
		s.balance = r.Maximum
	}
	s.balanceAt = s.balance
	return s
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *sim) occasion(key string) *occasionUse {
	for i := range s.occasions {
		if s.occasions[i].key == key {
			return &s.occasions[i]
		}
	}
	s.occasions = append(s.occasions, occasionUse{key: key})
	return &s.occasions[len(s.occasions)-1]
}

// run processes every dated item in order until nothing is left to happen.
func (s *sim) run() {
	for !s.invalid {
		d, ok := s.nextDate()
		if !ok {
			return
		}
		s.recoverSingles(d)
		s.recoverFull(d)
		s.recoverTenYears(d)
		s.growProbation(d)
		s.creditCourses(d)
		s.withdraw(d)
		s.notify(d)
	}
}

// nextDate is the earliest day on which something is due.
func (s *sim) nextDate() (date.Date, bool) {
	var best date.Date
	found := false
	consider := func(d date.Date) {
		if !found || d < best {
			best, found = d, true
		}
	}
	if s.nextOffence < len(s.offences) {
		consider(s.offences[s.nextOffence].Established)
	}
	if s.nextCourse < len(s.courses) {
		consider(s.courses[s.nextCourse].LastDay.AddDays(s.r.CourseDelayDays))
	}
	if s.nextStep < len(s.steps) {
		consider(s.lic.Obtained.AddMonths(s.steps[s.nextStep].AfterMonths))
	}
	if s.hasFullDue {
		consider(s.fullDue)
	}
	if s.pending {
		consider(s.noticeDue)
	}
	for i := range s.open {
		w := &s.open[i]
		if w.six {
			consider(w.sixDue)
		}
		if w.ten {
			consider(w.tenDue)
		}
	}
	return best, found
}

// move applies a change of balance and records it, as history up to at and
// as the calendar to come after.
func (s *sim) move(d date.Date, delta int, kind Kind, ref string) {
	s.balance += delta
	m := Movement{Date: d, Delta: delta, Balance: s.balance, Kind: kind, Ref: ref}
	if d.After(s.at) {
		s.upcoming = append(s.upcoming, m)
		return
	}
	s.movements = append(s.movements, m)
	s.balanceAt = s.balance
}

// room is how many points can come back on day d without passing the ceiling.
func (s *sim) room(d date.Date) int {
	if c := s.ceilingAt(d) - s.balance; c > 0 {
		return c
	}
	return 0
}

// committedBetween reports whether a known points offence was committed
// strictly after from and strictly before to: the offence that interrupts a
// recovery clock (§3.4). The day the clock starts is not counted, and on the
// day it ends the points are already back.
func (s *sim) committedBetween(from, to date.Date) bool {
	for i := range s.offences {
		o := &s.offences[i]
		if o.Points > 0 && o.Committed.After(from) && o.Committed.Before(to) {
			return true
		}
	}
	return false
}
