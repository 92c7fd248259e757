package store

import (
	"context"
	"testing"

	"permis/internal/apperr"
	"permis/internal/date"
)

// A doctor's approval is stored and replaced; an opinion is found only by
// the doctor who recorded it (another doctor gets not_found), and listed
// for its doctor and its licence.
func TestMedicalOpinions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := mustCreateLicence(t, s, "120334110001")
		doc := User{Role: "doctor", Email: "dr.a@example.fr", ApprovalNumber: "MA-34-001"}
		other := User{Role: "doctor", Email: "dr.b@example.fr", ApprovalNumber: "MA-34-002"}
		for _, u := range []*User{&doc, &other} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.FindDoctorApproval(ctx, doc.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("approval before any: %v", err)
		}
		a := DoctorApproval{UserID: doc.ID, ApprovalNumber: "MA-34-001", ValidFrom: date.MustParse("2024-01-01"), ValidUntil: date.MustParse("2028-12-31"), Departement: "34"}
		if err := s.PutDoctorApproval(ctx, a); err != nil {
			t.Fatal(err)
		}
		a.ValidUntil = date.MustParse("2025-12-31")
		if err := s.PutDoctorApproval(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindDoctorApproval(ctx, doc.ID); err != nil || got != a {
			t.Fatalf("approval %+v, %v; want %+v", got, err, a)
		}
		o := MedicalOpinion{Reference: "AVM-ABCDEFGH", LicenceID: l.ID, Examiner: "approved_doctor", DoctorID: doc.ID,
			ApprovalNumber: "MA-34-001", Outcome: "fit_restricted", Examined: date.MustParse("2026-03-14"),
			Restrictions: []string{"01", "61"}, Categories: []string{"C", "CE"}, Seal: "sceau", RecordedAt: testNow}
		if err := s.CreateMedicalOpinion(ctx, &o); err != nil || o.ID == 0 {
			t.Fatalf("create: %v", err)
		}
		dup := o
		if err := s.CreateMedicalOpinion(ctx, &dup); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("same reference twice: %v", err)
		}
		got, err := s.FindMedicalOpinionOfDoctor(ctx, "avm-abcdefgh", doc.ID)
		if err != nil || got.Outcome != "fit_restricted" || len(got.Restrictions) != 2 || got.Categories[1] != "CE" || !got.RecordedAt.Equal(testNow) || got.RequestID != 0 {
			t.Fatalf("find: %+v, %v", got, err)
		}
		if _, err := s.FindMedicalOpinionOfDoctor(ctx, o.Reference, other.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another doctor finds it: %v", err)
		}
		if l, _ := s.ListMedicalOpinionsOfDoctor(ctx, other.ID, 10); len(l) != 0 {
			t.Fatalf("another doctor lists %d", len(l))
		}
		if l, _ := s.ListMedicalOpinionsOfDoctor(ctx, doc.ID, 10); len(l) != 1 {
			t.Fatalf("its doctor lists %d", len(l))
		}
		if l, _ := s.ListMedicalOpinionsOfLicence(ctx, l.ID); len(l) != 1 {
			t.Fatalf("the licence has %d", len(l))
		}

		// The préfet's decision: once; the register gains the dates and codes.
		if w, _ := s.ListMedicalOpinionsAwaitingDecision(ctx, 10); len(w) != 1 {
			t.Fatalf("awaiting: %d", len(w))
		}
		agent := User{Role: "agent", Email: "agent@example.fr"}
		if err := s.CreateUser(ctx, &agent); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideMedicalOpinion(ctx, o.ID, "follow", date.MustParse("2026-03-20"), agent.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideMedicalOpinion(ctx, o.ID, "depart", date.MustParse("2026-03-21"), agent.ID, "x"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second decision: %v", err)
		}
		if got, err := s.FindMedicalOpinion(ctx, o.Reference); err != nil || got.Decision != "follow" || got.DecidedOn.Date != date.MustParse("2026-03-20") || got.DecidedBy != agent.ID {
			t.Fatalf("decided: %+v, %v", got, err)
		}
		if w, _ := s.ListMedicalOpinionsAwaitingDecision(ctx, 10); len(w) != 0 {
			t.Fatalf("still awaiting: %d", len(w))
		}
		if err := s.SetCategoryMedicalUntil(ctx, l.ID, "B", date.MustParse("2031-03-19")); err != nil {
			t.Fatal(err)
		}
		for range 2 { // twice: the second changes nothing
			if err := s.AddRestriction(ctx, l.ID, "61", ""); err != nil {
				t.Fatal(err)
			}
		}
		reg, err := s.FindLicence(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		var until date.Null
		for _, c := range reg.Categories {
			if c.Category == "B" {
				until = c.MedicalUntil
			}
		}
		n61 := 0
		for _, r := range reg.Restrictions {
			if r.Code == "61" {
				n61++
			}
		}
		if until != date.Some(date.MustParse("2031-03-19")) || n61 != 1 {
			t.Fatalf("register: B medical until %v, code 61 ×%d", until, n61)
		}
	})
}
