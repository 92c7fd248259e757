package requests

import (
	"slices"
	"strconv"
	"strings"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/stamp"
)

// The conditions of the catalogue. Each is evaluated on the Applicant by
// Condition.Holds; its Label is the reason the applicant reads.
const (
	Never  Condition = "never"
	Always Condition = "always"
	// IfHeavy: a heavy category (C1…DE) asked or held (§2.2, §5: "medical
	// opinion for C/D"; a duplicate of a light licence keeps its end dates).
	IfHeavy Condition = "heavy"
	// IfHeavyOrMedical: a heavy category asked or held, a category of
	// time-limited medical aptitude on the licence, or a health condition
	// declared (§2.2, §5, §10). Field-12 codes alone (glasses…) do not
	// count: they need no new opinion while the aptitude is not limited.
	IfHeavyOrMedical Condition = "heavy_or_medical"
	// IfHeavyAsked: a heavy category is asked.
	IfHeavyAsked Condition = "heavy_asked"
	// IfFirstCategoryYoung: a first category A1, A2, B1 or B (AM does not
	// count) obtained before RoadSafetyUnderAge (§9, décret 2018-795).
	IfFirstCategoryYoung Condition = "first_category_young"
	// IfSuspensionMedical: a suspension linked to alcohol or drugs, or
	// longer than the register's MedicalAfterSuspensionMonths (§3.7).
	IfSuspensionMedical Condition = "suspension_medical"
	// IfLongSanction: an invalidation, an annulment, or a suspension of at
	// least PsychotechnicSuspensionMonths (§10.1).
	IfLongSanction Condition = "long_sanction"
	// IfForeignLicenceLost: the foreign licence to exchange was lost or
	// stolen (§5: the exchange then costs the duplicate fee).
	IfForeignLicenceLost Condition = "foreign_licence_lost"
	// IfForeignLicenceNotFrench: the foreign licence is not written in French.
	IfForeignLicenceNotFrench Condition = "foreign_licence_not_french"
	// IfNonEUNational: the applicant is not a national of the EU, the EEA
	// or Switzerland.
	IfNonEUNational Condition = "non_eu_national"
	// IfFiledBySchool: a driving school files the request for its student.
	IfFiledBySchool Condition = "filed_by_school"
	// IfHeavyHeld: the licence holds a heavy category (C1…DE). On a
	// duplicate the medical opinion is then optional: without it, the new
	// card keeps the old one's end dates (SP F1727).
	IfHeavyHeld Condition = "heavy_held"
	// IfEUForeignNational: a national of another EU or EEA state, or of
	// Switzerland: proof of normal residence in France (SP F1727).
	IfEUForeignNational Condition = "eu_foreign_national"
	// IfExamCategory: a category other than AM is asked; it is obtained by
	// the exam, proved by the CEPC.
	IfExamCategory Condition = "exam_category"
	// IfAMAsked: category AM (ex-BSR) is asked; it is obtained after a
	// training course, proved by its certificate, not by a CEPC (R211-2).
	IfAMAsked Condition = "am_asked"
	// IfAMBornFrom1988: AM is asked by someone born in RoadSafetyAMBornFrom
	// (1988) or later: the ASSR1, ASSR2 or ASR (§9).
	IfAMBornFrom1988 Condition = "am_born_1988"
)

