package requests

import (
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/stamp"
)

// filed is the filing day of the tests (B is obtainable at 17 since 2024).
var filed = date.MustParse("2026-03-14")

// aged returns an applicant who is exactly age years old on filed (their
// birthday), living in Hérault (34).
func aged(age int) Applicant {
	return Applicant{BirthDate: filed.AddYears(-age), Filed: filed, Departement: "34"}
}

// holding returns a licence with the categories, obtained long ago; a
// category written "B+" has a time-limited medical aptitude.
func holding(cats ...string) *licence.Licence {
	l := &licence.Licence{NEPH: "120334100001", State: licence.StateValid}
	for _, c := range cats {
		e := licence.CategoryEntry{Category: licence.Category(strings.TrimSuffix(c, "+")), Obtained: date.MustParse("2010-06-01")}
		if strings.HasSuffix(c, "+") {
			e.MedicalUntil = date.Some(date.MustParse("2027-01-01"))
		}
		l.Categories = append(l.Categories, e)
	}
	return l
}

// with returns a with some fields changed.
func with(a Applicant, edit func(*Applicant)) Applicant { edit(&a); return a }

func asking(a Applicant, cats ...licence.Category) Applicant {
	a.Categories = cats
	return a
}

func suspended(from, until string, alcohol bool) *Sanction {
	return &Sanction{Measure: licence.StateSuspendedAdmin, From: date.MustParse(from), Until: date.MustParse(until), AlcoholOrDrugs: alcohol}
}

