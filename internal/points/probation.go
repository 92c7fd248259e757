package points

import "permis/internal/date"

// schedule picks the probation schedule of a licence (§3.1) and returns its
// steps, with the end of the period as a final step to the maximum.
//
// The complementary training shortens the probation (key "+training") only
// when all of these hold (L223-1 al. 2, R223-1 II):
//   - it has happened (on or before at);
//   - the licence is a first licence, not one obtained again after an
//     invalidation or annulment;
//   - no offence that cost points, or that led to a restriction or a
//     suspension of the right to drive, was committed during the shortened
//     period. Otherwise the ordinary period applies (3 years, or 2 with AAC).
//
// offences are the known ones (established on or before at).
func (r *Rules) schedule(l Licence, offences []Offence, at date.Date) (*Schedule, []Step, date.Date) {
	if l.Probation == ProbationNone {
		return nil, nil, 0
	}
	key := string(l.Probation)
	if l.ComplementaryTraining.Valid && !l.ComplementaryTraining.Date.After(at) && !l.Reobtained {
		if short, ok := r.Probation[key+trainingSuffix]; ok && !shorteningLost(l, offences, short) {
			key += trainingSuffix
		}
	}
	sched, ok := r.Probation[key]
	if !ok {
		return nil, nil, 0
	}
	steps := make([]Step, 0, len(sched.Steps)+1)
	steps = append(steps, sched.Steps...)
	if n := len(steps); n == 0 || steps[n-1].AfterMonths < sched.EndMonths {
		steps = append(steps, Step{AfterMonths: sched.EndMonths, Ceiling: r.Maximum})
	} else {
		steps[n-1].Ceiling = r.Maximum
	}
	return &sched, steps, l.Obtained.AddMonths(sched.EndMonths)
}

// shorteningLost reports whether an offence committed before the end of the
// shortened period cost points or led to a restriction or a suspension of
// the right to drive (L223-1 al. 2: "ne commet durant ce délai aucune
// infraction ayant donné lieu à retrait de points ou ayant entraîné une
// mesure de restriction ou de suspension du droit de conduire").
func shorteningLost(l Licence, offences []Offence, short Schedule) bool {
	end := l.Obtained.AddMonths(short.EndMonths)
	for _, o := range offences {
		if (o.Points > 0 || o.Measure != MeasureNone) && o.Committed.Before(end) {
			return true
		}
	}
	return false
}

// granted reports whether the growth due on day d is granted: only if no
// offence that cost points was committed since the start of the probation
// (R223-1 II). An offence committed on the day itself comes too late to stop
// it (docs/points.md, decision 2).
func (s *sim) granted(d date.Date) bool {
	return !s.hasPointsOffence || !s.firstPointsOffence.Before(d)
}

// ceilingAt is the most points the licence may hold on day d (R223-1 III):
// during the probation, 6 plus the increases actually granted by then, so
// the first points offence freezes it until the probation ends; the maximum
// afterwards.
func (s *sim) ceilingAt(d date.Date) int {
	if s.sched == nil || !d.Before(s.probEnd) {
		return s.r.Maximum
	}
	c := s.sched.Initial
	for _, st := range s.steps {
		due := s.lic.Obtained.AddMonths(st.AfterMonths)
		if due.After(d) || !s.granted(due) {
			break
		}
		c = st.Ceiling
	}
	return c
}

// InProbation reports whether day d falls in the probationary period.
func (s *sim) inProbation(d date.Date) bool {
	return s.sched != nil && d.Before(s.probEnd)
}

// growProbation credits the yearly growth of a probationary licence (R223-1
// II): each step raises the balance to the new ceiling, provided no offence
// that cost points was committed since the licence was obtained. One offence
// is enough to lose every later growth, even once its points are back.
//
// At the end of the probation a licence that had an offence is not topped
// up: it reaches the maximum under L223-6 (R223-1 IV). If its 2- or 3-year
// period without offence has already run out (restored, with no withdrawal
// since), the condition of L223-6 is met and the maximum is now 12, so the
// balance goes to 12 that day, recorded as a full recovery; otherwise the
// full recovery will do it when its period ends.
func (s *sim) growProbation(d date.Date) {
	for s.nextStep < len(s.steps) {
		st := s.steps[s.nextStep]
		if s.lic.Obtained.AddMonths(st.AfterMonths) != d {
			return
		}
		s.nextStep++
		delta := st.Ceiling - s.balance
		switch {
		case delta <= 0:
		case s.granted(d):
			s.move(d, delta, KindProbation, "")
		case s.restored && d == s.probEnd:
			s.move(d, delta, KindRecoveryFull, s.lastRef)
		}
	}
}
