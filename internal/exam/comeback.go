package exam

import (
	"permis/internal/date"
	"permis/internal/requests"
)

// Measure is what took the licence away.
type Measure string

// The measures after which one registers for the exam again (REFERENCE §3.7).
const (
	Invalidation Measure = "invalidation" // balance at zero, letter 48SI (L223-1, L223-5)
	Annulment    Measure = "annulment"    // a court's annulment, with a ban on asking a new licence (L224-14)
)

// Comeback is a person coming back to the licence after an invalidation or
// an annulment.
type Comeback struct {
	Measure Measure
	// LicenceSince is the day the lost licence was first obtained.
	LicenceSince date.Date
	// Lost is the day the licence lost its validity: the 48SI's
	// notification, or the court's decision.
	Lost date.Date
	// HandedIn is the day the card was handed in to the préfet: the
	// invalidation's waiting period runs from it (L223-5 II).
	HandedIn date.Date
	// PreviousInvalidation is the notification of an earlier invalidation,
	// if any: within RepeatInvalidationYears it doubles the wait.
	PreviousInvalidation date.Null
	// BanEnds is the first day a new licence may be asked after an
	// annulment (the end of the court's ban); the ban runs from Lost.
	BanEnds date.Date
}

// Allowed returns the first day a new licence may be asked: 6 months after
// handing the card in (1 year after a second invalidation within 5 years),
// or the end of the court's ban (L223-5 II, L224-14).
func (c Comeback) Allowed(cfg Config) date.Date {
	if c.Measure == Annulment {
		return c.BanEnds
	}
	return c.HandedIn.AddMonths(c.waitMonths(cfg))
}

func (c Comeback) waitMonths(cfg Config) int {
	if c.Repeat(cfg) {
		return cfg.RepeatInvalidationWaitMonths
	}
	return cfg.InvalidationWaitMonths
}

// Repeat reports whether another invalidation was notified in the 5 years
// before this one (RepeatInvalidationYears): the wait is then a year (C.
// route L223-5 II). The 5 years count back from this invalidation's
// notification (Lost); an earlier notification on the same day of the
// month 5 years before still counts.
func (c Comeback) Repeat(cfg Config) bool {
	return c.Measure == Invalidation && c.PreviousInvalidation.Valid && c.PreviousInvalidation.Date.Before(c.Lost) &&
		!c.Lost.After(c.PreviousInvalidation.Date.AddYears(cfg.RepeatInvalidationYears))
}

// shortBan reports whether the ban on asking a new licence is shorter
// than TheoryOnlyBanUnderMonths (R224-20 al. 2: "inférieure à un an").
func (c Comeback) shortBan(cfg Config) bool {
	if c.Measure == Annulment {
		return c.BanEnds.Before(c.Lost.AddMonths(cfg.TheoryOnlyBanUnderMonths))
	}
	return c.waitMonths(cfg) < cfg.TheoryOnlyBanUnderMonths
}

// TheoryOnlyUntil returns the last day of registration that still waives
// the practical test, and false when the person is not entitled: the
// licence was held 3 years or more when it was lost, the ban is under a
// year, and the new licence is asked less than 9 months after the day it
// may be (C. route R224-20 al. 2).
func (c Comeback) TheoryOnlyUntil(cfg Config) (date.Date, bool) {
	held := !c.Lost.Before(c.LicenceSince.AddYears(cfg.TheoryOnlyHeldYears))
	if !held || !c.shortBan(cfg) {
		return 0, false
	}
	return c.Allowed(cfg).AddMonths(cfg.TheoryOnlyWithinMonths).AddDays(-1), true
}

// comeback decides the registration of a person coming back after an
// invalidation or an annulment.
func comeback(a Applicant, today date.Date, cfg Config) Registration {
	c := *a.Back
	r := Registration{Photo: true, Theory: true, Practical: true, Probationary: true}
	r.common(a, cfg)
	if (c.Measure != Invalidation && c.Measure != Annulment) || c.LicenceSince.After(c.Lost) ||
		(c.Measure == Invalidation && c.HandedIn.Before(c.Lost)) ||
		(c.Measure == Annulment && c.BanEnds.Before(c.Lost)) {
		r.refuse(RefuseComebackDates, "Les dates de la mesure ne sont pas cohérentes : vérifiez-les sur la décision.", "")
		return r
	}
	r.From = c.Allowed(cfg)
	if today.Before(r.From) {
		code, msg := RefuseWaiting, "Après une invalidation, vous pourrez vous inscrire à partir du "+r.From.French()+
			" ("+itoa(c.waitMonths(cfg))+" mois après la remise de votre permis)."
		if c.Repeat(cfg) {
			msg = "Votre permis a déjà été invalidé moins de 5 ans avant (invalidation notifiée le " + c.PreviousInvalidation.Date.French() +
				") : vous pourrez vous inscrire à partir du " + r.From.French() + " (" + itoa(c.waitMonths(cfg)) +
				" mois après la remise de votre permis)."
		}
		src := "C. route L223-5 II"
		if c.Measure == Annulment {
			code, msg, src = RefuseCourtBan, "Le jugement vous interdit de demander un nouveau permis avant le "+r.From.French()+".",
				"C. route L224-14"
		}
		r.refuse(code, msg, src)
	}
	if until, ok := c.TheoryOnlyUntil(cfg); ok && !today.After(until) {
		r.Practical, r.TheoryOnlyUntil = false, until
	}
	r.need(requests.DocInvalidationDecision, "", "la décision qui a retiré votre permis, et le récépissé de sa remise",
		"C. route R224-20; SP F2861")
	r.need(requests.DocPsychotechnic, "", "avant l'avis médical", "C. route R224-21 al. 2, R224-22")
	r.need(requests.DocMedicalOpinion, "", "après une invalidation ou une annulation", "C. route R224-21, L223-5 II, L224-14")
	return r
}
