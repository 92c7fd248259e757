package exam

import (
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/requests"
)

// Filer is who files the registration.
type Filer string

// The filers: the candidate themselves (a candidat libre, or a school's
// student filing alone), or a driving school under the student's mandate.
const (
	ByCandidate Filer = "candidate"
	BySchool    Filer = "school"
)

// Applicant is what the registration rules need to know about a person.
type Applicant struct {
	Born      date.Date
	French    bool               // a French national (the JDC concerns them only)
	Category  licence.Category   // the category the exam is for
	Held      []licence.Category // categories currently held
	AAC       bool               // apprentissage anticipé de la conduite (category B)
	Automatic bool               // trained on an automatic gearbox (code 78)
	Filer     Filer
	// Health: a health problem or an invalidity pension declared, which
	// needs a medical opinion whatever the category (REFERENCE §10).
	Health bool
	// Back is set when the person had a licence invalidated or annulled
	// and comes back to it (comeback.go).
	Back *Comeback
}

// Need is one document the registration asks for, with why.
type Need struct {
	Doc    requests.Document
	Or     requests.Document // accepted instead ("" when none)
	Why    string            // French: the reason the applicant reads
	Source string            // the article or fiche
}

// Refusal is one reason the registration cannot be accepted today.
type Refusal struct {
	Code    string // stable: sent to API clients, tested
	Message string // French, for people
	Source  string
}

// Refusal codes.
const (
	RefuseTooYoung      = "too_young"
	RefuseNoExam        = "no_exam"
	RefusePrerequisite  = "prerequisite_missing"
	RefuseAlreadyHeld   = "already_held"
	RefuseWaiting       = "waiting_period"
	RefuseCourtBan      = "court_ban"
	RefuseUnknownFiler  = "unknown_filer"
	RefuseAACCategory   = "aac_category_b_only"
	RefuseComebackDates = "comeback_dates"
)

// Registration is the decision on a registration: whether it may be
// accepted today, what it needs, and which tests the candidate will take.
type Registration struct {
	Refusals []Refusal
	Needs    []Need
	Photo    bool // an ePhoto code, or the paper photo-signature form (FPS)
	// Theory and Practical are the tests to pass. AM has neither: it is a
	// training course (R211-2), so NoExam is set and the registration is
	// refused with RefuseNoExam.
	Theory, Practical bool
	NoExam            bool
	// Probationary: the licence the exam leads to is probationary
	// (L223-1: a first licence, and a new one after invalidation or
	// annulment).
	Probationary bool
	// From is the first day the registration may be accepted (a comeback
	// before the end of its waiting period); zero otherwise.
	From date.Date
	// TheoryOnlyUntil is the last day a comeback may register and still
	// take the theory test only (R224-20 al. 2); zero when not entitled.
	TheoryOnlyUntil date.Date
}

// Eligible reports whether the registration may be accepted today.
func (r Registration) Eligible() bool { return len(r.Refusals) == 0 }

// Needed reports whether the registration asks for document d.
func (r Registration) Needed(d requests.Document) bool {
	for _, n := range r.Needs {
		if n.Doc == d {
			return true
		}
	}
	return false
}

