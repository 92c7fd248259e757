package exams_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// mustInvalidated records an invalidated licence (48SI notified on
// notified, licence obtained on obtained) with its history of the right
// (one invalidation per day of history), under neph, links it to a new citizen's
// account and returns the account's request and the licence.
func (f *fixture) mustInvalidated(t *testing.T, email, neph, obtained, notified string, history ...string) (appRequest, licence.Licence) {
	t.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: "Roux", GivenNames: []string{"Paul"}, BirthDate: date.MustParse("1990-05-04"),
		BirthPlace: "Sète", BirthCountry: "FR", Sex: licence.SexMale}
	if err := f.s.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	l := licence.Licence{NEPH: licence.NEPH(neph), PersonID: p.ID, Obtained: date.MustParse(obtained),
		Probation: points.ProbationNone, Departement: "34", State: licence.StateInvalidated, StateSince: date.MustParse(notified),
		Categories: []licence.CategoryEntry{{Category: "B", Obtained: date.MustParse(obtained)}}}
	if err := f.s.CreateLicence(ctx, &l); err != nil {
		t.Fatal(err)
	}
	for i, day := range history {
		m := store.RightMeasure{LicenceID: l.ID, Kind: store.MeasureInvalidation, Start: date.MustParse(day), Ref: "48SI-" + neph + string(rune('A'+i))}
		if err := f.s.AddRightMeasure(ctx, &m); err != nil {
			t.Fatal(err)
		}
	}
	req, u := f.mustCitizen(t, email, "1990-05-04")
	if err := f.s.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &l.ID}); err != nil {
		t.Fatal(err)
	}
	return req, l
}

// mustOpinion records a medical opinion (cerfa 14880) on the licence,
// examined on day, as an approved doctor's, after the psychotechnic test
// of the day psycho ("" for none).
func (f *fixture) mustOpinion(t *testing.T, licenceID int64, outcome, day, psycho string) store.MedicalOpinion {
	t.Helper()
	f.n++
	o := store.MedicalOpinion{Reference: fmt.Sprintf("AVM-T%07d", f.n), LicenceID: licenceID, Examiner: "approved_doctor",
		DoctorID: f.doctor(t), ApprovalNumber: "MA-34-T-0001", Outcome: outcome, Examined: date.MustParse(day), Categories: []string{"B"},
		Seal: "test", RecordedAt: f.c.Now()}
	if psycho != "" {
		o.Psychotechnic = date.Some(date.MustParse(psycho))
	}
	if err := f.s.CreateMedicalOpinion(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

// doctor returns the id of the fixture's approved doctor, created once.
func (f *fixture) doctor(t *testing.T) int64 {
	t.Helper()
	if f.doctorID == 0 {
		d := store.User{Role: string(access.Doctor), Email: "docteur@medecin.test"}
		if err := f.s.CreateUser(context.Background(), &d); err != nil {
			t.Fatal(err)
		}
		f.doctorID = d.ID
	}
	return f.doctorID
}

// TestComebackReadsAnEarlierInvalidation: the register's history of the
// right holds an invalidation notified 3 years and 7 months before this one
// (C. route L223-5 II: another invalidation within 5 years), so the
// registration waits a year from the hand-in by itself — refused at 6
// months with the date and the earlier notification said, nothing
// written — and then both tests are retaken (R224-20 al. 2: a one-year
// ban is not "under a year"). An invalidation 6 years before does not
// double the wait.
func TestComebackReadsAnEarlierInvalidation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		// The current invalidation is in the history too: only an earlier one counts.
		paul, _ := f.mustInvalidated(t, "paul1@example.fr", "120334100901", "2012-06-01", "2026-09-01", "2023-02-01", "2026-09-01")
		in := exams.RegisterInput{Category: "B", French: true, HandedIn: "15/09/2026"}

		f.c.Set(time.Date(2027, 3, 15, 9, 0, 0, 0, time.UTC)) // 6 months after the hand-in
		_, err := f.svc.FileRegistration(ctx, paul, in)
		msg := apperr.As(err).Fields[exam.RefuseWaiting]
		if !strings.Contains(msg, "à partir du 15/09/2027") || !strings.Contains(msg, "notifiée le 01/02/2023") {
			t.Fatalf("L223-5 II, 6 months after a second invalidation within 5 years: %v (want from 15/09/2027, the earlier one named)", err)
		}
		if rs, err := f.svc.MyRegistrations(ctx, paul); err != nil || len(rs) != 0 {
			t.Fatalf("a refusal wrote %+v, %v", rs, err)
		}
		f.c.Set(time.Date(2027, 9, 14, 22, 30, 0, 0, time.UTC)) // 15 September 2027, 00:30 in Paris
		r, err := f.svc.FileRegistration(ctx, paul, withDocuments(in))
		if err != nil {
			t.Fatalf("L223-5 II, a year after the hand-in: %v", err)
		}
		if !r.Decision.Practical || r.Decision.TheoryOnlyUntil != 0 {
			t.Errorf("R224-20 al. 2: after a one-year wait both tests are retaken, got %+v", r.Decision)
		}

		// An invalidation 6 years before: 6 months only.
		lou, _ := f.mustInvalidated(t, "lou22@example.fr", "120334100902", "2012-06-01", "2026-09-01", "2020-08-01")
		f.c.Set(time.Date(2027, 3, 15, 9, 0, 0, 0, time.UTC))
		if r, err := f.svc.FileRegistration(ctx, lou, withDocuments(in)); err != nil || r.Decision.Practical {
			t.Fatalf("L223-5 II, an invalidation 6 years before: %+v, %v (want filed, theory only)", r.Decision, err)
		}
	})
}
