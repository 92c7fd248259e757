package medical

import (
	"slices"

	"permis/internal/date"
)

// Heavy reports whether a category is a heavy one, whose issue and renewal
// need a medical check (R221-10 II): C1, C1E, C, CE, D1, D1E, D, DE.
func Heavy(category string) bool {
	return slices.Contains([]string{"C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"}, category)
}

// HeavyValidityYears is how long a favourable opinion keeps a heavy
// category valid, by the holder's age on the day of the examination
// (R221-11, arrêté du 20 avril 2012 art. 5 and arrêté du 31 juillet 2012
// art. 1 and annex): 5 years before 60, 2 years from 60 to 75, 1 year
// from 76.
func HeavyValidityYears(age int) int {
	switch {
	case age < 60:
		return 5
	case age < 76:
		return 2
	}
	return 1
}

// HeavyValidityEnd is the last day of a heavy category's medical validity
// after an examination on examined of a person born on birth. A temporary
// opinion (FitLimited) ends earlier when its end date comes first.
func HeavyValidityEnd(birth, examined date.Date, o Opinion) date.Date {
	end := examined.AddYears(HeavyValidityYears(date.YearsBetween(birth, examined))).AddDays(-1)
	if o.Outcome == FitLimited && o.Until.Valid && o.Until.Date.Before(end) {
		return o.Until.Date
	}
	return end
}

// RemindOn is the day the holder of a heavy category whose medical
// validity ends on end is reminded to renew it.
func (c Config) RemindOn(end date.Date) date.Date {
	return end.AddMonths(-c.RemindBeforeMonths)
}