// docs writes the documents as their codes: "x?" optional, "x|y" y accepted instead.
func docs(r Requirements) string {
	var parts []string
	for _, n := range r.Documents {
		s := string(n.Document)
		if n.Or != "" {
			s += "|" + string(n.Or)
		}
		if n.Optional {
			s += "?"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

const (
	B  = licence.CategoryB
	A  = licence.CategoryA
	A1 = licence.CategoryA1
	A2 = licence.CategoryA2
	BE = licence.CategoryBE
	C  = licence.CategoryC
	D  = licence.CategoryD
)

func TestRequirements(t *testing.T) {
	cfg := DefaultConfig()
	young := with(aged(17), func(a *Applicant) { a.BirthDate = filed.AddYears(-21).AddDays(1) }) // 20 years and 364 days
	tests := []struct {
		law       string
		kind      Kind
		a         Applicant
		docs      string
		fee       stamp.Amount // 0: no stamp
		noEPhoto  bool
		body      MedicalBody
		lossMonth int
	}{
		// First licence (§5, §9): the ASSR2 only for a first category before 21, the sworn statement as fallback.
		{law: "first licence at 17: ASSR2 or ASR, or the sworn statement", kind: FirstLicence, a: asking(aged(17), B),
			docs: "identity address_proof exam_certificate road_safety_certificate|sworn_statement"},
		{law: "first licence the day before 21: still the ASSR2", kind: FirstLicence, a: asking(young, B),
			docs: "identity address_proof exam_certificate road_safety_certificate|sworn_statement"},
		{law: "first licence on the 21st birthday: no ASSR2", kind: FirstLicence, a: asking(aged(21), B),
			docs: "identity address_proof exam_certificate"},
		{law: "AM does not count as a first category: A2 at 18 with AM asks the ASSR2", kind: FirstLicence,
			a:    with(asking(aged(18), A2), func(a *Applicant) { a.Licence = holding("AM") }),
			docs: "identity address_proof exam_certificate road_safety_certificate|sworn_statement"},
		{law: "a driving school files under the student's mandate", kind: FirstLicence,
			a:    with(asking(aged(17), B), func(a *Applicant) { a.Filer = access.DrivingSchool }),
			docs: "identity address_proof exam_certificate road_safety_certificate|sworn_statement mandate"},
		{law: "a declared health condition asks a medical opinion from an approved doctor", kind: FirstLicence,
			a:    with(asking(aged(25), B), func(a *Applicant) { a.HealthCondition = true }),
			docs: "identity address_proof exam_certificate medical_opinion", body: ApprovedDoctor},

		// New category: the CEPC or a training certificate; no ASSR2 once a category is held.
		{law: "B at 19 after A1: not a first category, no ASSR2", kind: NewCategory,
			a:    with(asking(aged(19), B), func(a *Applicant) { a.Licence = holding("A1") }),
			docs: "identity address_proof current_licence exam_certificate|training_certificate"},
		{law: "A after A2: the training certificate replaces the CEPC", kind: NewCategory,
			a:    with(asking(aged(22), A), func(a *Applicant) { a.Licence = holding("A2", "B") }),
			docs: "identity address_proof current_licence exam_certificate|training_certificate"},
		{law: "C asks a medical opinion (heavy category)", kind: NewCategory,
			a:    with(asking(aged(30), C), func(a *Applicant) { a.Licence = holding("B") }),
			docs: "identity address_proof current_licence exam_certificate|training_certificate medical_opinion", body: ApprovedDoctor},
		{law: "BE asked together with B needs no B already held", kind: NewCategory,
			a:    with(asking(aged(20), B, BE), func(a *Applicant) { a.Licence = holding("AM") }),
			docs: "identity address_proof current_licence exam_certificate|training_certificate road_safety_certificate|sworn_statement"},

		// Loss, theft, damage: the €25 stamp (€12.50 in French Guiana); the loss is declared in the request.
		{law: "loss: €25, loss declared (date and place, no copy of the lost card), attestation for 2 months", kind: Loss,
			a:    with(aged(40), func(a *Applicant) { a.Licence = holding("B") }),
			docs: "identity address_proof", fee: 2500, lossMonth: 2},
		{law: "loss in French Guiana: €12.50", kind: Loss,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Departement = holding("B"), "973" }),
			docs: "identity address_proof", fee: 1250, lossMonth: 2},
		// SP F1727: with C or D held, the medical opinion is optional; without it the duplicate keeps the same end dates.
		{law: "loss of a licence with C: medical opinion optional (SP F1727)", kind: Loss,
			a:    with(aged(40), func(a *Applicant) { a.Licence = holding("B", "C") }),
			docs: "identity address_proof medical_opinion?", fee: 2500, body: ApprovedDoctor, lossMonth: 2},
		{law: "theft of a licence with D: medical opinion optional (SP F1727)", kind: Theft,
			a:    with(aged(40), func(a *Applicant) { a.Licence = holding("B", "D") }),
			docs: "identity address_proof theft_receipt current_licence? medical_opinion?", fee: 2500, body: ApprovedDoctor},
		{law: "damaged licence with C: medical opinion optional (SP F1727)", kind: Damage,
			a:    with(aged(40), func(a *Applicant) { a.Licence = holding("B", "C") }),
			docs: "identity address_proof current_licence medical_opinion?", fee: 2500, body: ApprovedDoctor},

		// SP F1727: a foreign national proves a normal residence in France (EU/EEA/Swiss) or holds a residence permit.
		{law: "loss by a national of another EU state: proof of normal residence (SP F1727)", kind: Loss,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.EUForeignNational = holding("B"), true }),
			docs: "identity address_proof normal_residence_proof", fee: 2500, lossMonth: 2},
		{law: "theft by a non-EU national: residence permit (SP F1727)", kind: Theft,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.NonEUNational = holding("B"), true }),
			docs: "identity address_proof theft_receipt current_licence? residence_permit", fee: 2500},
		{law: "damage by a non-EU national: residence permit (SP F1727)", kind: Damage,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.NonEUNational = holding("B"), true }),
			docs: "identity address_proof current_licence residence_permit", fee: 2500},
		{law: "first licence of a non-EU national: residence permit (SP F1727)", kind: FirstLicence,
			a:    with(asking(aged(30), B), func(a *Applicant) { a.NonEUNational = true }),
			docs: "identity address_proof residence_permit exam_certificate"},
		{law: "first licence of a national of another EU state: proof of normal residence (SP F1727)", kind: FirstLicence,
			a:    with(asking(aged(30), B), func(a *Applicant) { a.EUForeignNational = true }),
			docs: "identity address_proof normal_residence_proof exam_certificate"},

		// AM (ex-BSR): a training course, not an exam; ASSR1, ASSR2 or ASR when born in 1988 or later (§2.1, §9).
		{law: "AM at 14: the training certificate, not a CEPC, and the ASSR1, ASSR2 or ASR", kind: FirstLicence,
			a:    asking(aged(14), licence.CategoryAM),
			docs: "identity address_proof am_training_certificate road_safety_am"},
		{law: "AM for someone born in 1987: the training certificate only", kind: FirstLicence,
			a:    with(asking(aged(39), licence.CategoryAM), func(a *Applicant) { a.BirthDate = date.MustParse("1987-12-31") }),
			docs: "identity address_proof am_training_certificate"},
		{law: "AM for someone born on 1 January 1988: the ASSR1, ASSR2 or ASR", kind: FirstLicence,
			a:    with(asking(aged(38), licence.CategoryAM), func(a *Applicant) { a.BirthDate = date.MustParse("1988-01-01") }),
			docs: "identity address_proof am_training_certificate road_safety_am"},
		{law: "loss of a light licence with a limited aptitude: a duplicate with the same end dates, no opinion", kind: Loss,
			a:    with(aged(70), func(a *Applicant) { a.Licence = holding("B+") }),
			docs: "identity address_proof", fee: 2500, lossMonth: 2},
		{law: "theft: the police receipt, €25, no loss declaration", kind: Theft,
			a:    with(aged(40), func(a *Applicant) { a.Licence = holding("B") }),
			docs: "identity address_proof theft_receipt current_licence?", fee: 2500},
		{law: "damage in French Guiana: €12.50", kind: Damage,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Departement = holding("B"), "973" }),
			docs: "identity address_proof current_licence", fee: 1250},

		// Renewals: free; a medical opinion for heavy categories or a limited aptitude.
		{law: "renewal of a B card: free, no medical", kind: Renewal,
			a:    with(aged(45), func(a *Applicant) { a.Licence = holding("B") }),
			docs: "identity address_proof current_licence"},
		{law: "renewal with D: medical opinion", kind: Renewal,
			a:    with(aged(45), func(a *Applicant) { a.Licence = holding("B", "D") }),
			docs: "identity address_proof current_licence medical_opinion", body: ApprovedDoctor},
		{law: "renewal of a B with a limited aptitude: medical opinion", kind: Renewal,
			a:    with(aged(80), func(a *Applicant) { a.Licence = holding("B+") }),
			docs: "identity address_proof current_licence medical_opinion", body: ApprovedDoctor},
		{law: "renewal after a medical check: always the opinion", kind: MedicalRenewal,
			a:    with(aged(62), func(a *Applicant) { a.Licence = holding("B", "C") }),
			docs: "identity address_proof current_licence medical_opinion", body: ApprovedDoctor},

		// Civil status: free, proof of the change, no medical even for C.
		{law: "change of name: the proof, free, no medical", kind: CivilStatus,
			a:    with(aged(40), func(a *Applicant) { a.Licence = holding("B", "C") }),
			docs: "identity civil_status_proof current_licence"},

		// Restitution (§3.7, §10.1): medical after more than a month or alcohol/drugs; psychotechnic from 6 months.
		// The dates are the first and last days, both included (Sanction).
		{law: "restitution after a one-month suspension (10 January–9 February): no medical check", kind: Restitution,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2026-01-10", "2026-02-09", false) }),
			docs: "identity suspension_decision"},
		{law: "one day more than a month (10 January–10 February): medical opinion by an approved doctor", kind: Restitution,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2026-01-10", "2026-02-10", false) }),
			docs: "identity suspension_decision medical_opinion", body: ApprovedDoctor},
		{law: "R224-21: 6 months entered 1 January–30 June is 'égale à six mois': psychotechnic test", kind: Restitution,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2025-01-01", "2025-06-30", false) }),
			docs: "identity suspension_decision medical_opinion psychotechnic_test", body: ApprovedDoctor},
		{law: "R224-21: one day short of 6 months (1 January–29 June): no psychotechnic test", kind: Restitution,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2025-01-01", "2025-06-29", false) }),
			docs: "identity suspension_decision medical_opinion", body: ApprovedDoctor},
		{law: "R224-21: 6 months from 31 August end with the last day before 28 February", kind: Restitution,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2025-08-31", "2026-02-27", false) }),
			docs: "identity suspension_decision medical_opinion psychotechnic_test", body: ApprovedDoctor},
		{law: "fifteen days for alcohol: the medical commission", kind: Restitution,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2026-01-10", "2026-01-25", true) }),
			docs: "identity suspension_decision medical_opinion", body: MedicalCommission},
		{law: "six months: medical opinion and psychotechnic test", kind: Restitution,
			a:    with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2025-09-01", "2026-03-01", false) }),
			docs: "identity suspension_decision medical_opinion psychotechnic_test", body: ApprovedDoctor},
		{law: "a judicial suspension counts the same", kind: Restitution,
			a: with(aged(40), func(a *Applicant) {
				a.Licence = holding("B")
				a.Sanction = &Sanction{Measure: licence.StateSuspendedCourt, From: date.MustParse("2025-09-01"), Until: date.MustParse("2026-03-01")}
			}),
			docs: "identity suspension_decision medical_opinion psychotechnic_test", body: ApprovedDoctor},

		// New licence after invalidation or annulment: medical and psychotechnic, always.
		{law: "after invalidation: medical opinion and psychotechnic test, approved doctor", kind: AfterInvalidation,
			a: with(asking(aged(30), B), func(a *Applicant) {
				a.Licence, a.Sanction = holding(), &Sanction{Measure: licence.StateInvalidated}
			}),
			docs: "identity address_proof invalidation_decision exam_certificate medical_opinion psychotechnic_test", body: ApprovedDoctor},
		{law: "annulment for alcohol: the medical commission", kind: AfterInvalidation,
			a: with(asking(aged(30), B), func(a *Applicant) {
				a.Licence, a.Sanction = holding(), &Sanction{Measure: licence.StateAnnulled, AlcoholOrDrugs: true}
			}),
			docs: "identity address_proof invalidation_decision exam_certificate medical_opinion psychotechnic_test", body: MedicalCommission},

		// Exchanges: free unless the foreign licence was lost or stolen.
		{law: "EU exchange: the licence and an address", kind: ExchangeEU, a: asking(aged(35), B),
			docs: "identity address_proof foreign_licence"},
		{law: "non-EU exchange by a foreign national: translation, residence permit, rights certificate, residence abroad", kind: ExchangeNonEU,
			a:    with(asking(aged(35), B), func(a *Applicant) { a.NonEUNational = true }),
			docs: "identity address_proof foreign_licence official_translation residence_permit driving_rights_certificate residence_abroad_proof"},
		{law: "a French national with a licence written in French: neither translation nor residence permit", kind: ExchangeNonEU,
			a:    with(asking(aged(35), B), func(a *Applicant) { a.ForeignLicenceInFrench = true }),
			docs: "identity address_proof foreign_licence driving_rights_certificate residence_abroad_proof"},
		{law: "non-EU exchange of a lost licence: €25", kind: ExchangeNonEU,
			a:    with(asking(aged(35), B), func(a *Applicant) { a.ForeignLicenceLost, a.ForeignLicenceInFrench = true, true }),
			docs: "identity address_proof foreign_licence driving_rights_certificate residence_abroad_proof", fee: 2500},
		{law: "exchange of a C: medical opinion", kind: ExchangeEU, a: asking(aged(35), B, C),
			docs: "identity address_proof foreign_licence medical_opinion", body: ApprovedDoctor},

		// International permit: photos and an envelope by post, no ePhoto.
		{law: "international permit: photos and envelope by post, no ePhoto", kind: InternationalPermit,
			a:    with(aged(30), func(a *Applicant) { a.Licence = holding("B") }),
			docs: "identity address_proof current_licence photos prepaid_envelope", noEPhoto: true},

		// Military conversion: for C/D the medical opinion and the professional training.
		{law: "military B: the conversion slip", kind: MilitaryConversion, a: asking(aged(23), B),
			docs: "identity address_proof military_conversion_slip"},
		{law: "military C: medical opinion and professional training", kind: MilitaryConversion, a: asking(aged(23), B, C),
			docs: "identity address_proof military_conversion_slip medical_opinion professional_training", body: ApprovedDoctor},
	}
	for _, tt := range tests {
		typ, err := Lookup(string(tt.kind))
		if err != nil {
			t.Fatal(err)
		}
		r, err := typ.Requirements(tt.a, cfg)
		if err != nil {
			t.Errorf("%s: %v", tt.law, err)
			continue
		}
		if got := docs(r); got != tt.docs {
			t.Errorf("%s: documents\n got  %s\n want %s", tt.law, got, tt.docs)
		}
		if r.Stamp != (tt.fee != 0) || r.Fee != tt.fee || (r.Stamp && r.FeeKey != FeeDuplicate) {
			t.Errorf("%s: stamp %v %s (%s), want %s", tt.law, r.Stamp, r.Fee, r.FeeKey, tt.fee)
		}
		if r.EPhoto == tt.noEPhoto {
			t.Errorf("%s: ePhoto %v", tt.law, r.EPhoto)
		}
		if r.Medical != (tt.body != "") || r.MedicalBody != tt.body {
			t.Errorf("%s: medical %v by %q, want %q", tt.law, r.Medical, r.MedicalBody, tt.body)
		}
		if r.LossDeclaration != (tt.lossMonth != 0) || r.LossAttestationMonths != tt.lossMonth {
			t.Errorf("%s: loss declaration %v for %d months", tt.law, r.LossDeclaration, r.LossAttestationMonths)
		}
		if r.RoadSafety != r.Has(DocRoadSafety) || r.Psychotechnic != r.Has(DocPsychotechnic) || r.Kind != tt.kind {
			t.Errorf("%s: summary flags disagree with the documents: %+v", tt.law, r)
		}
	}
}

