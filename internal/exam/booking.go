package exam

import (
	"permis/internal/date"
	"permis/internal/licence"
)

// Result is the examiner's result of a practical exam.
type Result string

// The results. Absent counts as an attempt and as an unused place.
const (
	Favourable   Result = "favourable"
	Unfavourable Result = "unfavourable"
	Absent       Result = "absent"
)

// Valid reports whether r is one of the three results.
func (r Result) Valid() bool { return r == Favourable || r == Unfavourable || r == Absent }

// Label returns the French word the examiner and the candidate read.
func (r Result) Label() string {
	switch r {
	case Favourable:
		return "Favorable"
	case Unfavourable:
		return "Défavorable"
	case Absent:
		return "Absent"
	}
	return string(r)
}

// Companion is the accompanying person a candidat libre declares for the
// practical exam of category B (SP F2825; RdvPermis).
type Companion struct {
	LicenceBSince date.Date // the day they obtained licence B
	Instructor    bool      // a driving-teaching professional (refused)
	LinkSworn     bool      // personal or family link sworn by the candidate
}

// Strike is a place booked and not used (absence) or cancelled late.
// ForceMajeure is set when an agent accepted the justified case: the
// strike then blocks nothing.
type Strike struct {
	ExamDay      date.Date
	ForceMajeure bool
}

// Booking is what the booking rules need to know about a candidate.
type Booking struct {
	Category  licence.Category
	Theory    *TheoryPass // nil: no theory pass
	School    bool        // booked by a school (false: candidat libre)
	Automatic bool        // trained on an automatic gearbox
	// TrainingHours is the practical training declared by the school.
	TrainingHours int
	Companion     *Companion // a candidat libre's, for category B
	DualControl   bool       // a candidat libre brings a dual-control vehicle
	Pending       bool       // already holds a place not yet taken, same category
	Strikes       []Strike
}

// Booking refusal codes.
const (
	RefuseNoTheory      = "theory_missing"
	RefuseTheoryExpired = "theory_expired"
	RefuseTraining      = "training_hours"
	RefuseCompanion     = "companion_missing"
	RefuseCompanionNew  = "companion_licence_recent"
	RefuseInstructor    = "companion_instructor"
	RefuseLinkNotSworn  = "companion_link"
	RefuseDualControl   = "dual_control"
	RefusePending       = "place_pending"
	RefuseBlocked       = "blocked"
	RefusePast          = "place_past"
)

// CheckBooking returns the reasons why the candidate may not book a place
// on examDay today; none means the booking may go on.
func CheckBooking(b Booking, examDay, today date.Date, cfg Config) []Refusal {
	var out []Refusal
	add := func(code, msg, src string) { out = append(out, Refusal{Code: code, Message: msg, Source: src}) }
	if !examDay.After(today) {
		add(RefusePast, "Cette place est passée.", "")
	}
	switch {
	case b.Theory == nil:
		add(RefuseNoTheory, "Il faut d'abord réussir l'épreuve théorique (le code).", "C. route D221-3")
	case !b.Theory.ValidOn(examDay, cfg):
		add(RefuseTheoryExpired, "Votre code n'est plus valable à cette date (5 ans ou 5 examens pratiques) : repassez-le.",
			"arrêté du 20 avril 2012; REFERENCE §15")
	}
	if b.Pending {
		add(RefusePending, "Vous avez déjà une place d'examen réservée pour la catégorie "+string(b.Category)+".",
			"RdvPermis (une place nominative par candidat)")
	}
	if until, ok := BlockedUntil(b.Strikes, cfg); ok && !today.After(until) {
		add(RefuseBlocked, "Une place réservée n'a pas été utilisée ou a été annulée tardivement : vous pourrez réserver "+
			"à nouveau à partir du "+until.AddDays(1).French()+".", "RdvPermis (arrêté du 27 avril 2021), délai de 40 jours")
	}
	if b.Category != licence.CategoryB {
		return out
	}
	if b.School {
		need := cfg.TrainingHoursManual
		if b.Automatic {
			need = cfg.TrainingHoursAutomatic
		}
		if b.TrainingHours < need {
			add(RefuseTraining, "La formation déclarée ("+itoa(b.TrainingHours)+" h) n'atteint pas le minimum de "+itoa(need)+" h.",
				"arrêté du 22 décembre 2009; arrêté du 14 octobre 2016 (13 h en boîte automatique)")
		}
		return out
	}
	out = append(out, checkCompanion(b, examDay, cfg)...)
	return out
}

// checkCompanion checks a candidat libre's accompanying person and vehicle.
func checkCompanion(b Booking, examDay date.Date, cfg Config) []Refusal {
	var out []Refusal
	add := func(code, msg string) {
		out = append(out, Refusal{Code: code, Message: msg, Source: "SP F2825; RdvPermis"})
	}
	c := b.Companion
	switch {
	case c == nil:
		add(RefuseCompanion, "Déclarez la personne qui vous accompagnera le jour de l'examen.")
	default:
		if examDay.Before(c.LicenceBSince.AddYears(cfg.CompanionLicenceYears)) {
			add(RefuseCompanionNew, "La personne qui vous accompagne doit avoir le permis B depuis au moins 5 ans le jour de l'examen.")
		}
		if c.Instructor {
			add(RefuseInstructor, "La personne qui vous accompagne ne peut pas être un professionnel de l'enseignement de la conduite.")
		}
		if !c.LinkSworn {
			add(RefuseLinkNotSworn, "Attestez sur l'honneur votre lien personnel ou familial avec la personne qui vous accompagne.")
		}
	}
	if !b.DualControl {
		add(RefuseDualControl, "Le véhicule de l'examen doit être équipé d'une double commande.")
	}
	return out
}

// BlockedUntil returns the last day the strikes block a new booking: 40
// days counted from the exam day of the latest strike not excused by
// force majeure (RdvPermis). ok is false when nothing blocks.
func BlockedUntil(strikes []Strike, cfg Config) (until date.Date, ok bool) {
	for _, s := range strikes {
		if s.ForceMajeure {
			continue
		}
		if end := s.ExamDay.AddDays(cfg.NoShowBlockDays - 1); !ok || end.After(until) {
			until, ok = end, true
		}
	}
	return until, ok
}

// LateCancellation reports whether cancelling on day cancelled a place on
// examDay is late: fewer than LateCancelDays days before the exam.
func LateCancellation(cancelled, examDay date.Date, cfg Config) bool {
	return cancelled.After(examDay.AddDays(-cfg.LateCancelDays))
}
