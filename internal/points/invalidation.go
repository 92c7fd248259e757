package points

import "permis/internal/date"

// zero is called when a withdrawal empties the balance on day d. The licence
// loses its validity when the 48SI letter is notified, not before (L223-5;
// REFERENCE §3.6): until then it is still valid at zero points, and a course
// taken before the notification gives points back. The notification is the
// first one known on or after d; when none is known the engine dates the
// invalidation by the zero balance, as it did before notifications were part
// of the ledger, and the replay ends.
func (s *sim) zero(d date.Date) {
	for _, n := range s.notices {
		if !n.Before(d) {
			s.pending, s.noticeDue = true, n
			return
		}
	}
	s.invalid, s.invalidSince = true, d
}

// notify applies the 48SI notified on day d, after everything else of that
// day: the licence is invalid if its balance is still zero; a course credited
// in time (the day after its last day, at the latest the day of the
// notification) has made the letter moot.
func (s *sim) notify(d date.Date) {
	if !s.pending || s.noticeDue != d {
		return
	}
	s.pending = false
	if s.balance == 0 {
		s.invalid, s.invalidSince = true, d
	}
}
