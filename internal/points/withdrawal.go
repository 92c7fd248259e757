package points

import "permis/internal/date"

// withdraw takes off the points of the offences established on day d (§3.3):
// at most 6 for one offence, at most 8 for offences committed together (one
// occasion), never below zero. Each withdrawal restarts the full-recovery
// clock, opens its own 6-month or 10-year recovery, and causes a letter
// (§3.6). A zero balance invalidates the licence (see zero).
func (s *sim) withdraw(d date.Date) {
	for s.nextOffence < len(s.offences) && s.offences[s.nextOffence].Established == d {
		o := s.offences[s.nextOffence]
		s.nextOffence++
		if o.Points == 0 {
			continue // a contravention without points (speeding < 5 km/h since 2024) moves nothing
		}
		w := min(o.Points, s.r.MaxPerOffence)
		var occ *occasionUse
		if o.Occasion != "" {
			occ = s.occasion(o.Occasion)
			w = min(w, max(s.r.MaxPerOccasion-occ.withdrawn, 0))
		}
		w = min(w, s.balance)
		if occ != nil {
			occ.withdrawn += w
		}
		s.restartClock(o)
		if w == 0 {
			continue
		}
		s.move(d, -w, KindOffence, o.ID)
		s.open = append(s.open, withdrawal{
			ref:         o.ID,
			outstanding: w,
			established: d,
			six:         w == 1, // any withdrawal of one point (L223-6 al. 3)
			sixDue:      d.AddMonths(s.r.SingleRecoveryMonths),
			ten:         tenYearEligible(o.Class),
			tenDue:      d.AddYears(s.r.TenYearRecoveryYears),
		})
		s.letter(d, o, w)
		if s.balance == 0 {
			if s.zero(d); s.invalid {
				return
			}
		}
	}
}

// restartClock moves the start of the 2- or 3-year recovery to this offence's
// establishment (§3.4).
func (s *sim) restartClock(o Offence) {
	s.lastEst, s.lastRef = o.Established, o.ID // offences come in established order
	s.restored = false
	s.serious = s.serious || seriousClass(o.Class)
	years := s.r.FullRecoveryYears
	if s.serious {
		years = s.r.SeriousRecoveryYears
	}
	s.fullDue, s.hasFullDue = s.lastEst.AddYears(years), true
}

// letter records the ministry letter a withdrawal causes (§3.6): 48SI when
// the balance reaches zero; 48N when a probationary licence loses 3 points or
// more for an offence committed during probation; 48M when a licence out of
// probation is left with 6 points or fewer; otherwise 48.
func (s *sim) letter(d date.Date, o Offence, withdrawn int) {
	t := Letter48
	switch {
	case s.balance == 0:
		t = Letter48SI
	case s.inProbation(o.Committed) && withdrawn >= s.r.Letter48NPoints:
		t = Letter48N
	case !s.inProbation(d) && s.balance <= s.r.Letter48MBalance:
		t = Letter48M
	}
	s.letters = append(s.letters, Letter{Date: d, Type: t, Ref: o.ID})
}