// conditionLabels are the French reasons shown with a conditional need.
var conditionLabels = map[Condition]string{
	Never:                     "jamais",
	Always:                    "toujours",
	IfHeavy:                   "catégorie poids lourd ou transport en commun (C1 à DE) demandée ou détenue",
	IfHeavyOrMedical:          "catégorie poids lourd ou transport en commun, aptitude médicale à durée limitée ou problème de santé déclaré",
	IfHeavyAsked:              "catégorie poids lourd ou transport en commun demandée",
	IfFirstCategoryYoung:      "première catégorie (A1, A2, B1 ou B) avant 21 ans",
	IfSuspensionMedical:       "suspension de plus d'un mois, ou liée à l'alcool ou aux stupéfiants",
	IfLongSanction:            "invalidation, annulation, ou suspension d'au moins 6 mois",
	IfForeignLicenceLost:      "permis étranger perdu ou volé",
	IfForeignLicenceNotFrench: "permis étranger non rédigé en français",
	IfNonEUNational:           "nationalité d'un pays hors Union européenne, EEE et Suisse",
	IfFiledBySchool:           "demande déposée par une auto-école",
	IfHeavyHeld:               "catégorie poids lourd ou transport en commun (C1 à DE) détenue ; sans cet avis, le nouveau permis garde les mêmes dates de fin de validité",
	IfEUForeignNational:       "nationalité d'un autre pays de l'Union européenne, de l'EEE ou de la Suisse",
	IfExamCategory:            "catégorie obtenue par l'examen (toute catégorie sauf AM)",
	IfAMAsked:                 "catégorie AM (ex-BSR), obtenue après une formation",
	IfAMBornFrom1988:          "catégorie AM demandée par une personne née en 1988 ou après",
}

// Label returns the French reason for the condition. The ages and delays
// are those of DefaultConfig; Requirements states the configured ones.
func (c Condition) Label() string {
	if l, ok := conditionLabels[c]; ok {
		return l
	}
	return string(c)
}

// Valid reports whether c is a known condition.
func (c Condition) Valid() bool { _, ok := conditionLabels[c]; return ok }

// Applicant is what is known of the person a request is for, filled from
// the account and the register (nothing is asked twice) and from the
// request's own answers.
type Applicant struct {
	BirthDate   date.Date
	Filed       date.Date   // the day of filing: ages are counted on it
	Departement string      // of residence: "973" for French Guiana (the stamp is cheaper there)
	Filer       access.Role // who files: access.Citizen (the zero value means citizen) or access.DrivingSchool

	Categories []licence.Category // categories asked (first licence, new category, exchange, conversion, new licence)
	Licence    *licence.Licence   // the licence in the register; nil when there is none

	HealthCondition bool      // declares a condition of the medical list (arrêté of 28 March 2022)
	Sanction        *Sanction // the measure that ended (restitution, new licence after invalidation or annulment)

	NonEUNational          bool // not a national of the EU, the EEA or Switzerland
	EUForeignNational      bool // a national of another EU or EEA state, or of Switzerland (not French)
	ForeignLicenceLost     bool // exchange: the foreign licence was lost or stolen
	ForeignLicenceInFrench bool // exchange: the foreign licence is written in French

	// CertifiedCategories are the categories for which the service holds a
	// valid exam certificate (CEPC) of the applicant: the request finds it
	// by itself, nothing is uploaded (issue 14).
	CertifiedCategories []licence.Category
}

// Sanction is a measure on the driving right that has ended (§3.7).
//
// From and Until are the suspension's first and last days, both included, as
// the person reads them on the decision and types them: a 6-month suspension
// from 1 January is 1 January–30 June. Its length is counted with End, the
// day after the last day: the suspension lasts n months or more when End is
// on or after From plus n months (date.AddMonths). That is the one definition
// every rule on its length uses (LastsAtLeast, LastsMoreThan).
type Sanction struct {
	Measure        licence.RightState // StateSuspendedAdmin, StateSuspendedCourt, StateInvalidated or StateAnnulled
	From, Until    date.Date          // the suspension's first and last days, both included (only Measure matters for the others)
	AlcoholOrDrugs bool               // linked to alcohol or drugs: the medical commission examines (§10.1)
}

func (s *Sanction) suspension() bool {
	return s != nil && (s.Measure == licence.StateSuspendedAdmin || s.Measure == licence.StateSuspendedCourt)
}

// End is the day after the suspension's last day: the first day it no longer
// runs.
func (s *Sanction) End() date.Date { return s.Until.AddDays(1) }

// LastsAtLeast reports whether the suspension lasts n months or more
// ("égale ou supérieure à six mois", R224-21): 1 January–30 June is 6 months.
func (s *Sanction) LastsAtLeast(months int) bool { return !s.End().Before(s.From.AddMonths(months)) }

// LastsMoreThan reports whether the suspension lasts more than n months
// ("plus d'un mois", §3.7): 10 January–9 February is one month, not more;
// 10 January–10 February is.
func (s *Sanction) LastsMoreThan(months int) bool { return s.End().After(s.From.AddMonths(months)) }

