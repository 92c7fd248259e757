package app_test

import (
	"context"
	"regexp"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

func (f *reqFixture) mustSchool(t *testing.T, email, name string) app.Request {
	t.Helper()
	u := store.User{Role: string(access.DrivingSchool), Email: email, Organisation: name, GivenName: "Dominique", FamilyName: "Roux"}
	if err := f.s.CreateUser(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	return userReq(u.ID, access.DrivingSchool)
}

func studentMandate(ref string) app.MandateInput {
	return app.MandateInput{FamilyName: "Lefèvre", GivenNames: "Inès", BirthDate: date.MustParse("2008-05-14"),
		Email: "ines@example.fr", Reference: ref, SignedOn: date.MustParse("2026-03-10")}
}

func TestSchoolMandateRequired(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		a := f.mustSchool(t, "ecole-a@example.fr", "Auto-école A")
		b := f.mustSchool(t, "ecole-b@example.fr", "Auto-école B")
		student := &app.Student{FamilyName: "Lefèvre", GivenNames: "Inès", BirthDate: date.MustParse("2008-05-14")}

		// No mandate: refused.
		_, err := f.a.StartRequest(ctx, a, app.StartInput{Kind: "first_licence", Student: student, MandateRef: "M-1"})
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("without a mandate: %v, want invalid", err)
		}
		m, err := f.a.RecordMandate(ctx, a, studentMandate("M-1"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.RecordMandate(ctx, a, studentMandate("M-1")); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("same reference twice: %v, want invalid", err)
		}
		if _, err := f.a.RecordMandate(ctx, f.citizen, studentMandate("M-2")); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a citizen records a mandate: %v, want forbidden", err)
		}
		// Another school's mandate reference does not count.
		if _, err := f.a.StartRequest(ctx, b, app.StartInput{Kind: "first_licence", Student: student, MandateRef: "M-1"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("school B with school A's mandate: %v, want invalid", err)
		}
		if _, err := f.a.StartRequestForStudent(ctx, b, m.ID, "first_licence"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("school B with school A's mandate id: %v, want not_found", err)
		}
		// Another student under the mandate's reference: refused.
		other := &app.Student{FamilyName: "Martin", GivenNames: "Léo", BirthDate: date.MustParse("2007-01-02")}
		if _, err := f.a.StartRequest(ctx, a, app.StartInput{Kind: "first_licence", Student: other, MandateRef: "M-1"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("another student: %v, want invalid", err)
		}
		// A type a school may not file.
		if _, err := f.a.StartRequestForStudent(ctx, a, m.ID, "loss"); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a loss request by a school: %v, want forbidden", err)
		}
		r, err := f.a.StartRequestForStudent(ctx, a, m.ID, "first_licence")
		if err != nil {
			t.Fatal(err)
		}
		if r.FilerRole != "driving_school" || r.MandateRef != "M-1" || r.FamilyName != "Lefèvre" {
			t.Fatalf("request %+v", r)
		}
		// School B cannot see the file.
		if _, err := f.a.MyRequest(ctx, b, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("school B reads school A's file: %v, want not_found", err)
		}
		if _, err := f.a.MyRequest(ctx, a, r.ID); err != nil {
			t.Fatalf("school A reads its file: %v", err)
		}
		sts, err := f.a.MyStudents(ctx, a)
		if err != nil || len(sts) != 1 || len(sts[0].Requests) != 1 || sts[0].Requests[0].ID != r.ID {
			t.Fatalf("students of A: %+v, %v", sts, err)
		}
		if sts, _ := f.a.MyStudents(ctx, b); len(sts) != 0 {
			t.Fatalf("students of B: %+v", sts)
		}
		// A revoked mandate files nothing more; B cannot revoke A's.
		if err := f.a.RevokeMandate(ctx, b, m.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("B revokes A's mandate: %v, want not_found", err)
		}
		if _, err := f.a.StartRequestForStudent(ctx, a, m.ID, "new_category"); err != nil {
			t.Fatalf("before revocation: %v", err)
		}
		if err := f.a.RevokeMandate(ctx, a, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.StartRequestForStudent(ctx, a, m.ID, "new_category"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("after revocation: %v, want conflict", err)
		}
		if _, err := f.a.StartRequest(ctx, a, app.StartInput{Kind: "new_category", Student: student, MandateRef: "M-1"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("after revocation, by reference: %v, want invalid", err)
		}
	})
}

var transferLink = regexp.MustCompile(`/auto-ecole/transfert/(\S+)`)

func TestSchoolTransferWithConsent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		a := f.mustSchool(t, "ecole-a@example.fr", "Auto-école A")
		b := f.mustSchool(t, "ecole-b@example.fr", "Auto-école B")
		m, err := f.a.RecordMandate(ctx, a, studentMandate("M-1"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.a.StartRequestForStudent(ctx, a, m.ID, "first_licence")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			req  app.Request
			to   string
			code apperr.Code
		}{
			{"school B asks for A's file", b, "ecole-a@example.fr", apperr.NotFound},
			{"to itself", a, "ecole-a@example.fr", apperr.Invalid},
			{"to no school", a, "agent@example.fr", apperr.Invalid},
			{"a citizen", f.citizen, "ecole-b@example.fr", apperr.Forbidden},
		} {
			if err := f.a.TransferRequest(ctx, tc.req, r.ID, tc.to); !apperr.Is(err, tc.code) {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if err := f.a.TransferRequest(ctx, a, r.ID, "ecole-b@example.fr"); err != nil {
			t.Fatal(err)
		}
		ms, err := f.s.ListMail(ctx, store.MailFilter{To: "ines@example.fr"})
		if err != nil || len(ms) != 1 {
			t.Fatalf("mails to the student: %d, %v", len(ms), err)
		}
		sm := transferLink.FindStringSubmatch(ms[0].Text)
		if sm == nil {
			t.Fatalf("no link in %q", ms[0].Text)
		}
		token := sm[1]
		// Until the student consents, A keeps the file.
		if _, err := f.a.MyRequest(ctx, b, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("B before consent: %v", err)
		}
		v, err := f.a.TransferInfo(ctx, token)
		if err != nil || v.From != "Auto-école A" || v.To != "Auto-école B" || v.Reference != r.Reference {
			t.Fatalf("transfer info %+v, %v", v, err)
		}
		anon := app.Request{RequestID: "r", Client: "192.0.2.9"}
		if _, err := f.a.ConsentTransfer(ctx, anon, token); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.MyRequest(ctx, a, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("A after the transfer: %v, want not_found", err)
		}
		got, err := f.a.MyRequest(ctx, b, r.ID)
		if err != nil {
			t.Fatalf("B after the transfer: %v", err)
		}
		if got.Request.MandateRef == "M-1" || got.Request.Email != "ecole-b@example.fr" {
			t.Fatalf("moved request %+v", got.Request)
		}
		sts, err := f.a.MyStudents(ctx, b)
		if err != nil || len(sts) != 1 || len(sts[0].Requests) != 1 {
			t.Fatalf("B's students: %+v, %v", sts, err)
		}
		if _, err := f.a.ConsentTransfer(ctx, anon, token); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("the link used twice: %v, want not_found", err)
		}
	})
}