func TestRequirementsRefused(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		law   string
		kind  Kind
		a     Applicant
		code  apperr.Code
		field string
		msg   string
	}{
		{"a driving school cannot file a loss", Loss,
			with(aged(40), func(a *Applicant) { a.Licence, a.Filer = holding("B"), access.DrivingSchool }), apperr.Forbidden, "",
			"Une auto-école ne peut déposer que les demandes de premier permis et d'ajout de catégorie, pour ses élèves."},
		{"an agent does not file for a citizen", FirstLicence,
			with(asking(aged(17), B), func(a *Applicant) { a.Filer = access.Agent }), apperr.Forbidden, "", ""},
		{"a loss needs a licence in the register", Loss, aged(40), apperr.Invalid, "licence",
			"Cette démarche concerne un permis français déjà délivré : indiquez d'abord votre numéro de permis."},
		{"a first licence names its category", FirstLicence, aged(17), apperr.Invalid, "categories", "Indiquez la ou les catégories demandées."},
		{"a loss asks no category", Loss, with(asking(aged(40), C), func(a *Applicant) { a.Licence = holding("B") }),
			apperr.Invalid, "categories", "Cette démarche ne porte pas sur de nouvelles catégories."},
		{"an unknown category", FirstLicence, asking(aged(17), "Z"), apperr.Invalid, "categories", "Catégorie inconnue : « Z »."},
		{"B at 16 is too young since 2024 (17)", FirstLicence, asking(with(aged(16), func(a *Applicant) { a.BirthDate = date.MustParse("2009-07-01") }), B),
			apperr.Invalid, "categories", "La catégorie B s'obtient à partir de 17 ans ; vous aurez cet âge le 01/07/2026."},
		{"A at 19 is too young (20)", NewCategory, with(asking(aged(19), A), func(a *Applicant) { a.Licence = holding("A2") }),
			apperr.Invalid, "categories", "La catégorie A s'obtient à partir de 20 ans ; vous aurez cet âge le 14/03/2027."},
		{"BE without B", NewCategory, with(asking(aged(30), BE), func(a *Applicant) { a.Licence = holding("A2") }),
			apperr.Invalid, "categories", "La catégorie BE demande d'avoir déjà la catégorie B."},
		{"D without B", NewCategory, with(asking(aged(30), D), func(a *Applicant) { a.Licence = holding("A2") }),
			apperr.Invalid, "categories", "La catégorie D demande d'avoir déjà la catégorie B."},
		{"restitution names the suspension", Restitution, with(aged(40), func(a *Applicant) { a.Licence = holding("B") }),
			apperr.Invalid, "sanction", "Indiquez la suspension qui a pris fin, avec ses dates."},
		{"restitution is not for an invalidation", Restitution,
			with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), &Sanction{Measure: licence.StateInvalidated} }),
			apperr.Invalid, "sanction", "Indiquez la suspension qui a pris fin, avec ses dates."},
		{"a suspension ending before it starts", Restitution,
			with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2026-02-10", "2026-01-10", false) }),
			apperr.Invalid, "sanction", "Indiquez la suspension qui a pris fin, avec ses dates."},
		{"a new licence after a mere suspension", AfterInvalidation,
			with(asking(aged(40), B), func(a *Applicant) { a.Licence, a.Sanction = holding(), suspended("2025-01-01", "2025-06-01", false) }),
			apperr.Invalid, "sanction", "Indiquez s'il s'agit d'une invalidation (solde de points nul) ou d'une annulation par un juge."},
	}
	for _, tt := range tests {
		typ, _ := Lookup(string(tt.kind))
		_, err := typ.Requirements(tt.a, cfg)
		ae := apperr.As(err)
		if err == nil || ae.Code != tt.code {
			t.Errorf("%s: %v, want %s", tt.law, err, tt.code)
			continue
		}
		got := ae.Message
		if tt.field != "" {
			got = ae.Fields[tt.field]
		}
		if tt.msg != "" && got != tt.msg {
			t.Errorf("%s: %q\nwant %q", tt.law, got, tt.msg)
		}
	}
}

func TestRequirementsFollowConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Fees = []Rate{{Key: FeeDuplicate, Amount: 3000}}
	cfg.RoadSafetyUnderAge = 25
	cfg.LossAttestationMonths = 3
	cfg.PsychotechnicSuspensionMonths = 3
	cfg.Rights.MedicalAfterSuspensionMonths = 2
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	loss, _ := Lookup("loss")
	r, err := loss.Requirements(with(aged(40), func(a *Applicant) { a.Licence, a.Departement = holding("B"), "973" }), cfg)
	if err != nil || r.Fee != 3000 || r.LossAttestationMonths != 3 {
		t.Errorf("loss with a new general rate and no Guiana rate: %s, %d months, %v", r.Fee, r.LossAttestationMonths, err)
	}
	first, _ := Lookup("first_licence")
	r, _ = first.Requirements(asking(aged(22), B), cfg)
	if n := r.Documents[len(r.Documents)-1]; !r.RoadSafety || n.Reason != "première catégorie (A1, A2, B1 ou B) avant 25 ans" {
		t.Errorf("ASSR2 limit moved to 25: %v, %+v", r.RoadSafety, r.Documents)
	}
	restitution, _ := Lookup("restitution")
	a := with(aged(40), func(a *Applicant) { a.Licence, a.Sanction = holding("B"), suspended("2026-01-01", "2026-02-15", false) })
	r, _ = restitution.Requirements(a, cfg)
	if r.Medical {
		t.Errorf("a month and a half with a 2-month rule asked a medical opinion: %s", docs(r))
	}
	a.Sanction = suspended("2025-12-01", "2026-03-01", false)
	r, _ = restitution.Requirements(a, cfg)
	if docs(r) != "identity suspension_decision medical_opinion psychotechnic_test" ||
		r.Documents[2].Reason != "suspension de plus de 2 mois, ou liée à l'alcool ou aux stupéfiants" ||
		r.Documents[3].Reason != "invalidation, annulation, ou suspension d'au moins 3 mois" {
		t.Errorf("three months with the configured rules: %s %+v", docs(r), r.Documents)
	}

	cfg.Fees = nil
	if cfg.Validate() == nil {
		t.Error("a configuration without the duplicate fee was accepted")
	}
	if _, err := loss.Requirements(with(aged(40), func(a *Applicant) { a.Licence = holding("B") }), cfg); !apperr.Is(err, apperr.Internal) {
		t.Errorf("loss without a configured fee: %v", err)
	}
}

