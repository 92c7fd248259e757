package points

import (
	"fmt"
	"slices"
)

// InputError is a ledger the engine refuses: Field names the faulty value
// (as the replay contract spells it where it can), Problem says what is wrong.
type InputError struct {
	EventID string // the event concerned, "" for the licence
	Field   string
	Problem string // in French
}

func (e *InputError) Error() string {
	if e.EventID != "" {
		return "événement " + e.EventID + ", " + e.Field + " : " + e.Problem
	}
	return e.Field + " : " + e.Problem
}

func inputErr(field, format string, args ...any) error {
	return &InputError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

func eventErr(id, field, format string, args ...any) error {
	return &InputError{EventID: id, Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Validate refuses a ledger that cannot be true: an unknown probation path or
// class, points out of 0–6, an offence established before it was committed,
// an event before the licence existed, a duplicate id, a complementary
// training outside the 6th–12th month of a probationary licence (§3.1).
func (r *Rules) Validate(l Ledger) error {
	lic := l.Licence
	if !lic.Probation.Valid() {
		return inputErr("licence.probation", "parcours inconnu %q (standard, aac ou none)", lic.Probation)
	}
	if ct := lic.ComplementaryTraining; ct.Valid {
		if lic.Probation == ProbationNone {
			return inputErr("licence.complementary_training", "seul un permis probatoire peut avoir une formation complémentaire")
		}
		from, to := lic.Obtained.AddMonths(6), lic.Obtained.AddMonths(12)
		if ct.Date.Before(from) || ct.Date.After(to) {
			return inputErr("licence.complementary_training", "%s est hors de la période du 6e au 12e mois après l'obtention (du %s au %s)", ct.Date, from, to)
		}
	}
	// Ledgers are short (a few events): a linear scan beats a map, until it
	// does not.
	n := len(l.Offences) + len(l.Courses) + len(l.Notices)
	ids := make([]string, 0, min(n, 64))
	var seen map[string]bool
	if n > 64 {
		seen = make(map[string]bool, n)
	}
	unique := func(id string) error {
		if id == "" {
			return inputErr("id", "identifiant manquant")
		}
		if (seen != nil && seen[id]) || (seen == nil && slices.Contains(ids, id)) {
			return eventErr(id, "id", "identifiant %q en double", id)
		}
		if seen != nil {
			seen[id] = true
		} else {
			ids = append(ids, id)
		}
		return nil
	}
	for _, o := range l.Offences {
		if err := unique(o.ID); err != nil {
			return err
		}
		switch {
		case o.Points < 0 || o.Points > r.MaxPerOffence:
			return eventErr(o.ID, "points", "%d hors limites (de 0 à %d : une infraction coûte au plus %d points)", o.Points, r.MaxPerOffence, r.MaxPerOffence)
		case !o.Class.Valid():
			return eventErr(o.ID, "class", "classe inconnue %q (1 à 5, ou \"delit\")", o.Class)
		case o.Established.Before(o.Committed):
			return eventErr(o.ID, "established", "%s est antérieure à la date de l'infraction (%s)", o.Established, o.Committed)
		case o.Committed.Before(lic.Obtained):
			return eventErr(o.ID, "committed", "%s est antérieure à l'obtention du permis (%s)", o.Committed, lic.Obtained)
		case !o.Measure.Valid():
			return eventErr(o.ID, "measure", "mesure inconnue %q (suspension ou restriction)", o.Measure)
		}
	}
	for _, c := range l.Courses {
		if err := unique(c.ID); err != nil {
			return err
		}
		if c.LastDay.Before(lic.Obtained) {
			return eventErr(c.ID, "date", "%s est antérieure à l'obtention du permis (%s)", c.LastDay, lic.Obtained)
		}
	}
	for _, n := range l.Notices {
		if err := unique(n.ID); err != nil {
			return err
		}
		if n.Notified.Before(lic.Obtained) {
			return eventErr(n.ID, "date", "%s est antérieure à l'obtention du permis (%s)", n.Notified, lic.Obtained)
		}
	}
	return nil
}
