package licence

import (
	"permis/internal/date"
)

// The transitions of the driving right, one function per event of §3.8.
// Dates are days: the hour of a retention is the application's business, the
// register keeps the day its hours run out.

// retain: VALIDE --(rétention)--> RETENU for 72 h, or 120 h with blood tests.
func (r RightRules) retain(s RightStatus, e RightEvent) (RightStatus, error) {
	if s.State != StateValid {
		return s, refuse(s, e, "")
	}
	hours := r.RetentionHours
	if e.BloodTests {
		hours = r.RetentionBloodHours
	}
	n := next(s, StateRetained, e.On)
	n.Until = date.Some(e.On.AddDays((hours + 23) / 24))
	return n, nil
}

// endRetention: RETENU --72h/120h--> VALIDE, or a suspension when the préfet
// decides one (e.Until) before the retention runs out.
func (r RightRules) endRetention(s RightStatus, e RightEvent) (RightStatus, error) {
	if s.State != StateRetained {
		return s, refuse(s, e, "")
	}
	if e.Until.Valid {
		return r.suspendAdmin(s, RightEvent{Kind: EventSuspendAdmin, On: e.On, Until: e.Until, AlcoholOrDrugs: e.AlcoholOrDrugs})
	}
	return next(s, StateValid, e.On), nil
}

// suspendAdmin: VALIDE or RETENU --(arrêté du préfet)--> SUSPENDU_ADMIN. After
// a retention the suspension counts from the retention, as the card is
// already held (§3.7); it must be decided before the retention runs out,
// otherwise the card has to be returned first.
func (r RightRules) suspendAdmin(s RightStatus, e RightEvent) (RightStatus, error) {
	since := e.On
	switch s.State {
	case StateValid:
	case StateRetained:
		if s.Until.Valid && e.On.After(s.Until.Date) {
			return s, refuse(s, e, "le délai de rétention a expiré le "+s.Until.Date.French()+", le permis doit d'abord être restitué")
		}
		since = s.Since
	default:
		return s, refuse(s, e, "")
	}
	if err := suspensionEnd(e, since); err != nil {
		return s, err
	}
	n := next(s, StateSuspendedAdmin, since)
	n.Until = e.Until
	n.MedicalRequired = r.needsMedical(since, e)
	return n, nil
}

// suspendJudicial: a court's suspension replaces a running administrative
// one; the two are not added up (§3.7).
func (r RightRules) suspendJudicial(s RightStatus, e RightEvent) (RightStatus, error) {
	switch s.State {
	case StateValid, StateRetained, StateSuspendedAdmin:
	default:
		return s, refuse(s, e, "")
	}
	if err := suspensionEnd(e, e.On); err != nil {
		return s, err
	}
	n := next(s, StateSuspendedCourt, e.On)
	n.Until = e.Until
	n.MedicalRequired = r.needsMedical(e.On, e) || (s.State == StateSuspendedAdmin && s.MedicalRequired)
	return n, nil
}

func suspensionEnd(e RightEvent, since date.Date) error {
	if !e.Until.Valid {
		return invalid("La date de fin de la suspension est obligatoire.")
	}
	if !e.Until.Date.After(since) {
		return invalid("La fin de la suspension (" + e.Until.Date.French() + ") doit suivre son début (" + since.French() + ").")
	}
	return nil
}

// needsMedical: alcohol or drugs, or a suspension longer than a month, need a
// favourable medical opinion before restitution (§3.7).
func (r RightRules) needsMedical(since date.Date, e RightEvent) bool {
	return e.AlcoholOrDrugs || e.Until.Date.After(since.AddMonths(r.MedicalAfterSuspensionMonths))
}

// endSuspension: SUSPENDU --(end + [medical])--> VALIDE.
func (r RightRules) endSuspension(s RightStatus, e RightEvent) (RightStatus, error) {
	if s.State != StateSuspendedAdmin && s.State != StateSuspendedCourt {
		return s, refuse(s, e, "")
	}
	if s.Until.Valid && e.On.Before(s.Until.Date) {
		return s, refuse(s, e, "la suspension court jusqu'au "+s.Until.Date.French())
	}
	if s.MedicalRequired && !e.MedicalFavourable {
		return s, refuse(s, e, "un avis médical favorable est nécessaire avant la restitution (alcool, stupéfiants ou suspension de plus d'un mois)")
	}
	return next(s, StateValid, e.On), nil
}