func TestReasons(t *testing.T) {
	first, _ := Lookup("first_licence")
	r, _ := first.Requirements(with(asking(aged(17), B), func(a *Applicant) { a.Filer = access.DrivingSchool }), DefaultConfig())
	want := map[Document]string{
		DocIdentity:   "",
		DocRoadSafety: "première catégorie (A1, A2, B1 ou B) avant 21 ans",
		DocMandate:    "demande déposée par une auto-école",
	}
	for _, n := range r.Documents {
		if w, ok := want[n.Document]; ok && n.Reason != w {
			t.Errorf("%s: reason %q, want %q", n.Document, n.Reason, w)
		}
	}
	if n := r.Documents[3]; n.Label() != DocRoadSafety.Label()+", ou à défaut : "+DocSwornStatement.Label() {
		t.Errorf("label with alternative: %q", n.Label())
	}
	restitution, _ := Lookup("restitution")
	r, _ = restitution.Requirements(with(aged(40), func(a *Applicant) {
		a.Licence, a.Sanction = holding("B"), suspended("2026-01-10", "2026-03-10", false)
	}), DefaultConfig())
	if r.Documents[2].Reason != "suspension de plus d'un mois, ou liée à l'alcool ou aux stupéfiants" {
		t.Errorf("default one-month reason: %q", r.Documents[2].Reason)
	}
	if MedicalCommission.Label() == "" || ApprovedDoctor.Label() == "" {
		t.Error("medical bodies need a label")
	}
}

