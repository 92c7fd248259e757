package exam

import "permis/internal/date"

// TheoryPass is a pass at the theory test (épreuve théorique générale,
// ETG), reported by an approved operator.
type TheoryPass struct {
	Passed date.Date
	// Attempts is the number of practical exams taken since the pass
	// (absences at a booked place count as taken: the place was used up).
	Attempts int
}

// Expires returns the last day the pass is valid by its age: 5 years after
// it, the day before the anniversary.
func (p TheoryPass) Expires(cfg Config) date.Date {
	return p.Passed.AddYears(cfg.TheoryValidityYears).AddDays(-1)
}

// ValidOn reports whether the pass still lets its holder take the
// practical exam on day d: for 5 years and 5 practical attempts, whichever
// comes first (arrêté du 20 avril 2012; REFERENCE §15). A pass dated after
// d does not count yet.
func (p TheoryPass) ValidOn(d date.Date, cfg Config) bool {
	return !d.Before(p.Passed) && !d.After(p.Expires(cfg)) && p.Attempts < cfg.TheoryValidityAttempts
}

// AttemptsLeft returns how many practical exams the pass still allows.
func (p TheoryPass) AttemptsLeft(cfg Config) int {
	return max(0, cfg.TheoryValidityAttempts-p.Attempts)
}
