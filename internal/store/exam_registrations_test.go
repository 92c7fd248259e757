package store_test

import (
	"context"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
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
