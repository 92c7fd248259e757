package exam

import (
	"slices"
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/requests"
)

var today = date.MustParse("2026-12-06")

func docs(r Registration) []requests.Document {
	var out []requests.Document
	for _, n := range r.Needs {
		out = append(out, n.Doc)
	}
	return out
}

func codes(rs []Refusal) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

const (
	id      = requests.DocIdentity
	addr    = requests.DocAddress
	jdc     = requests.DocJDC
	assr    = requests.DocRoadSafety
	consent = requests.DocParentalConsent
	medical = requests.DocMedicalOpinion
	mandate = requests.DocMandate
)

func TestRegister(t *testing.T) {
	b := licence.CategoryB
	for _, tc := range []struct {
		law     string
		name    string
		a       Applicant
		refused []string
		needs   []requests.Document
	}{
		{"SP F2825; C. service national L114-6; R221-5 (décret 2018-795)", "candidat libre, 19, French: JDC and ASSR2",
			Applicant{Born: date.MustParse("2007-05-01"), French: true, Category: b, Filer: ByCandidate},
			nil, []requests.Document{id, addr, jdc, assr}},
		{"SP F2825", "16 years old with a school: consent of the legal representative, mandate, no JDC yet",
			Applicant{Born: date.MustParse("2010-06-01"), French: true, Category: b, Filer: BySchool},
			nil, []requests.Document{id, addr, mandate, consent, assr}},
		{"SP F2825", "15 years old without AAC: too young for B",
			Applicant{Born: date.MustParse("2011-01-01"), French: true, Category: b, Filer: ByCandidate},
			[]string{RefuseTooYoung}, []requests.Document{id, addr, consent, assr}},
		{"arrêté du 22 décembre 2009 titre I (AAC from 15)", "15 years old in AAC: registered",
			Applicant{Born: date.MustParse("2011-01-01"), French: true, Category: b, AAC: true, Filer: BySchool},
			nil, []requests.Document{id, addr, mandate, consent, assr}},
		{"C. service national L114-6 (AAC 15–17 exempt)", "17 years old in AAC: no JDC",
			Applicant{Born: date.MustParse("2009-03-01"), French: true, Category: b, AAC: true, Filer: BySchool},
			nil, []requests.Document{id, addr, mandate, consent, assr}},
		{"C. service national L114-6", "17 years old, not AAC: JDC",
			Applicant{Born: date.MustParse("2009-03-01"), French: true, Category: b, Filer: BySchool},
			nil, []requests.Document{id, addr, mandate, consent, jdc, assr}},
		{"C. service national L114-6 (French nationals only)", "20, not French: no JDC, ASSR2 still",
			Applicant{Born: date.MustParse("2006-03-01"), Category: b, Filer: ByCandidate},
			nil, []requests.Document{id, addr, assr}},
		{"C. service national L114-6 (before 25)", "25 today: no JDC; R221-5: no ASSR2 at 21 or more",
			Applicant{Born: date.MustParse("2001-12-06"), French: true, Category: b, Filer: ByCandidate},
			nil, []requests.Document{id, addr}},
		{"R221-5 (décret 2018-795: first category only)", "B at 19 holding A1: no ASSR2, no JDC (not a first registration)",
			Applicant{Born: date.MustParse("2007-05-01"), French: true, Category: b, Held: []licence.Category{licence.CategoryA1}, Filer: ByCandidate},
			nil, []requests.Document{id, addr}},
		{"R221-5; REFERENCE §9 (AM does not count)", "B at 19 holding only AM: ASSR2 and JDC",
			Applicant{Born: date.MustParse("2007-05-01"), French: true, Category: b, Held: []licence.Category{licence.CategoryAM}, Filer: ByCandidate},
			nil, []requests.Document{id, addr, jdc, assr}},
		{"R221-10; arrêté du 28 mars 2022", "C1 at 30 holding B: medical opinion",
			Applicant{Born: date.MustParse("1996-01-01"), French: true, Category: licence.CategoryC1, Held: []licence.Category{b}, Filer: BySchool},
			nil, []requests.Document{id, addr, mandate, medical}},
		{"REFERENCE §10", "B with a health problem declared: medical opinion",
			Applicant{Born: date.MustParse("1990-01-01"), Category: b, Health: true, Filer: ByCandidate},
			nil, []requests.Document{id, addr, medical}},
		{"C. route R221-4", "C1 without B: prerequisite missing",
			Applicant{Born: date.MustParse("1996-01-01"), Category: licence.CategoryC1, Filer: ByCandidate},
			[]string{RefusePrerequisite}, []requests.Document{id, addr, medical}},
		{"C. route R221-5", "A2 at 17: too young",
			Applicant{Born: date.MustParse("2009-01-01"), French: true, Category: licence.CategoryA2, Filer: BySchool},
			[]string{RefuseTooYoung}, []requests.Document{id, addr, mandate, consent, jdc, assr}},
		{"arrêté du 22 décembre 2009 titre I", "AAC for A2: refused",
			Applicant{Born: date.MustParse("2000-01-01"), Category: licence.CategoryA2, AAC: true, Filer: BySchool},
			[]string{RefuseAACCategory}, []requests.Document{id, addr, mandate}},
		{"", "B already held", Applicant{Born: date.MustParse("1990-01-01"), Category: b, Held: []licence.Category{b}, Filer: ByCandidate},
			[]string{RefuseAlreadyHeld}, []requests.Document{id, addr}},
		{"C. route R211-2", "AM born 2011: no exam, training certificate and ASSR",
			Applicant{Born: date.MustParse("2011-01-01"), French: true, Category: licence.CategoryAM, Filer: BySchool},
			[]string{RefuseNoExam}, []requests.Document{id, addr, mandate, requests.DocAMTraining, requests.DocRoadSafetyAM}},
		{"C. route R211-2 (born before 1988)", "AM born 1985: no ASSR",
			Applicant{Born: date.MustParse("1985-01-01"), Category: licence.CategoryAM, Filer: ByCandidate},
			[]string{RefuseNoExam}, []requests.Document{id, addr, requests.DocAMTraining}},
		{"", "no filer", Applicant{Born: date.MustParse("1990-01-01"), Category: b},
			[]string{RefuseUnknownFiler}, []requests.Document{id, addr}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Register(tc.a, today, DefaultConfig())
			if got := codes(r.Refusals); !slices.Equal(got, tc.refused) {
				t.Errorf("%s: refusals %v, want %v", tc.law, got, tc.refused)
			}
			if got := docs(r); !slices.Equal(got, tc.needs) {
				t.Errorf("%s: needs %v, want %v", tc.law, got, tc.needs)
			}
			if r.Eligible() != (len(tc.refused) == 0) || !r.Photo {
				t.Errorf("eligible %v, photo %v", r.Eligible(), r.Photo)
			}
			if tc.a.Category == licence.CategoryAM {
				if !r.NoExam || r.Theory || r.Practical {
					t.Errorf("AM: no exam, got %+v", r)
				}
			} else if !r.Theory || !r.Practical || r.Probationary != (len(tc.a.Held) == 0) {
				t.Errorf("tests %v %v probation %v", r.Theory, r.Practical, r.Probationary)
			}
			for _, f := range r.Refusals {
				if f.Message == "" {
					t.Errorf("%s: no French message", f.Code)
				}
			}
		})
	}
}

// The too-young message gives the day the person may register.
func TestRegisterTooYoungSaysWhen(t *testing.T) {
	r := Register(Applicant{Born: date.MustParse("2011-01-01"), Category: licence.CategoryB, Filer: ByCandidate}, today, DefaultConfig())
	if len(r.Refusals) != 1 || r.Refusals[0].Message != "Vous pourrez vous inscrire pour la catégorie B à partir de 16 ans, le 01/01/2027." {
		t.Fatalf("refusals %+v", r.Refusals)
	}
}

// The figures come from the configuration: a law raising the ASSR2 age to
// 22 changes the decision without touching the code.
func TestRegisterFollowsConfig(t *testing.T) {
	cfg := DefaultConfig()
	a := Applicant{Born: date.MustParse("2005-06-01"), Category: licence.CategoryB, Filer: ByCandidate} // 21
	if Register(a, today, cfg).Needed(assr) {
		t.Fatal("21: no ASSR2 by default")
	}
	cfg.RoadSafetyUnderAge = 22
	if !Register(a, today, cfg).Needed(assr) {
		t.Fatal("ASSR2 age from the configuration")
	}
}
