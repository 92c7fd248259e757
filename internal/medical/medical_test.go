package medical

import (
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
)

func TestDecide(t *testing.T) {
	at := date.MustParse("2026-01-10")
	commission := &Previous{By: Commission, Outcome: FitLimited}
	for _, tc := range []struct {
		law           string
		m             Measure
		prev          *Previous
		required      bool
		examiner      Examiner
		psychotechnic bool
		fee           Fee
	}{
		{"R224-22, arrêté 31/07/2012 art. 1 2° a, art. 5 I: any alcohol suspension goes to the commission",
			Measure{Suspension, 4, Alcohol}, nil, true, Commission, false, 5000},
		{"arrêté 31/07/2012 art. 5 I: a one-month drugs suspension still goes to the commission (L235-1)",
			Measure{Suspension, 1, Drugs}, nil, true, Commission, false, 5000},
		{"R224-22: a speeding suspension of more than one month, approved doctor (art. 5 II)",
			Measure{Suspension, 3, Speed}, nil, true, ApprovedDoctor, false, 3600},
		{"R224-22: a suspension of one month exactly, not for alcohol or drugs, needs no check",
			Measure{Suspension, 1, Speed}, nil, false, "", false, 0},
		{"R224-21: a suspension of six months or more needs the psychotechnic test",
			Measure{Suspension, 6, Speed}, nil, true, ApprovedDoctor, true, 3600},
		{"R224-21: five months is under six, no psychotechnic test",
			Measure{Suspension, 5, Alcohol}, nil, true, Commission, false, 5000},
		{"arrêté 31/07/2012 art. 1 1° b, art. 5 I: annulment for involuntary homicide (CP 221-6-1), commission",
			Measure{Annulment, 0, HomicideInjury}, nil, true, Commission, true, 5000},
		{"arrêté 31/07/2012 art. 5 I: annulment for alcohol (L234-1), commission and psychotechnic (R224-21)",
			Measure{Annulment, 0, Alcohol}, nil, true, Commission, true, 5000},
		{"arrêté 31/07/2012 art. 5 II: annulment for speed, approved doctor, psychotechnic (R224-21)",
			Measure{Annulment, 0, Speed}, nil, true, ApprovedDoctor, true, 3600},
		{"R224-22, art. 5 II: invalidation for lack of points, approved doctor, psychotechnic",
			Measure{Invalidation, 0, Other}, nil, true, ApprovedDoctor, true, 3600},
		{"art. 5 I: invalidation after drug offences (L235-1), commission",
			Measure{Invalidation, 0, Drugs}, nil, true, Commission, true, 5000},
		{"R221-10 II, R221-11: heavy category renewal, approved doctor",
			Measure{Kind: HeavyRenewal}, nil, true, ApprovedDoctor, false, 3600},
		{"arrêté 31/07/2012 art. 5 III: renewal after a commission's temporary opinion goes back to it",
			Measure{Kind: HeavyRenewal}, commission, true, Commission, false, 5000},
		{"art. 5 III: a commission's fit opinion does not keep the next check",
			Measure{Kind: HeavyRenewal}, &Previous{Commission, Fit}, true, ApprovedDoctor, false, 3600},
		{"R226-1 2°, arrêté du 28 mars 2022: a declared condition, approved doctor",
			Measure{Kind: DeclaredCondition}, nil, true, ApprovedDoctor, false, 3600},
		{"art. 5 III: no measure, but the commission's restrictive opinion ends: back to the commission",
			Measure{Kind: None}, &Previous{Commission, FitRestricted}, true, Commission, false, 5000},
		{"art. 5 II: no measure, an approved doctor's temporary opinion ends: an approved doctor again",
			Measure{Kind: None}, &Previous{ApprovedDoctor, FitLimited}, true, ApprovedDoctor, false, 3600},
		{"no measure, no previous opinion: nothing required",
			Measure{Kind: None}, nil, false, "", false, 0},
	} {
		got := Decide(DefaultConfig(), tc.m, tc.prev, at)
		want := Route{tc.required, tc.examiner, tc.psychotechnic, tc.fee}
		if got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.law, got, want)
		}
	}
}