// MedicalBody is who gives the medical opinion (§10.1).
type MedicalBody string

// The medical bodies.
const (
	ApprovedDoctor    MedicalBody = "approved_doctor"    // médecin agréé, in private practice (not one's own doctor)
	MedicalCommission MedicalBody = "medical_commission" // commission médicale primaire: alcohol- and drug-related cases
)

// Label returns the French name of the body.
func (b MedicalBody) Label() string {
	switch b {
	case ApprovedDoctor:
		return "un médecin agréé par le préfet (consultation hors commission ; pas votre médecin traitant)"
	case MedicalCommission:
		return "la commission médicale primaire du département"
	}
	return ""
}

// Need is one document an applicant must (or may) provide.
type Need struct {
	Document Document
	Or       Document // accepted instead ("" when none): the sworn statement for the ASSR2
	Optional bool
	Reason   string // French: why it is asked; "" when every applicant of the type gives it
}

// Label returns the French name of the document, with its alternative.
func (n Need) Label() string {
	if n.Or == "" {
		return n.Document.Label()
	}
	return n.Document.Label() + ", ou à défaut : " + n.Or.Label()
}

// Requirements is what one applicant must provide for one request type.
type Requirements struct {
	Kind      Kind
	Documents []Need

	Stamp  bool         // a fiscal stamp of Fee is needed
	FeeKey FeeKey       // "" when no stamp
	Fee    stamp.Amount // 0 when no stamp

	EPhoto bool // an ePhoto code, or the paper photo-signature form (FPS) as a fallback

	RoadSafety    bool        // the ASSR2 or ASR (or the sworn statement) is among Documents
	Medical       bool        // a medical opinion is among Documents
	MedicalBody   MedicalBody // who gives it, when Medical
	Psychotechnic bool        // a psychotechnic test is among Documents

	LossDeclaration       bool // the loss is declared in the request
	LossAttestationMonths int  // how long the attestation de perte lets the holder drive

	// CertificateOnFile: the CEPC is asked and the service holds it for
	// every exam category asked, so it is not among Documents.
	CertificateOnFile bool
}

// Has reports whether the requirements ask for document d (optional or not).
func (r Requirements) Has(d Document) bool {
	return slices.ContainsFunc(r.Documents, func(n Need) bool { return n.Document == d })
}

// Requirements computes what applicant a must provide for a request of type
// t under the configuration cfg. It refuses, with a French message, facts
// that make the request impossible: a filer the type does not allow, a
// missing licence or category, a category the applicant is too young for
// or whose prerequisite is not held, a sanction that does not fit the type.
func (t Type) Requirements(a Applicant, cfg Config) (Requirements, error) {
	if err := t.check(a); err != nil {
		return Requirements{}, err
	}
	r := Requirements{Kind: t.Kind, EPhoto: t.EPhoto.holds(a, cfg), LossDeclaration: t.LossDeclaration}
	for _, rule := range t.Documents {
		if !rule.When.holds(a, cfg) {
			continue
		}
		if rule.Doc == DocExamCertificate && certified(a) {
			r.CertificateOnFile = true
			continue
		}
		n := Need{Document: rule.Doc, Or: rule.Or, Optional: rule.Optional}
		if rule.When != Always {
			n.Reason = rule.When.reason(cfg)
		}
		r.Documents = append(r.Documents, n)
	}
	r.RoadSafety, r.Medical, r.Psychotechnic = r.Has(DocRoadSafety), r.Has(DocMedicalOpinion), r.Has(DocPsychotechnic)
	if r.Medical {
		r.MedicalBody = ApprovedDoctor
		if a.Sanction != nil && a.Sanction.AlcoholOrDrugs {
			r.MedicalBody = MedicalCommission
		}
	}
	if t.Stamp.holds(a, cfg) {
		fee, ok := cfg.Fee(t.Fee, a.Departement)
		if !ok {
			return Requirements{}, apperr.New(apperr.Internal, "Le montant du timbre fiscal de cette démarche n'est pas configuré.")
		}
		r.Stamp, r.FeeKey, r.Fee = true, t.Fee, fee
	}
	if r.LossDeclaration {
		r.LossAttestationMonths = cfg.LossAttestationMonths
	}
	return r, nil
}

