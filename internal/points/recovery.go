package points

import "permis/internal/date"

// recoverSingles gives back the point of any withdrawal of one point six
// months after the offence was established, unless a new points offence was
// committed in between (§3.4, L223-6 al. 3; CE 4 Dec 2017 n° 402423: an
// offence committed before, even if established during the six months, does
// not count). Offences committed together on one occasion are not "new". The
// point comes back within the ceiling.
func (s *sim) recoverSingles(d date.Date) {
	for i := range s.open {
		w := &s.open[i]
		if !w.six || w.sixDue != d {
			continue
		}
		w.six = false
		if w.outstanding == 0 || s.committedBetween(w.established, d) {
			continue
		}
		back := min(w.outstanding, s.room(d))
		w.outstanding = 0
		if back > 0 {
			s.move(d, back, KindRecovery6M, w.ref)
		}
	}
}

// recoverFull restores the ceiling when no points offence was committed for
// 2 years after the last one was established, or 3 years when the file
// (since the last full recovery) holds a délit or a class 4 or 5
// contravention (§3.4, L223-6 al. 1–2). Every withdrawal is then closed, so
// the 6-month and 10-year rules have nothing left to give back.
func (s *sim) recoverFull(d date.Date) {
	if !s.hasFullDue || s.fullDue != d {
		return
	}
	s.hasFullDue = false
	if s.committedBetween(s.lastEst, d) {
		// A later offence interrupts the clock; its own withdrawal restarts it.
		return
	}
	s.open = s.open[:0]
	s.serious = false
	s.restored = true
	if back := s.room(d); back > 0 {
		s.move(d, back, KindRecoveryFull, s.lastRef)
	}
}

// recoverTenYears gives back, 10 years after they were established, the
// points of class 1 to 4 contraventions still missing, even if other offences
// happened in between (§3.4, L223-6 al. 4). Within the ceiling.
func (s *sim) recoverTenYears(d date.Date) {
	for i := range s.open {
		w := &s.open[i]
		if !w.ten || w.tenDue != d {
			continue
		}
		w.ten = false
		back := min(w.outstanding, s.room(d))
		w.outstanding = 0
		if back > 0 {
			s.move(d, back, KindRecovery10Y, w.ref)
		}
	}
}

// tenYearEligible reports whether an offence's points come back under the
// 10-year rule: contraventions of classes 1 to 4, those an amende forfaitaire
// can settle.
func tenYearEligible(c Class) bool {
	return c == Class1 || c == Class2 || c == Class3 || c == Class4
}

// serious reports whether an offence lengthens the full recovery to 3 years.
func seriousClass(c Class) bool { return c == Class4 || c == Class5 || c == Delit }