func TestFeesFollowTheSchedule(t *testing.T) {
	cfg := DefaultConfig()
	for _, tc := range []struct {
		law        string
		at         string
		doctor, cm Fee
	}{
		{"arrêté du 29 juin 2011", "2015-06-01", 3300, 3300},
		{"arrêté du 1er février 2016 art. 1 (JO 20/02/2016)", "2016-02-21", 3300, 4600},
		{"arrêté du 1er février 2016 art. 1, the day before C = 25 €", "2017-04-30", 3300, 4600},
		{"arrêté du 1er février 2016 art. 2, C = 25 € from 1 May 2017", "2017-05-01", 3600, 5000},
		{"arrêté du 1er février 2016 art. 2, today", "2026-12-06", 3600, 5000},
	} {
		d := date.MustParse(tc.at)
		if got := cfg.FeeOn(d, ApprovedDoctor); got != tc.doctor {
			t.Errorf("%s: approved doctor on %s %d, want %d", tc.law, tc.at, got, tc.doctor)
		}
		if got := cfg.FeeOn(d, Commission); got != tc.cm {
			t.Errorf("%s: commission on %s %d, want %d", tc.law, tc.at, got, tc.cm)
		}
	}
}

func TestHeavyValidity(t *testing.T) {
	birth := date.MustParse("1970-06-15")
	for _, tc := range []struct {
		law      string
		examined string
		o        Opinion
		end      string
	}{
		{"R221-11: 5 years before 60", "2026-01-10", Opinion{Outcome: Fit}, "2031-01-09"},
		{"R221-11: 5 years the day before turning 60", "2030-06-14", Opinion{Outcome: Fit}, "2035-06-13"},
		{"R221-11: 2 years from 60", "2030-06-15", Opinion{Outcome: Fit}, "2032-06-14"},
		{"R221-11: 2 years at 75", "2046-01-10", Opinion{Outcome: Fit}, "2048-01-09"},
		{"R221-11: 1 year from 76", "2046-06-15", Opinion{Outcome: Fit}, "2047-06-14"},
		{"cerfa 14880: a temporary opinion ends first", "2026-01-10",
			Opinion{Outcome: FitLimited, Until: date.Some(date.MustParse("2027-01-10"))}, "2027-01-10"},
	} {
		got := HeavyValidityEnd(birth, date.MustParse(tc.examined), tc.o)
		if got.String() != tc.end {
			t.Errorf("%s: examined %s, end %s, want %s", tc.law, tc.examined, got, tc.end)
		}
	}
	for _, c := range []struct {
		cat   string
		heavy bool
	}{{"C", true}, {"D1E", true}, {"B", false}, {"BE", false}, {"A", false}} {
		if Heavy(c.cat) != c.heavy {
			t.Errorf("R221-10 II: Heavy(%s) = %v", c.cat, !c.heavy)
		}
	}
	if got := DefaultConfig().RemindOn(date.MustParse("2027-05-31")); got.String() != "2027-02-28" {
		t.Errorf("reminder 3 months before 2027-05-31: %s, want 2027-02-28", got)
	}
}

