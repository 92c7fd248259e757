package exams_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/exams"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// TestSchoolFirstLicenceFindsTheCertificate (issue 14, "the first-licence
// request finds it", filed by a driving school): the school's first-licence
// request for its student, under the mandate on which the registration's
// NEPH was written, carries the NEPH; before the favourable result it asks
// for the CEPC, after it is prefilled with the category and does not; a
// mandate of another person on which a school typed the same NEPH finds
// nothing.
func TestSchoolFirstLicenceFindsTheCertificate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		f.mustPublish(t, "2026-12-10", 1, now.Add(-time.Hour))
		sr, m := f.mustSchoolMandate(t, "Léa Anne")
		first := string(requests.FirstLicence)
		if r, err := f.a.StartRequestForStudent(ctx, sr, m.ID, first); err != nil || r.NEPH != "" {
			t.Fatalf("a student with no NEPH: %+v, %v", r, err)
		}
		reg, err := f.svc.FileStudentRegistration(ctx, sr, m.ID, withDocuments(exams.RegisterInput{Category: "B", French: true}))
		if err != nil {
			t.Fatal(err)
		}
		acc, err := f.svc.AcceptRegistration(ctx, f.agent, reg.Reference)
		if err != nil {
			t.Fatal(err)
		}
		f.mustTheoryPass(t, acc.NEPH, "2026-12-01")
		b, err := f.svc.Book(ctx, sr, exams.BookInput{Slot: f.slot("2026-12-10"), MandateID: m.ID, TrainingHours: 22})
		if err != nil {
			t.Fatal(err)
		}
		before, err := f.a.StartRequestForStudent(ctx, sr, m.ID, first)
		if err != nil || before.NEPH != acc.NEPH || before.Answers != "{}" {
			t.Fatalf("before the result: %+v, %v (want the NEPH, nothing prefilled)", before, err)
		}
		if _, err := f.a.SaveAnswers(ctx, sr, before.ID, app.DraftInput{Answers: &app.Answers{Categories: []licence.Category{licence.CategoryB}}}); err != nil {
			t.Fatal(err)
		}
		if need, err := f.a.Requirements(ctx, sr, before.ID); err != nil || !need.Has(requests.DocExamCertificate) || need.CertificateOnFile {
			t.Fatalf("before the result the CEPC is not asked: %+v, %v", need, err)
		}

		f.c.Set(time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC))
		if err := f.svc.RecordResult(ctx, f.agent, b.Booking.Reference, exam.Favourable); err != nil {
			t.Fatal(err)
		}
		r, err := f.a.StartRequestForStudent(ctx, sr, m.ID, first)
		if err != nil {
			t.Fatal(err)
		}
		if r.NEPH != acc.NEPH || r.FamilyName != "Martin" || r.GivenNames != "Léa Anne" || r.BirthDate.Date != date.MustParse("2008-03-01") ||
			r.MandateRef != "M-2026-1" || !strings.Contains(r.Answers, `"categories":["B"]`) {
			t.Fatalf("the school's request is not prefilled: %+v", r)
		}
		need, err := f.a.Requirements(ctx, sr, r.ID)
		if err != nil || need.Has(requests.DocExamCertificate) || !need.CertificateOnFile || !need.Has(requests.DocMandate) {
			t.Fatalf("the CEPC is asked although the service holds it (or the mandate is not): %+v, %v", need, err)
		}

		// Another person's mandate on which a school typed the NEPH.
		other := store.User{Role: string(access.DrivingSchool), Email: "autre@conduite.fr"}
		if err := f.s.CreateUser(ctx, &other); err != nil {
			t.Fatal(err)
		}
		or := user(other.ID, access.DrivingSchool)
		om, err := f.a.RecordMandate(ctx, or, app.MandateInput{FamilyName: "Durand", GivenNames: "Paul", BirthDate: date.MustParse("2007-05-05"),
			Email: "paul@example.fr", NEPH: acc.NEPH, Reference: "M-9", SignedOn: date.MustParse("2026-12-01")})
		if err != nil {
			t.Fatal(err)
		}
		x, err := f.a.StartRequestForStudent(ctx, or, om.ID, first)
		if err != nil || x.NEPH != "" || x.Answers != "{}" {
			t.Fatalf("another person's mandate naming the NEPH: %+v, %v", x, err)
		}
		if _, err := f.a.SaveAnswers(ctx, or, x.ID, app.DraftInput{Answers: &app.Answers{Categories: []licence.Category{licence.CategoryB}}}); err != nil {
			t.Fatal(err)
		}
		if need, err := f.a.Requirements(ctx, or, x.ID); err != nil || !need.Has(requests.DocExamCertificate) {
			t.Fatalf("another person's request finds the CEPC: %+v, %v", need, err)
		}
	})
}