// invalidate: zero balance and 48SI notified on e.On. The balance can reach
// zero while the right is retained or suspended. The wait runs from the
// hand-in date, known now (e.HandedIn) or later (EventHandIn).
func (r RightRules) invalidate(s RightStatus, e RightEvent) (RightStatus, error) {
	switch s.State {
	case StateValid, StateRetained, StateSuspendedAdmin, StateSuspendedCourt:
	default:
		return s, refuse(s, e, "")
	}
	n := next(s, StateInvalidated, e.On)
	n.PreviousInvalidation, n.LastInvalidation = s.LastInvalidation, date.Some(e.On)
	n.MedicalRequired = true // medical and psychotechnic check (§3.6)
	if e.HandedIn.Valid {
		n.HandedIn = e.HandedIn
		n.Until = date.Some(r.invalidationEnd(n))
	}
	return n, nil
}

// invalidationEnd: 6 months from the hand-in date, 1 year when another
// invalidation happened within the previous 5 years (§3.6).
func (r RightRules) invalidationEnd(s RightStatus) date.Date {
	months := r.InvalidationWaitMonths
	if p := s.PreviousInvalidation; p.Valid && !p.Date.Before(s.LastInvalidation.Date.AddYears(-r.RepeatInvalidationYears)) {
		months = r.RepeatInvalidationWaitMonths
	}
	return s.HandedIn.Date.AddMonths(months)
}

// handIn records the day the card was handed in; after an invalidation the
// wait starts then.
func (r RightRules) handIn(s RightStatus, e RightEvent) (RightStatus, error) {
	if s.State != StateInvalidated && s.State != StateAnnulled {
		return s, refuse(s, e, "")
	}
	if s.HandedIn.Valid {
		return s, refuse(s, e, "le permis a déjà été remis le "+s.HandedIn.Date.French())
	}
	s.HandedIn = date.Some(e.On)
	if s.State == StateInvalidated {
		s.Until = date.Some(r.invalidationEnd(s))
	}
	return s, nil
}

// annul: VALIDE (or any measure short of annulment) --(court)--> ANNULE, with
// a ban on re-applying until e.Until, or a definitive one.
func (r RightRules) annul(s RightStatus, e RightEvent) (RightStatus, error) {
	if s.State == StateAnnulled || s.State == "" {
		return s, refuse(s, e, "")
	}
	if !e.Definitive && !e.Until.Valid {
		return s, invalid("La date de fin de l'interdiction de solliciter un nouveau permis est obligatoire, sauf interdiction définitive.")
	}
	if e.Until.Valid && e.Until.Date.Before(e.On) {
		return s, invalid("La fin de l'interdiction (" + e.Until.Date.French() + ") ne peut précéder la décision (" + e.On.French() + ").")
	}
	n := next(s, StateAnnulled, e.On)
	n.Definitive = e.Definitive
	if !e.Definitive {
		n.Until = e.Until
	}
	n.HandedIn = s.HandedIn
	n.MedicalRequired = true // medical and psychotechnic check (§3.7)
	return n, nil
}

// reinstate: INVALIDE or ANNULE --(wait or ban over + medical + exam)-->
// VALIDE, a new probationary licence with code 105.
func (r RightRules) reinstate(s RightStatus, e RightEvent) (RightStatus, error) {
	switch {
	case s.State != StateInvalidated && s.State != StateAnnulled:
		return s, refuse(s, e, "")
	case s.Definitive:
		return s, refuse(s, e, "l'interdiction de solliciter un nouveau permis est définitive")
	case s.State == StateInvalidated && !s.HandedIn.Valid:
		return s, refuse(s, e, "le permis invalidé n'a pas été remis, le délai d'attente n'a pas commencé")
	case s.Until.Valid && e.On.Before(s.Until.Date):
		return s, refuse(s, e, "aucun nouveau permis ne peut être délivré avant le "+s.Until.Date.French())
	case !e.MedicalFavourable:
		return s, refuse(s, e, "un avis médical et psychotechnique favorable est nécessaire")
	case !e.ExamPassed:
		return s, refuse(s, e, "les épreuves du permis doivent être repassées avec succès")
	}
	n := next(s, StateValid, e.On)
	n.Probation = date.Some(e.On)
	return n, nil
}

// ProbationRestriction returns the code-105 mention of a probationary
// licence given after an invalidation or an annulment, with its start and
// end dates (§2.3, §3.6).
func ProbationRestriction(start, end date.Date) Restriction {
	return Restriction{Code: "105", Detail: start.French() + " - " + end.French()}
}