// Refused reports whether the registration is refused with that code.
func (r Registration) Refused(code string) bool {
	for _, f := range r.Refusals {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Register decides a registration for the exam on the day today.
func Register(a Applicant, today date.Date, cfg Config) Registration {
	if a.Back != nil {
		return comeback(a, today, cfg)
	}
	r := Registration{Photo: true, Theory: true, Practical: true, Probationary: len(a.Held) == 0}
	r.common(a, cfg)
	if a.Category == licence.CategoryAM {
		r.am(a, cfg)
		return r
	}
	r.age(a, today, cfg)
	r.prerequisite(a)
	age := date.YearsBetween(a.Born, today)
	first := len(a.Held) == 0 || onlyAM(a.Held)
	if first && a.French && age >= cfg.JDCFromAge && age < cfg.JDCUntilAge && !(a.AAC && age < cfg.JDCAACExemptUntil) {
		r.need(requests.DocJDC, "", "vous avez entre 17 et 25 ans et c'est votre première inscription",
			"Code du service national L114-6")
	}
	if first && firstCategory(a.Category) && age < cfg.RoadSafetyUnderAge {
		r.need(requests.DocRoadSafety, requests.DocSwornStatement,
			"première catégorie (A1, A2, B1 ou B) obtenue avant 21 ans", "C. route R221-5 (décret 2018-795)")
	}
	if a.Category.Heavy() || a.Health {
		r.need(requests.DocMedicalOpinion, "", "catégorie poids lourd ou transport en commun, ou problème de santé déclaré",
			"C. route R221-10, R221-11; arrêté du 28 mars 2022")
	}
	return r
}

// common adds what every registration asks: identity, address, the
// representative's consent for a minor, the school's mandate.
func (r *Registration) common(a Applicant, cfg Config) {
	r.need(requests.DocIdentity, "", "", "arrêté du 20 avril 2012 (inscription); SP F2825")
	r.need(requests.DocAddress, "", "", "arrêté du 20 avril 2012 (inscription); SP F2825")
	switch a.Filer {
	case BySchool:
		r.need(requests.DocMandate, "", "votre auto-école dépose l'inscription pour vous", "SP F2825; REFERENCE §15 (inscription par l'école sous mandat)")
	case ByCandidate:
	default:
		r.refuse(RefuseUnknownFiler, "L'inscription est déposée par le candidat ou par son auto-école.", "")
	}
}

// minorConsent asks the representative's consent of a minor on the day.
func (r *Registration) minorConsent(a Applicant, today date.Date, cfg Config) {
	if date.YearsBetween(a.Born, today) < cfg.AdultAge {
		r.need(requests.DocParentalConsent, "", "vous êtes mineur", "SP F2825 (candidat mineur)")
	}
}

// am handles category AM: a training course and its certificate, no exam
// (R211-2); the ASSR1, ASSR2 or ASR for people born in 1988 or later.
func (r *Registration) am(a Applicant, cfg Config) {
	r.Theory, r.Practical, r.NoExam = false, false, true
	r.refuse(RefuseNoExam, "La catégorie AM (ex-BSR) s'obtient après une formation en école de conduite, sans examen : "+
		"l'école vous remet une attestation, avec laquelle vous demandez le premier permis.", "C. route R211-2")
	r.need(requests.DocAMTraining, "", "catégorie AM", "C. route R211-2; arrêté du 8 novembre 2012")
	if a.Born.Year() >= cfg.RoadSafetyAMBornFrom {
		r.need(requests.DocRoadSafetyAM, "", "vous êtes né en 1988 ou après", "C. route R211-2; REFERENCE §9")
	}
}

// age refuses a candidate younger than the registration age: 16 for B (15
// with AAC), the category's minimum age otherwise (R221-5).
func (r *Registration) age(a Applicant, today date.Date, cfg Config) {
	min := a.Category.MinimumAge(today)
	if a.Category == licence.CategoryB {
		min = cfg.RegistrationAge
		if a.AAC {
			min = cfg.AACRegistrationAge
		}
	} else if a.AAC {
		r.refuse(RefuseAACCategory, "L'apprentissage anticipé de la conduite ne concerne que la catégorie B.",
			"arrêté du 22 décembre 2009, titre I")
	}
	if min == 0 {
		return
	}
	r.minorConsent(a, today, cfg)
	if date.YearsBetween(a.Born, today) < min {
		r.refuse(RefuseTooYoung, "Vous pourrez vous inscrire pour la catégorie "+string(a.Category)+
			" à partir de "+itoa(min)+" ans, le "+a.Born.AddYears(min).French()+".", "C. route R221-5; SP F2825")
	}
}

// prerequisite refuses a category whose prerequisite is not held, and a
// category already held.
func (r *Registration) prerequisite(a Applicant) {
	for _, h := range a.Held {
		if h == a.Category {
			r.refuse(RefuseAlreadyHeld, "Vous avez déjà la catégorie "+string(a.Category)+".", "")
		}
	}
	if p, ok := a.Category.Prerequisite(); ok && !holds(a.Held, p) {
		r.refuse(RefusePrerequisite, "La catégorie "+string(a.Category)+" demande d'avoir déjà la catégorie "+string(p)+".",
			"C. route R221-4")
	}
}

func (r *Registration) need(d, or requests.Document, why, source string) {
	r.Needs = append(r.Needs, Need{Doc: d, Or: or, Why: why, Source: source})
}

func (r *Registration) refuse(code, msg, source string) {
	r.Refusals = append(r.Refusals, Refusal{Code: code, Message: msg, Source: source})
}

// firstCategory: the categories décret 2018-795 counts as a "first
// category" for the ASSR2 (AM does not count).
func firstCategory(c licence.Category) bool {
	switch c {
	case licence.CategoryA1, licence.CategoryA2, licence.CategoryB1, licence.CategoryB:
		return true
	}
	return false
}

func onlyAM(held []licence.Category) bool {
	for _, h := range held {
		if h != licence.CategoryAM {
			return false
		}
	}
	return true
}

func holds(held []licence.Category, c licence.Category) bool {
	for _, h := range held {
		if h == c {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
