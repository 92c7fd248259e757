package demo

import (
	"testing"

	"permis/internal/licence"
	"permis/internal/points"
)

func TestDemoPeopleAreStable(t *testing.T) {
	people := DemoPeople()
	want := []licence.NEPH{"240334110001", "860334110002", "030334110003", "150334110004", "960334110005"}
	if len(people) != len(want) {
		t.Fatalf("%d demo people, want %d", len(people), len(want))
	}
	// Whatever the seed and size, the first records are the demo people.
	for _, cfg := range []struct {
		seed uint64
		n    int
	}{{1, 10}, {2, 100_000}} {
		g := mustNew(t, cfg.seed, cfg.n)
		for i, p := range people {
			r := g.Record(i)
			if p.NEPH != want[i] || r.Licence.NEPH != want[i] || g.NEPH(i) != want[i] || p.Index != i {
				t.Fatalf("demo person %d: NEPH %s / record %s, want %s", i, p.NEPH, r.Licence.NEPH, want[i])
			}
		}
	}
}

func TestDemoPeopleSituations(t *testing.T) {
	g := mustNew(t, 1, 10)
	rules := points.DefaultRules()
	byKey := map[string]Record{}
	for _, p := range DemoPeople() {
		r := g.Record(p.Index)
		res, err := rules.Replay(r.Ledger(), testToday)
		if err != nil {
			t.Fatalf("%s: engine refuses the ledger: %v", p.Key, err)
		}
		if res.Balance != r.ExpectedBalance {
			t.Fatalf("%s: engine %d, expected %d", p.Key, res.Balance, r.ExpectedBalance)
		}
		if _, err := licence.ParseMRZ(r.Title.MRZ); err != nil {
			t.Fatalf("%s: MRZ %q: %v", p.Key, r.Title.MRZ, err)
		}
		byKey[p.Key] = r
	}
	if r := byKey["probation"]; r.Licence.Probation == points.ProbationNone || !r.Licence.ComplementaryTraining.Valid || r.ExpectedBalance >= 12 {
		t.Errorf("probation: %s, training %v, balance %d", r.Licence.Probation, r.Licence.ComplementaryTraining, r.ExpectedBalance)
	}
	if r := byKey["twelve"]; r.ExpectedBalance != 12 {
		t.Errorf("twelve: balance %d", r.ExpectedBalance)
	}
	if r := byKey["48m"]; r.ExpectedBalance > 6 || r.ExpectedBalance == 0 {
		t.Errorf("48m: balance %d, want 1–6", r.ExpectedBalance)
	}
	if r := byKey["invalidated"]; r.ExpectedBalance != 0 || r.Licence.State != licence.StateInvalidated || r.Title.State != licence.TitleSurrendered {
		t.Errorf("invalidated: balance %d, state %s, card %s", r.ExpectedBalance, r.Licence.State, r.Title.State)
	}
	r := byKey["heavy"]
	ce, ok := r.Licence.Entry(licence.CategoryCE)
	if !ok || !ce.MedicalUntil.Valid || !ce.MedicalUntil.Date.After(testToday) || ce.MedicalUntil.Date.After(testToday.AddYears(1)) {
		t.Errorf("heavy: CE entry %+v", ce)
	}
}