func TestOpinionCheck(t *testing.T) {
	ex := date.MustParse("2026-01-10")
	until := date.Some(date.MustParse("2027-01-10"))
	for _, tc := range []struct {
		law   string
		o     Opinion
		field string // "" when valid
	}{
		{"cerfa 14880: fit", Opinion{ApprovedDoctor, Fit, ex, date.Null{}, nil}, ""},
		{"cerfa 14880: temporary with its end", Opinion{Commission, FitLimited, ex, until, nil}, ""},
		{"cerfa 14880: temporary without its end", Opinion{Commission, FitLimited, ex, date.Null{}, nil}, "until"},
		{"cerfa 14880: temporary ending before the examination", Opinion{Commission, FitLimited, ex, date.Some(ex), nil}, "until"},
		{"cerfa 14880: an end date on a plain fit", Opinion{ApprovedDoctor, Fit, ex, until, nil}, "until"},
		{"directive 2006/126 annex I: code 01", Opinion{ApprovedDoctor, FitRestricted, ex, date.Null{}, []string{"01"}}, ""},
		{"cerfa 14880: restricted without a code", Opinion{ApprovedDoctor, FitRestricted, ex, date.Null{}, nil}, "restrictions"},
		{"directive 2006/126 annex I: unknown code", Opinion{ApprovedDoctor, FitRestricted, ex, date.Null{}, []string{"99"}}, "restrictions"},
		{"arrêté 31/07/2012 art. 5 V: interlock from an approved doctor", Opinion{ApprovedDoctor, FitRestricted, ex, date.Null{}, []string{"69"}}, "restrictions"},
		{"arrêté 31/07/2012 art. 5 V: interlock from the commission", Opinion{Commission, FitRestricted, ex, date.Null{}, []string{"69"}}, ""},
		{"cerfa 14880: codes on an unfit opinion", Opinion{ApprovedDoctor, Unfit, ex, date.Null{}, []string{"01"}}, "restrictions"},
		{"cerfa 14880: unknown outcome", Opinion{ApprovedDoctor, "maybe", ex, date.Null{}, nil}, "outcome"},
	} {
		err := tc.o.Check()
		field := ""
		if err != nil {
			field = err.(*OpinionError).Field
		}
		if field != tc.field {
			t.Errorf("%s: error on %q (%v), want on %q", tc.law, field, err, tc.field)
		}
	}
}

func TestFromRegister(t *testing.T) {
	d := date.MustParse
	heavy := []licence.CategoryEntry{
		{Category: "B", Obtained: d("2000-01-01")},
		{Category: "C", Obtained: d("2010-01-01"), MedicalUntil: date.Some(d("2027-03-01"))},
		{Category: "CE", Obtained: d("2011-01-01"), MedicalUntil: date.Some(d("2027-02-01"))},
	}
	for _, tc := range []struct {
		law    string
		l      licence.Licence
		kind   Kind
		months int
	}{
		{"REFERENCE §3.7: an administrative suspension of 4 months",
			licence.Licence{State: licence.StateSuspendedAdmin, StateSince: d("2026-01-10"), StateUntil: date.Some(d("2026-05-09"))}, Suspension, 4},
		{"REFERENCE §3.7: 1 January–29 June is under 6 months (R224-21)",
			licence.Licence{State: licence.StateSuspendedCourt, StateSince: d("2026-01-01"), StateUntil: date.Some(d("2026-06-29"))}, Suspension, 5},
		{"REFERENCE §3.7: 1 January–30 June is 6 months",
			licence.Licence{State: licence.StateSuspendedCourt, StateSince: d("2026-01-01"), StateUntil: date.Some(d("2026-06-30"))}, Suspension, 6},
		{"L223-1: invalidated", licence.Licence{State: licence.StateInvalidated}, Invalidation, 0},
		{"annulled by a court", licence.Licence{State: licence.StateAnnulled}, Annulment, 0},
		{"R221-11: a valid licence with heavy categories", licence.Licence{State: licence.StateValid, Categories: heavy}, HeavyRenewal, 0},
		{"a valid B licence: nothing", licence.Licence{State: licence.StateValid, Categories: heavy[:1]}, None, 0},
	} {
		s := FromRegister(tc.l)
		if s.Kind != tc.kind || s.Months != tc.months {
			t.Errorf("%s: %s %d months, want %s %d", tc.law, s.Kind, s.Months, tc.kind, tc.months)
		}
	}
	if s := FromRegister(licence.Licence{State: licence.StateValid, Categories: heavy}); s.HeavyUntil.Date != d("2027-02-01") {
		t.Errorf("the earliest heavy medical validity is CE's 2027-02-01, got %s", s.HeavyUntil.Date)
	}
}
