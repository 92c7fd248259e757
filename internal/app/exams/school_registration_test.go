package exams_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// TestSchoolRegistersUnderMandate (issue 14 §1, "filed by the candidate or
// by a driving school under mandate"): a school files the registration of
// its student who has no NEPH, with the student's documents and the signed
// mandate; the student is mailed at each step; accepted, the NEPH is
// written on the mandate, so the school books under it; the student, once
// signed in with the mandate's address and a matching identity, finds the
// registration, the NEPH and the place in "Mon examen du permis".
func TestSchoolRegistersUnderMandate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		f.mustPublish(t, "2027-01-12", 2, now.Add(-time.Hour))
		sr, m := f.mustSchoolMandate(t, "Léa")
		other := store.User{Role: string(access.DrivingSchool), Email: "autre@conduite.fr"}
		if err := f.s.CreateUser(ctx, &other); err != nil {
			t.Fatal(err)
		}
		in := exams.RegisterInput{Category: "B", French: true}

		if _, err := f.svc.FileStudentRegistration(ctx, user(other.ID, access.DrivingSchool), m.ID, withDocuments(in)); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another school: %v", err)
		}
		lea, _ := f.mustCitizen(t, "lea.autre@example.fr", "2008-03-01")
		if _, err := f.svc.FileStudentRegistration(ctx, lea, m.ID, withDocuments(in)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a citizen through the school's path: %v", err)
		}
		noMandate := withDocuments(in)
		delete(noMandate.Documents, requests.DocMandate)
		if _, err := f.svc.FileStudentRegistration(ctx, sr, m.ID, noMandate); apperr.As(err).Fields["document-mandate"] == "" {
			t.Fatalf("without the signed mandate: %v", err)
		}
		if mails, _ := f.s.ListMail(ctx, store.MailFilter{To: "lea@example.fr"}); len(mails) != 0 {
			t.Fatalf("a refused filing mailed %d times", len(mails))
		}
		r, err := f.svc.FileStudentRegistration(ctx, sr, m.ID, withDocuments(in))
		if err != nil || r.MandateID != m.ID || r.UserID != 0 || !r.Decision.Needed(requests.DocMandate) {
			t.Fatalf("FileStudentRegistration = %+v, %v", r.ExamRegistration, err)
		}
		if _, err := f.svc.FileStudentRegistration(ctx, sr, m.ID, withDocuments(in)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a second registration under the mandate: %v", err)
		}
		q, err := f.svc.FiledRegistrations(ctx, f.agent)
		if err != nil || len(q) != 1 || q[0].Name != "Léa Martin" || q[0].School != "Auto-école du Lez" || q[0].Mandate != "M-2026-1" || len(q[0].Documents) != 5 {
			t.Fatalf("the agent's queue %+v, %v (want the mandate among 5 documents)", q, err)
		}
		acc, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference)
		if err != nil || len(acc.NEPH) != 12 {
			t.Fatalf("AcceptRegistration = %+v, %v", acc, err)
		}
		if got, _ := f.s.FindMandateOfSchool(ctx, m.ID, m.SchoolID); got.NEPH != acc.NEPH {
			t.Fatalf("the mandate's NEPH %q, want %q", got.NEPH, acc.NEPH)
		}
		if _, err := f.svc.FileStudentRegistration(ctx, sr, m.ID, withDocuments(in)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("registering a student who has a NEPH: %v", err)
		}
		v, err := f.svc.SchoolExams(ctx, sr)
		if err != nil || len(v.Registrations[m.ID]) != 1 || v.Registrations[m.ID][0].State != store.RegistrationAccepted {
			t.Fatalf("the school's view %+v, %v", v.Registrations, err)
		}

		f.mustTheoryPass(t, acc.NEPH, "2026-12-07")
		if _, err := f.svc.Book(ctx, sr, exams.BookInput{Slot: f.slot("2027-01-12"), MandateID: m.ID, TrainingHours: 22}); err != nil {
			t.Fatalf("the school books under the new NEPH: %v", err)
		}

		// Same address, another birth date: not the student.
		verified := now
		impostor := store.User{Role: string(access.Citizen), Email: "lea@example.fr", EmailVerifiedAt: &verified, OIDCSubject: "fc-impostor",
			GivenName: "Léa", FamilyName: "Martin", BirthDate: date.Some(date.MustParse("2001-01-01"))}
		if err := f.s.CreateUser(ctx, &impostor); err != nil {
			t.Fatal(err)
		}
		if sp, err := f.svc.CandidateSpace(ctx, user(impostor.ID, access.Citizen)); err != nil || !sp.NoFile {
			t.Fatalf("another person with the address sees %+v, %v", sp, err)
		}
		if err := f.s.UpdateUser(ctx, impostor.ID, store.UserPatch{Email: ptr("x@example.fr")}); err != nil {
			t.Fatal(err)
		}
		student := store.User{Role: string(access.Citizen), Email: "lea@example.fr", EmailVerifiedAt: &verified, OIDCSubject: "fc-lea",
			GivenName: "Léa", FamilyName: "MARTIN", BirthDate: date.Some(date.MustParse("2008-03-01"))}
		if err := f.s.CreateUser(ctx, &student); err != nil {
			t.Fatal(err)
		}
		sp, err := f.svc.CandidateSpace(ctx, user(student.ID, access.Citizen))
		if err != nil || sp.NoFile || sp.NEPH != acc.NEPH || len(sp.Bookings) != 1 || sp.Theory == nil {
			t.Fatalf("the student's page %+v, %v", sp, err)
		}
		if rs, err := f.svc.MyRegistrations(ctx, user(student.ID, access.Citizen)); err != nil || len(rs) != 1 || rs[0].Reference != r.Reference {
			t.Fatalf("the student's registrations %+v, %v", rs, err)
		}
		mails, _ := f.s.ListMail(ctx, store.MailFilter{To: "lea@example.fr"})
		var subjects []string
		for _, x := range mails {
			subjects = append(subjects, x.Subject)
		}
		if all := strings.Join(subjects, " | "); len(mails) != 3 || !strings.Contains(all, "déposée") || !strings.Contains(all, "acceptée") || !strings.Contains(all, "réservée") {
			t.Fatalf("mails to the student: %s", all)
		}
	})
}

func ptr[T any](v T) *T { return &v }