func TestLossAttestation(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		issued, until string
	}{
		{"2026-03-14", "2026-05-14"},
		{"2025-12-31", "2026-02-28"}, // a shorter month ends the delay on its last day
	}
	for _, tt := range tests {
		a := cfg.LossAttestation(date.MustParse(tt.issued))
		if a.ValidUntil.String() != tt.until {
			t.Errorf("issued %s: valid until %s, want %s", tt.issued, a.ValidUntil, tt.until)
		}
		for d, want := range map[date.Date]bool{
			a.Issued: true, a.ValidUntil: true, a.ValidUntil.AddDays(1): false, a.Issued.AddDays(-1): false,
		} {
			if a.ValidOn(d) != want {
				t.Errorf("issued %s: ValidOn(%s) = %v", tt.issued, d, !want)
			}
		}
	}
	if got := cfg.HeldUntil(date.MustParse("2026-03-14")); got.String() != "2026-03-29" {
		t.Errorf("held 15 days: until %s", got)
	}
}

func TestFee(t *testing.T) {
	cfg := DefaultConfig()
	for dep, want := range map[string]stamp.Amount{"973": 1250, "972": 2500, "75": 2500, "": 2500, "2A": 2500} {
		if got, ok := cfg.Fee(FeeDuplicate, dep); !ok || got != want {
			t.Errorf("duplicate in %q: %s, want %s", dep, got, want)
		}
	}
	if _, ok := cfg.Fee("unknown", "75"); ok {
		t.Error("an unknown fee has an amount")
	}
	bad := DefaultConfig()
	bad.Fees = append(bad.Fees, Rate{Key: FeeDuplicate, Departement: "974", Amount: 0})
	if bad.Validate() == nil {
		t.Error("a zero amount was accepted")
	}
	bad = DefaultConfig()
	bad.PostOfficeHoldDays = 0
	if bad.Validate() == nil {
		t.Error("zero days at the post office was accepted")
	}
	bad = DefaultConfig()
	bad.Rights = licence.RightRules{}
	if bad.Validate() == nil {
		t.Error("empty right rules were accepted")
	}
}

