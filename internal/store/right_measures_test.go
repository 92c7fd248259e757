package store_test

import (
	"context"
	"testing"
	"time"

	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The history of the right: the invalidation notified before a day is the
// latest strictly before it, of that licence, of kind invalidation only
// (C. route L223-5 II reads it; docs/exams.md).
func TestRightMeasures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn, store.Options{Clock: clock.NewFixed(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		var ids []int64
		for i, neph := range []licence.NEPH{"120334100801", "120334100802"} {
			p := licence.Person{FamilyName: "Roux", GivenNames: []string{"Paul"}, BirthDate: date.MustParse("1990-05-04"),
				BirthPlace: "Sète", BirthCountry: "FR", Sex: licence.SexMale}
			if err := s.CreatePerson(ctx, &p); err != nil {
				t.Fatal(err)
			}
			l := licence.Licence{NEPH: neph, PersonID: p.ID, Obtained: date.MustParse("2010-01-01"), Probation: points.ProbationNone,
				Departement: "34", State: licence.StateInvalidated, StateSince: date.MustParse("2026-09-01")}
			if err := s.CreateLicence(ctx, &l); err != nil {
				t.Fatalf("licence %d: %v", i, err)
			}
			ids = append(ids, l.ID)
		}
		for _, m := range []store.RightMeasure{
			{LicenceID: ids[0], Kind: store.MeasureInvalidation, Start: date.MustParse("2019-05-01"), Ref: "48SI-1"},
			{LicenceID: ids[0], Kind: store.MeasureInvalidation, Start: date.MustParse("2023-02-01"), End: date.Some(date.MustParse("2023-08-15")), Ref: "48SI-2"},
			{LicenceID: ids[0], Kind: store.MeasureSuspension, Start: date.MustParse("2025-01-10"), End: date.Some(date.MustParse("2025-04-10"))},
			{LicenceID: ids[0], Kind: store.MeasureInvalidation, Start: date.MustParse("2026-09-01"), Ref: "48SI-3"},
			{LicenceID: ids[1], Kind: store.MeasureInvalidation, Start: date.MustParse("2025-06-01"), Ref: "48SI-4"},
		} {
			if err := s.AddRightMeasure(ctx, &m); err != nil || m.ID == 0 {
				t.Fatalf("AddRightMeasure(%+v) = %v", m, err)
			}
		}
		for _, c := range []struct {
			licence int64
			before  string
			want    string // "" for none
		}{
			{ids[0], "2026-09-01", "2023-02-01"}, // the current one and the suspension do not count
			{ids[0], "2023-02-01", "2019-05-01"},
			{ids[0], "2019-05-01", ""},
			{ids[1], "2025-06-01", ""}, // another licence's history is not read
		} {
			got, err := s.InvalidationNotifiedBefore(ctx, c.licence, date.MustParse(c.before))
			want := date.Null{}
			if c.want != "" {
				want = date.Some(date.MustParse(c.want))
			}
			if err != nil || got != want {
				t.Errorf("InvalidationNotifiedBefore(%d, %s) = %v, %v; want %v", c.licence, c.before, got, err, want)
			}
		}
	})
}

// A register loaded in bulk records the measure each licence's state shows
// (store.CurrentMeasure): an invalidated licence's 48SI is in its history,
// so a comeback reads it as "another invalidation" (L223-5 II); a valid
// licence has none.
func TestBulkLoadRecordsTheMeasureInForce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn, store.Options{Clock: clock.NewFixed(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		notified := date.MustParse("2024-03-11")
		var batch []store.BulkLicence
		for i, st := range []licence.RightState{licence.StateValid, licence.StateInvalidated, licence.StateAnnulled} {
			batch = append(batch, store.BulkLicence{
				Person: licence.Person{FamilyName: "Roux", GivenNames: []string{"Paul"}, BirthDate: date.MustParse("1990-05-04"),
					BirthPlace: "Sète", BirthCountry: "FR", Sex: licence.SexMale},
				Licence: licence.Licence{NEPH: licence.NEPH("12033410090" + string(rune('1'+i))), Obtained: date.MustParse("2010-01-01"),
					Probation: points.ProbationNone, Departement: "34", State: st, StateSince: notified,
					StateUntil: date.Some(notified.AddMonths(6))},
			})
		}
		if err := s.BulkLoad(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for i, want := range []date.Null{{}, date.Some(notified), {}} {
			got, err := s.InvalidationNotifiedBefore(ctx, batch[i].Licence.ID, notified.AddDays(1))
			if err != nil || got != want {
				t.Errorf("%s: InvalidationNotifiedBefore = %v, %v; want %v", batch[i].Licence.State, got, err, want)
			}
		}
	})
}
