package store_test

import (
	"context"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// One registration in progress or accepted per account and category (a
// refused one does not count); a decision is taken once; the NEPH of an
// accepted registration without licence is the account's.
func TestExamRegistrations(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn, store.Options{Clock: clock.NewFixed(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		u := store.User{Role: "citizen", Email: "ines@example.fr", OIDCSubject: "fc-ines"}
		if err := s.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		reg := func(ref string) (store.ExamRegistration, error) {
			r := store.ExamRegistration{Reference: ref, UserID: u.ID, Category: "B", Details: "{}", FiledOn: date.MustParse("2026-12-07")}
			return r, s.CreateExamRegistration(ctx, &r)
		}
		first, err := reg("INS-AAAA1111")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reg("INS-BBBB2222"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a second registration in progress: %v", err)
		}
		if _, err := s.NEPHOfAccount(ctx, u.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("NEPH before acceptance: %v", err)
		}
		if err := s.RejectExamRegistration(ctx, first.ID, "pièces illisibles"); err != nil {
			t.Fatal(err)
		}
		if err := s.AcceptExamRegistration(ctx, first.ID, "260000000001", 0); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("deciding twice: %v", err)
		}
		second, err := reg("INS-BBBB2222")
		if err != nil {
			t.Fatalf("after a refusal: %v", err)
		}
		if err := s.AcceptExamRegistration(ctx, second.ID, "260000000001", 0); err != nil {
			t.Fatal(err)
		}
		if neph, err := s.NEPHOfAccount(ctx, u.ID); err != nil || neph != "260000000001" {
			t.Fatalf("NEPHOfAccount = %q, %v", neph, err)
		}
		if used, err := s.ExamRegistrationNEPHUsed(ctx, "260000000001"); err != nil || !used {
			t.Fatalf("NEPH used = %v, %v", used, err)
		}
		got, err := s.FindExamRegistration(ctx, "INS-BBBB2222")
		if err != nil || got.State != store.RegistrationAccepted || got.DecidedAt == nil || got.LicenceID != 0 {
			t.Fatalf("FindExamRegistration = %+v, %v", got, err)
		}
		if _, err := reg("INS-CCCC3333"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a registration after an accepted one: %v", err)
		}
	})
}

// A driving school's registration under mandate has no account until the
// student is matched: one in progress per mandate and category, its
// documents one file each, found by the mandate's mail address while
// unlinked, tied once; the NEPH is written on a mandate that has none.
func TestExamRegistrationsUnderMandate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := store.Open(ctx, dsn, store.Options{Clock: clock.NewFixed(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		school := store.User{Role: "driving_school", Email: "ecole@example.fr"}
		student := store.User{Role: "citizen", Email: "lea@example.fr", OIDCSubject: "fc-lea"}
		for _, u := range []*store.User{&school, &student} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		m := store.Mandate{SchoolID: school.ID, FamilyName: "Martin", GivenNames: "Léa", BirthDate: date.MustParse("2008-03-02"),
			Email: "Lea@Example.fr", Reference: "M-1", SignedOn: date.MustParse("2026-12-01")}
		if err := s.CreateMandate(ctx, &m); err != nil {
			t.Fatal(err)
		}
		reg := func(ref string) (store.ExamRegistration, error) {
			r := store.ExamRegistration{Reference: ref, MandateID: m.ID, Category: "B", Details: "{}", PaperPhoto: true, FiledOn: date.MustParse("2026-12-07")}
			return r, s.CreateExamRegistration(ctx, &r)
		}
		r, err := reg("INS-MAND0001")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reg("INS-MAND0002"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a second registration under the mandate: %v", err)
		}
		if bad := (store.ExamRegistration{Reference: "INS-NOBODY01", Category: "B", Details: "{}", FiledOn: date.MustParse("2026-12-07")}); s.CreateExamRegistration(ctx, &bad) == nil {
			t.Fatal("a registration of nobody (no account, no mandate) was recorded")
		}
		d := store.ExamRegistrationDocument{RegistrationID: r.ID, Document: requests.DocIdentity, Key: "ab/ab01.pdf", ContentType: "application/pdf", Size: 10, SHA256: "00", Name: "id.pdf"}
		if err := s.AddExamRegistrationDocument(ctx, &d); err != nil {
			t.Fatal(err)
		}
		d2 := d
		d2.Key = "ab/ab02.pdf"
		if err := s.AddExamRegistrationDocument(ctx, &d2); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a second identity document: %v", err)
		}
		if ds, err := s.ListExamRegistrationDocuments(ctx, r.ID); err != nil || len(ds) != 1 || ds[0].Document != requests.DocIdentity || ds[0].Name != "id.pdf" {
			t.Fatalf("documents %+v, %v", ds, err)
		}
		got, err := s.FindExamRegistration(ctx, r.Reference)
		if err != nil || got.UserID != 0 || got.MandateID != m.ID || !got.PaperPhoto {
			t.Fatalf("FindExamRegistration = %+v, %v", got, err)
		}
		if rs, err := s.ListUnlinkedExamRegistrations(ctx, "LEA@example.fr"); err != nil || len(rs) != 1 || rs[0].ID != r.ID {
			t.Fatalf("unlinked %+v, %v", rs, err)
		}
		if err := s.LinkExamRegistration(ctx, r.ID, student.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkExamRegistration(ctx, r.ID, school.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("linking twice: %v", err)
		}
		if rs, err := s.ListUnlinkedExamRegistrations(ctx, "lea@example.fr"); err != nil || len(rs) != 0 {
			t.Fatalf("unlinked after the link %+v, %v", rs, err)
		}
		if err := s.AcceptExamRegistration(ctx, r.ID, "260000000009", 0); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMandateNEPH(ctx, m.ID, "260000000009"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetMandateNEPH(ctx, m.ID, "260000000010"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindMandateOfSchool(ctx, m.ID, school.ID); err != nil || got.NEPH != "260000000009" {
			t.Fatalf("mandate NEPH %q, %v", got.NEPH, err)
		}
		if neph, err := s.NEPHOfAccount(ctx, student.ID); err != nil || neph != "260000000009" {
			t.Fatalf("the student's NEPH %q, %v", neph, err)
		}
		if rs, err := s.ListExamRegistrationsOfMandate(ctx, m.ID); err != nil || len(rs) != 1 {
			t.Fatalf("of the mandate %+v, %v", rs, err)
		}
	})
}
