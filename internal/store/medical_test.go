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
	})
}
