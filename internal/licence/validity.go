package licence

import (
	"errors"

	"permis/internal/date"
)

// ValidityRules holds the figures of the validity of a card's categories
// (§2.2, R221-11). Durations the law changes belong in configuration:
// DefaultValidityRules is the law as REFERENCE §2.2 states it, and a
// configuration file may override it (check it with Validate).
type ValidityRules struct {
	LightYears int `json:"light_years"` // A1, A2, A, B, B1, BE (and AM): 15 years

	HeavyYears       int `json:"heavy_years"`        // C/D groups, age at issue under SeniorFromAge: 5 years
	SeniorFromAge    int `json:"senior_from_age"`    // 60
	HeavySeniorYears int `json:"heavy_senior_years"` // from 60 to 75 at issue: 2 years
	ElderFromAge     int `json:"elder_from_age"`     // 76
	HeavyElderYears  int `json:"heavy_elder_years"`  // from 76 at issue: 1 year
}

// DefaultValidityRules returns the figures of REFERENCE §2.2: 15 years for
// the light groups; for the heavy groups 5 years under 60, 2 years from 60
// to 75 and 1 year from 76, by the holder's age on the day of issue.
func DefaultValidityRules() ValidityRules {
	return ValidityRules{
		LightYears:       15,
		HeavyYears:       5,
		SeniorFromAge:    60,
		HeavySeniorYears: 2,
		ElderFromAge:     76,
		HeavyElderYears:  1,
	}
}

// Validate refuses figures that would make no sense (a zero duration, age
// bands in the wrong order), so a bad configuration fails at start-up.
func (r ValidityRules) Validate() error {
	if r.LightYears <= 0 || r.HeavyYears <= 0 || r.HeavySeniorYears <= 0 || r.HeavyElderYears <= 0 {
		return errors.New("règles de validité : chaque durée doit être d'au moins un an")
	}
	if r.SeniorFromAge <= 0 || r.ElderFromAge <= r.SeniorFromAge {
		return errors.New("règles de validité : l'âge de la dernière tranche doit dépasser celui de la précédente")
	}
	return nil
}

// Years returns how many years a category issued on a card to a person of
// the given age (on the day of issue) stays valid (§2.2).
func (r ValidityRules) Years(c Category, ageAtIssue int) int {
	switch {
	case !c.Heavy():
		return r.LightYears
	case ageAtIssue >= r.ElderFromAge:
		return r.HeavyElderYears
	case ageAtIssue >= r.SeniorFromAge:
		return r.HeavySeniorYears
	}
	return r.HeavyYears
}

// AdministrativeEnd returns the end of the administrative validity of c on
// a card issued on issued to a person born on born: the issue date plus
// Years, the same day that many years later (29 February → 28 February).
// That day is the last day of validity.
func (r ValidityRules) AdministrativeEnd(c Category, issued, born date.Date) date.Date {
	return issued.AddYears(r.Years(c, date.YearsBetween(born, issued)))
}

// Entry returns the entry of c on a card issued on issued to a person born
// on born, with its administrative end and the medical limit (a temporary
// aptitude, or the date of the next check for a heavy category).
func (r ValidityRules) Entry(c Category, obtained, issued, born date.Date, medicalUntil date.Null) CategoryEntry {
	return CategoryEntry{
		Category:     c,
		Obtained:     obtained,
		ValidUntil:   date.Some(r.AdministrativeEnd(c, issued, born)),
		MedicalUntil: medicalUntil,
	}
}

// End returns the effective end of validity: the earlier of ValidUntil and
// MedicalUntil (§2.2). It is not Valid when neither is set, as on an old
// pink licence of a light category.
func (e CategoryEntry) End() date.Null {
	switch {
	case !e.ValidUntil.Valid:
		return e.MedicalUntil
	case !e.MedicalUntil.Valid:
		return e.ValidUntil
	case e.MedicalUntil.Date.Before(e.ValidUntil.Date):
		return e.MedicalUntil
	}
	return e.ValidUntil
}

// ValidOn reports whether the category may be used on d: obtained on or
// before d, and d not after its effective end (the end is the last valid
// day). It says nothing of the state of the right (suspension…): see
// Licence.CanDrive.
func (e CategoryEntry) ValidOn(d date.Date) bool {
	if d.Before(e.Obtained) {
		return false
	}
	end := e.End()
	return !end.Valid || !d.After(end.Date)
}

// Expired reports whether the category was obtained but has lost its
// validity on d, for instance a heavy category whose medical date has passed
// ("catégorie expirée", §3.8). The right itself is not annulled: a
// favourable medical opinion and a new card bring the category back (§2.2).
func (e CategoryEntry) Expired(d date.Date) bool {
	return !d.Before(e.Obtained) && !e.ValidOn(d)
}

// Entry returns the licence's entry for c, if it holds it.
func (l Licence) Entry(c Category) (CategoryEntry, bool) {
	for _, e := range l.Categories {
		if e.Category == c {
			return e, true
		}
	}
	return CategoryEntry{}, false
}

// CanDrive reports whether the licence lets its holder drive a vehicle of
// category c on d: the right is valid (not retained, suspended, invalidated
// or annulled) and the category is held and within its validity.
func (l Licence) CanDrive(c Category, d date.Date) bool {
	if l.State != StateValid {
		return false
	}
	e, ok := l.Entry(c)
	return ok && e.ValidOn(d)
}

// ExpiredCategories returns the categories the licence holds that have lost
// their validity on d, in the licence's order.
func (l Licence) ExpiredCategories(d date.Date) []Category {
	var out []Category
	for _, e := range l.Categories {
		if e.Expired(d) {
			out = append(out, e.Category)
		}
	}
	return out
}