// Sanction dates are first and last days, both included; every rule on the
// length of a suspension counts from them the same way (R224-21 "égale ou
// supérieure à six mois"; §3.7 "plus d'un mois").
func TestSanctionLength(t *testing.T) {
	for _, tt := range []struct {
		from, until     string
		atLeast6, over1 bool
	}{
		{"2026-01-01", "2026-06-30", true, true},   // exactly 6 months
		{"2026-01-01", "2026-06-29", false, true},  // a day short
		{"2026-01-01", "2026-07-01", true, true},   // a day more
		{"2026-01-10", "2026-02-09", false, false}, // exactly one month: not more than one
		{"2026-01-10", "2026-02-10", false, true},  // a day more than one month
		{"2026-03-14", "2026-09-13", true, true},   // the portal's example
		{"2026-05-01", "2026-05-01", false, false}, // one day
	} {
		s := suspended(tt.from, tt.until, false)
		if got := s.LastsAtLeast(6); got != tt.atLeast6 {
			t.Errorf("%s–%s lasts at least 6 months = %v, want %v", tt.from, tt.until, got, tt.atLeast6)
		}
		if got := s.LastsMoreThan(1); got != tt.over1 {
			t.Errorf("%s–%s lasts more than a month = %v, want %v", tt.from, tt.until, got, tt.over1)
		}
	}
}

// Nationality is one answer: another EU/EEA/Swiss state, or outside them.
func TestNationalityIsOneAnswer(t *testing.T) {
	loss, _ := Lookup(string(Loss))
	a := with(aged(40), func(a *Applicant) { a.Licence, a.NonEUNational, a.EUForeignNational = holding("B"), true, true })
	_, err := loss.Requirements(a, DefaultConfig())
	if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || !strings.Contains(e.Fields["eu_foreign_national"], "une seule nationalité") {
		t.Fatalf("both nationalities: err = %v, want an invalid error asking for one", err)
	}
}
