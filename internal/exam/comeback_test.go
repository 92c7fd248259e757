package exam

import (
	"slices"
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/requests"
)

func back(c Comeback) Applicant {
	return Applicant{Born: date.MustParse("1980-04-02"), Category: licence.CategoryB, Filer: ByCandidate, Back: &c}
}

func inv(since, lost, handed string) Comeback {
	return Comeback{Measure: Invalidation, LicenceSince: date.MustParse(since), Lost: date.MustParse(lost), HandedIn: date.MustParse(handed)}
}

func TestComeback(t *testing.T) {
	d := date.MustParse
	second := inv("2000-01-10", "2026-03-01", "2026-03-10")
	second.PreviousInvalidation = date.Some(d("2022-02-01"))
	old := inv("2000-01-10", "2026-03-01", "2026-03-10")
	old.PreviousInvalidation = date.Some(d("2020-01-15"))
	young := inv("2024-06-01", "2026-03-01", "2026-03-10")
	edge := inv("2000-01-10", "2026-03-01", "2026-03-10")
	edge.PreviousInvalidation = date.Some(d("2021-03-01")) // exactly 5 years before
	past := inv("2000-01-10", "2026-03-01", "2026-03-10")
	past.PreviousInvalidation = date.Some(d("2021-02-28")) // 5 years and a day before
	ann := func(lost, ends string) Comeback {
		return Comeback{Measure: Annulment, LicenceSince: d("2000-01-10"), Lost: d(lost), BanEnds: d(ends)}
	}
	for _, tc := range []struct {
		law        string
		name       string
		c          Comeback
		on         string
		refused    []string
		from       string
		practical  bool
		theoryOnly string // last day of the theory-only registration, "" if none
	}{
		{"L223-5 II", "invalidation, the day before the 6 months: refused", old, "2026-09-09",
			[]string{RefuseWaiting}, "2026-09-10", false, "2027-06-09"},
		{"L223-5 II (a previous invalidation more than 5 years before)", "an invalidation 6 years earlier: 6 months only", old, "2026-09-10",
			nil, "2026-09-10", false, "2027-06-09"},
		{"L223-5 II; R224-20 al. 2", "invalidation, 6 months after the hand-in, licence held 26 years: theory only", old, "2026-09-10",
			nil, "2026-09-10", false, "2027-06-09"},
		{"R224-20 al. 2 (moins de neuf mois)", "last day of the 9 months: still theory only", old, "2027-06-09",
			nil, "2026-09-10", false, "2027-06-09"},
		{"R224-20 al. 1", "9 months passed: theory and practical again", old, "2027-06-10",
			nil, "2026-09-10", true, ""},
		{"L223-5 II (1 year if another within 5 years)", "second invalidation within 5 years: wait 1 year", second, "2026-12-06",
			[]string{RefuseWaiting}, "2027-03-10", true, ""},
		{"R224-20 al. 2 (ban under one year)", "second invalidation: after the year, practical again (ban not under a year)", second, "2027-03-10",
			nil, "2027-03-10", true, ""},
		{"L223-5 II (dans un délai de cinq ans: the day 5 years before counts)", "previous invalidation exactly 5 years before: 1 year", edge, "2027-03-09",
			[]string{RefuseWaiting}, "2027-03-10", true, ""},
		{"L223-5 II (more than 5 years before)", "previous invalidation 5 years and a day before: 6 months", past, "2026-09-10",
			nil, "2026-09-10", false, "2027-06-09"},
		{"R224-20 al. 2 (held 3 years or more)", "licence held under 3 years: both tests", young, "2026-09-10",
			nil, "2026-09-10", true, ""},
		{"L224-14", "annulment, before the end of the court ban: refused", ann("2026-01-15", "2026-07-15"), "2026-07-14",
			[]string{RefuseCourtBan}, "2026-07-15", false, "2027-04-14"},
		{"L224-14; R224-20 al. 2", "annulment with a 6-month ban: theory only", ann("2026-01-15", "2026-07-15"), "2026-12-06",
			nil, "2026-07-15", false, "2027-04-14"},
		{"R224-20 al. 2", "annulment with a 1-year ban: both tests", ann("2025-06-01", "2026-06-01"), "2026-12-06",
			nil, "2026-06-01", true, ""},
		{"R224-20 al. 2", "annulment with a ban of 11 months: theory only", ann("2025-06-01", "2026-05-01"), "2026-12-06",
			nil, "2026-05-01", false, "2027-01-31"},
		{"", "hand-in before the loss of validity: dates refused", inv("2000-01-10", "2026-03-10", "2026-03-01"), "2026-12-06",
			[]string{RefuseComebackDates}, "", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Register(back(tc.c), d(tc.on), DefaultConfig())
			if got := codes(r.Refusals); !slices.Equal(got, tc.refused) {
				t.Errorf("%s: refusals %v, want %v", tc.law, got, tc.refused)
			}
			if tc.from != "" && r.From != d(tc.from) {
				t.Errorf("%s: from %s, want %s", tc.law, r.From, tc.from)
			}
			if r.Practical != tc.practical {
				t.Errorf("%s: practical %v, want %v", tc.law, r.Practical, tc.practical)
			}
			want := date.Date(0)
			if tc.theoryOnly != "" {
				want = d(tc.theoryOnly)
			}
			if r.TheoryOnlyUntil != want {
				t.Errorf("%s: theory only until %s, want %q", tc.law, r.TheoryOnlyUntil, tc.theoryOnly)
			}
			if !r.Probationary || !r.Theory {
				t.Errorf("L223-1: the new licence is probationary and the theory test is retaken: %+v", r)
			}
			if tc.refused == nil || tc.refused[0] != RefuseComebackDates {
				for _, doc := range []requests.Document{requests.DocInvalidationDecision, requests.DocPsychotechnic, requests.DocMedicalOpinion} {
					if !r.Needed(doc) {
						t.Errorf("R224-21: %s needed", doc)
					}
				}
			}
		})
	}
}

// A refused comeback says when it may register, in JJ/MM/AAAA.
func TestComebackRefusalSaysWhen(t *testing.T) {
	r := Register(back(inv("2000-01-10", "2026-03-01", "2026-06-30")), today, DefaultConfig())
	if len(r.Refusals) != 1 || r.Refusals[0].Message !=
		"Après une invalidation, vous pourrez vous inscrire à partir du 30/12/2026 (6 mois après la remise de votre permis)." {
		t.Fatalf("refusals %+v", r.Refusals)
	}
}

// A second invalidation within 5 years says so, with the earlier
// notification's day and the year's wait (C. route L223-5 II).
func TestComebackRepeatSaysWhy(t *testing.T) {
	c := inv("2000-01-10", "2026-03-01", "2026-03-10")
	c.PreviousInvalidation = date.Some(date.MustParse("2022-02-01"))
	r := Register(back(c), date.MustParse("2026-12-06"), DefaultConfig())
	want := "Votre permis a déjà été invalidé moins de 5 ans avant (invalidation notifiée le 01/02/2022) : " +
		"vous pourrez vous inscrire à partir du 10/03/2027 (12 mois après la remise de votre permis)."
	if len(r.Refusals) != 1 || r.Refusals[0].Message != want || r.Refusals[0].Source != "C. route L223-5 II" {
		t.Fatalf("L223-5 II: refusals %+v", r.Refusals)
	}
	if !c.Repeat(DefaultConfig()) {
		t.Fatal("L223-5 II: Repeat false")
	}
}
