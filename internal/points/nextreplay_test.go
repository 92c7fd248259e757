package points

import (
	"testing"

	"permis/internal/date"
)

// TestNextReplay: the nightly pass replays a licence again on the sooner of
// the engine's next movement (R223-1 and L223-6 recoveries, L223-1 probation
// steps) and the day an event already in the ledger becomes known to a
// replay (an offence established after the pass, R223-3; a course's last
// day, R223-8).
func TestNextReplay(t *testing.T) {
	d := date.MustParse
	lic := Licence{Obtained: d("2010-01-01"), Probation: ProbationNone}
	tests := []struct {
		name string
		l    Ledger
		at   string
		want date.Null
	}{
		{"nothing happens to a full licence without events", Ledger{Licence: lic}, "2026-01-01", date.Null{}},
		{"an offence established later becomes known that day",
			Ledger{Licence: lic, Offences: []Offence{{ID: "A", Committed: d("2025-12-01"), Established: d("2026-02-01"), Points: 1, Class: Class4}}},
			"2026-01-01", date.Some(d("2026-02-01"))},
		{"a course's last day after the pass",
			Ledger{Licence: lic, Courses: []Course{{ID: "C", LastDay: d("2026-03-02")}}},
			"2026-01-01", date.Some(d("2026-03-02"))},
		{"the 6-month recovery of a 1-point offence (L223-6 al. 4)",
			Ledger{Licence: lic, Offences: []Offence{{ID: "A", Committed: d("2025-12-01"), Established: d("2025-12-10"), Points: 1, Class: Class4}}},
			"2026-01-01", date.Some(d("2026-06-10"))},
		{"the sooner of the two",
			Ledger{Licence: lic, Offences: []Offence{
				{ID: "A", Committed: d("2025-12-01"), Established: d("2025-12-10"), Points: 1, Class: Class4},
				{ID: "B", Committed: d("2026-01-20"), Established: d("2026-03-01"), Points: 1, Class: Class4},
			}},
			"2026-01-01", date.Some(d("2026-03-01"))},
		{"the end of a probation that lost its growth: the ceiling goes to 12, the balance stays (R223-1 II)",
			Ledger{Licence: Licence{Obtained: d("2023-06-01"), Probation: ProbationStandard},
				Offences: []Offence{{ID: "A", Committed: d("2023-07-01"), Established: d("2023-07-15"), Points: 4, Class: Delit}}},
			"2026-01-01", date.Some(d("2026-06-01"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := d(tt.at)
			res, err := DefaultRules().Replay(tt.l, at)
			if err != nil {
				t.Fatal(err)
			}
			if got := NextReplay(tt.l, res, at); got != tt.want {
				t.Errorf("NextReplay = %v, want %v (NextChange %v)", got, tt.want, res.NextChange())
			}
		})
	}
}
