package points

import "permis/internal/date"

// schedule picks the probation schedule of a licence (§3.1) and returns its
// steps, with the end of the period as a final step to the maximum. The
// complementary training counts only once it has happened (on or before at).
func (r *Rules) schedule(l Licence, at date.Date) (*Schedule, []Step, date.Date) {
	if l.Probation == ProbationNone {
		return nil, nil, 0
	}
	key := string(l.Probation)
	if l.ComplementaryTraining.Valid && !l.ComplementaryTraining.Date.After(at) {
		key += trainingSuffix
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

// ceilingAt is the most points the licence may hold on day d: the
// probationary ceiling reached by then (6, 8, 9, 10…), whatever the
// offences, or the maximum once the probation is over (§3.1, §3.5 "capped by
// the ceiling in force").
func (s *sim) ceilingAt(d date.Date) int {
	if s.sched == nil || !d.Before(s.probEnd) {
		return s.r.Maximum
	}
	c := s.sched.Initial
	for _, st := range s.steps {
		if s.lic.Obtained.AddMonths(st.AfterMonths).After(d) {
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

// growProbation credits the yearly growth of a probationary licence (§3.1):
// each step raises the balance to the new ceiling, provided no offence that
// cost points was committed since the licence was obtained. One offence is
// enough to lose every later growth, even once its points are back.
//
// A licence whose 2- or 3-year clock has already run out (restored, with no
// withdrawal since) keeps the benefit of that rule when the ceiling rises:
// it is "affecté du nombre maximal de points" (L223-6) as the maximum grows,
// which is recorded as a full recovery, not as probation growth.
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
		case !s.hasPointsOffence || !s.firstPointsOffence.Before(d):
			s.move(d, delta, KindProbation, "")
		case s.restored:
			s.move(d, delta, KindRecoveryFull, s.lastRef)
		}
	}
}