// check refuses applicant facts that make a request of type t impossible.
func (t Type) check(a Applicant) error {
	filer := a.Filer
	if filer == "" {
		filer = access.Citizen
	}
	if !t.Filable(filer) {
		return apperr.New(apperr.Forbidden, "Une auto-école ne peut déposer que les demandes de premier permis et d'ajout de catégorie, pour ses élèves.")
	}
	if a.NonEUNational && a.EUForeignNational {
		return apperr.Field("eu_foreign_national", "Indiquez une seule nationalité : d'un autre pays de l'Union européenne, de l'EEE ou de la Suisse, ou d'un pays hors de ceux-ci.")
	}
	if t.NeedsLicence && a.Licence == nil {
		return apperr.Field("licence", "Cette démarche concerne un permis français déjà délivré : indiquez d'abord votre numéro de permis.")
	}
	switch {
	case t.Categories && len(a.Categories) == 0:
		return apperr.Field("categories", "Indiquez la ou les catégories demandées.")
	case !t.Categories && len(a.Categories) > 0:
		return apperr.Field("categories", "Cette démarche ne porte pas sur de nouvelles catégories.")
	}
	for _, c := range a.Categories {
		if !c.Valid() {
			return apperr.Field("categories", "Catégorie inconnue : « "+string(c)+" ».")
		}
	}
	if t.Kind == FirstLicence || t.Kind == NewCategory {
		if err := checkAgesAndPrerequisites(a); err != nil {
			return err
		}
	}
	switch t.Kind {
	case Restitution:
		if !a.Sanction.suspension() || a.Sanction.Until.Before(a.Sanction.From) {
			return apperr.Field("sanction", "Indiquez la suspension qui a pris fin, avec ses dates.")
		}
	case AfterInvalidation:
		if a.Sanction == nil || (a.Sanction.Measure != licence.StateInvalidated && a.Sanction.Measure != licence.StateAnnulled) {
			return apperr.Field("sanction", "Indiquez s'il s'agit d'une invalidation (solde de points nul) ou d'une annulation par un juge.")
		}
	}
	return nil
}

// checkAgesAndPrerequisites refuses a category asked before its minimum age
// or without the category it requires (§2.1).
func checkAgesAndPrerequisites(a Applicant) error {
	for _, c := range a.Categories {
		if !c.OldEnough(a.BirthDate, a.Filed) {
			age := c.MinimumAge(a.Filed)
			return apperr.Field("categories", "La catégorie "+string(c)+" s'obtient à partir de "+strconv.Itoa(age)+
				" ans ; vous aurez cet âge le "+a.BirthDate.AddYears(age).French()+".")
		}
		if pre, ok := c.Prerequisite(); ok && !a.holds(pre) && !slices.Contains(a.Categories, pre) {
			return apperr.Field("categories", "La catégorie "+string(c)+" demande d'avoir déjà la catégorie "+string(pre)+".")
		}
	}
	return nil
}

// holds reports whether the applicant's licence has category c.
func (a Applicant) holds(c licence.Category) bool {
	if a.Licence == nil {
		return false
	}
	_, ok := a.Licence.Entry(c)
	return ok
}

// medicalLimit reports whether the licence has a light category whose
// validity a medical opinion limited (temporary aptitude, §2.2, §10.3).
func (a Applicant) medicalLimit() bool {
	return a.Licence != nil && slices.ContainsFunc(a.Licence.Categories, func(e licence.CategoryEntry) bool {
		return e.MedicalUntil.Valid && !e.Category.Heavy()
	})
}

func (a Applicant) heavyAsked() bool {
	return slices.ContainsFunc(a.Categories, licence.Category.Heavy)
}

func (a Applicant) heavyHeld() bool {
	return a.Licence != nil && slices.ContainsFunc(a.Licence.Categories, func(e licence.CategoryEntry) bool { return e.Category.Heavy() })
}

