package medical

import (
	"permis/internal/date"
	"permis/internal/licence"
)

// Situation is what the register says of a licence, as the public
// "Quelle visite médicale ?" page reads it to propose its first answers:
// the measure in force, and the heavy categories with their medical
// validity. The register does not know a measure's cause (alcohol,
// drugs…): the person is still asked.
type Situation struct {
	Kind   Kind // None when the register shows nothing that calls for a check
	Months int  // a suspension's whole months, from its first to its last day
	From   date.Date
	Until  date.Null
	// HeavyUntil is the earliest end of a heavy category's medical validity.
	HeavyUntil date.Null
}

// FromRegister reads a licence's state and categories (REFERENCE §3.7,
// §2.2). A measure in force comes first; otherwise a heavy category makes
// its renewal the case.
func FromRegister(l licence.Licence) Situation {
	s := Situation{Kind: None, From: l.StateSince, Until: l.StateUntil}
	for _, c := range l.Categories {
		if Heavy(string(c.Category)) && c.MedicalUntil.Valid && (!s.HeavyUntil.Valid || c.MedicalUntil.Date.Before(s.HeavyUntil.Date)) {
			s.HeavyUntil = c.MedicalUntil
		}
	}
	switch l.State {
	case licence.StateSuspendedAdmin, licence.StateSuspendedCourt:
		s.Kind = Suspension
		if l.StateUntil.Valid {
			s.Months = WholeMonths(l.StateSince, l.StateUntil.Date)
		}
	case licence.StateInvalidated:
		s.Kind = Invalidation
	case licence.StateAnnulled:
		s.Kind = Annulment
	default:
		if s.HeavyUntil.Valid {
			s.Kind = HeavyRenewal
		}
	}
	return s
}

// WholeMonths counts the whole months of a suspension from its first day to
// its last, both included: 1 January–30 June is 6 months, 1 January–
// 29 June is 5 (as requests.Sanction counts it).
func WholeMonths(from, last date.Date) int {
	end, n := last.AddDays(1), 0
	for !end.Before(from.AddMonths(n + 1)) {
		n++
	}
	return n
}