// firstCategoryYoung: a first category of A1, A2, B1 or B asked before the
// age limit, the applicant holding no category but AM (§9).
func (a Applicant) firstCategoryYoung(cfg Config) bool {
	if date.YearsBetween(a.BirthDate, a.Filed) >= cfg.RoadSafetyUnderAge {
		return false
	}
	first := slices.ContainsFunc(a.Categories, func(c licence.Category) bool {
		return c == licence.CategoryA1 || c == licence.CategoryA2 || c == licence.CategoryB1 || c == licence.CategoryB
	})
	if !first || a.Licence == nil {
		return first
	}
	return !slices.ContainsFunc(a.Licence.Categories, func(e licence.CategoryEntry) bool { return e.Category != licence.CategoryAM })
}

// holds evaluates the condition on the applicant.
func (c Condition) holds(a Applicant, cfg Config) bool {
	switch c {
	case Always:
		return true
	case IfHeavy:
		return a.heavyAsked() || a.heavyHeld()
	case IfHeavyOrMedical:
		return a.heavyAsked() || a.heavyHeld() || a.medicalLimit() || a.HealthCondition
	case IfHeavyAsked:
		return a.heavyAsked() || a.heavyHeld()
	case IfFirstCategoryYoung:
		return a.firstCategoryYoung(cfg)
	case IfSuspensionMedical:
		s := a.Sanction
		return s.suspension() && (s.AlcoholOrDrugs || s.LastsMoreThan(cfg.Rights.MedicalAfterSuspensionMonths))
	case IfLongSanction:
		s := a.Sanction
		if s == nil {
			return false
		}
		if s.Measure == licence.StateInvalidated || s.Measure == licence.StateAnnulled {
			return true
		}
		return s.suspension() && s.LastsAtLeast(cfg.PsychotechnicSuspensionMonths)
	case IfForeignLicenceLost:
		return a.ForeignLicenceLost
	case IfForeignLicenceNotFrench:
		return !a.ForeignLicenceInFrench
	case IfNonEUNational:
		return a.NonEUNational
	case IfFiledBySchool:
		return a.Filer == access.DrivingSchool
	case IfHeavyHeld:
		return a.heavyHeld()
	case IfEUForeignNational:
		return a.EUForeignNational
	case IfExamCategory:
		return slices.ContainsFunc(a.Categories, func(c licence.Category) bool { return c != licence.CategoryAM })
	case IfAMAsked:
		return slices.Contains(a.Categories, licence.CategoryAM)
	case IfAMBornFrom1988:
		return slices.Contains(a.Categories, licence.CategoryAM) && a.BirthDate.Year() >= cfg.RoadSafetyAMBornFrom
	}
	return false // Never, and any unknown condition
}

// reason returns the condition's label with the configured figures.
func (c Condition) reason(cfg Config) string {
	l := c.Label()
	switch c {
	case IfFirstCategoryYoung:
		l = strings.Replace(l, "21 ans", strconv.Itoa(cfg.RoadSafetyUnderAge)+" ans", 1)
	case IfSuspensionMedical:
		l = strings.Replace(l, "plus d'un mois", "plus "+ofMonths(cfg.Rights.MedicalAfterSuspensionMonths), 1)
	case IfLongSanction:
		l = strings.Replace(l, "6 mois", strconv.Itoa(cfg.PsychotechnicSuspensionMonths)+" mois", 1)
	case IfAMBornFrom1988:
		l = strings.Replace(l, "1988", strconv.Itoa(cfg.RoadSafetyAMBornFrom), 1)
	}
	return l
}

// ofMonths writes "d'un mois", "de 3 mois", as in "plus d'un mois".
func ofMonths(n int) string {
	if n == 1 {
		return "d'un mois"
	}
	return "de " + strconv.Itoa(n) + " mois"
}

// certified reports whether the service holds a valid CEPC for every exam
// category (all but AM) the applicant asks.
func certified(a Applicant) bool {
	n := 0
	for _, c := range a.Categories {
		if c == licence.CategoryAM {
			continue
		}
		if !slices.Contains(a.CertifiedCategories, c) {
			return false
		}
		n++
	}
	return n > 0
}
