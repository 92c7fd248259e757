package exams_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"permis/internal/app"
	"permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/exam"
	"permis/internal/files"
	"permis/internal/pdftext/pdftest"
	"permis/internal/requests"
	"permis/internal/store/storetest"
	"permis/internal/twoddoc"
)

// TestNoPlaceWithoutRegistration: a place is booked only under an accepted
// registration for the category, even by a person whose account is linked
// to a licence (here AM): the refusal says so, with its stable code.
func TestNoPlaceWithoutRegistration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		f.mustPublish(t, "2026-12-10", 2, now.Add(-time.Hour))
		lea, neph := f.mustFile(t, 1, "2026-10-01", false)
		_, err := f.svc.Book(ctx, lea, libre(f.slot("2026-12-10")))
		if ae := apperr.As(err); ae.Code != apperr.Invalid || !strings.Contains(ae.Message, "pas d'inscription acceptée") ||
			ae.Fields[exams.ReasonNotRegistered.Code] == "" {
			t.Fatalf("booking without a registration: %v", err)
		}
		if bs, _ := f.s.ListExamBookings(ctx, neph); len(bs) != 0 {
			t.Fatalf("a place was booked: %+v", bs)
		}
		if sp, err := f.svc.CandidateSpace(ctx, lea); err != nil || !sp.Unregistered || sp.NEPH != neph {
			t.Fatalf("CandidateSpace without a registration = %+v, %v", sp, err)
		}
		registered, _ := f.mustCandidate(t, 2, "2026-10-01")
		if sp, err := f.svc.CandidateSpace(ctx, registered); err != nil || sp.Unregistered {
			t.Fatalf("CandidateSpace with a registration = %+v, %v", sp, err)
		}
		ines, _ := f.mustCitizen(t, "ines@example.fr", "2008-03-01")
		if _, err := f.svc.FileRegistration(ctx, ines, withDocuments(exams.RegisterInput{Category: "B", French: true})); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Book(ctx, ines, libre(f.slot("2026-12-10"))); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(apperr.As(err).Message, "inscrivez-vous aux examens") {
			t.Fatalf("booking with a registration not yet accepted: %v", err)
		}
	})
}

// TestCandidatLibreCertificate: a person who holds no licence, registered
// and accepted, passes; the CEPC is issued under the registration's NEPH
// with the account's verified identity, recorded without a licence,
// recognised by /verifier's use case; their first-licence request carries
// the NEPH, is prefilled with B and does not ask for the certificate.
func TestCandidatLibreCertificate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newSigningFixture(t, dsn)
		f.mustPublish(t, "2026-12-10", 1, now.Add(-time.Hour))
		ines, u := f.mustCitizen(t, "ines@example.fr", "2008-03-01")
		r, err := f.svc.FileRegistration(ctx, ines, withDocuments(exams.RegisterInput{Category: "B", French: true}))
		if err != nil {
			t.Fatal(err)
		}
		acc, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		f.mustTheoryPass(t, acc.NEPH, "2026-12-01")
		b, err := f.svc.Book(ctx, ines, libre(f.slot("2026-12-10")))
		if err != nil {
			t.Fatal(err)
		}
		f.c.Set(time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC))
		if err := f.svc.RecordResult(ctx, f.agent, b.Booking.Reference, exam.Favourable); err != nil {
			t.Fatal(err)
		}
		c, err := f.svc.Certificate(ctx, ines, b.Booking.Reference)
		if err != nil {
			t.Fatalf("the CEPC of a candidate with no licence: %v", err)
		}
		st, err := f.s.FindStatementRequestedBy(ctx, exams.KindCertificate, "exam:"+b.Booking.Reference)
		if err != nil || st.LicenceID != 0 || st.NEPH != acc.NEPH || st.Reference != c.Reference {
			t.Fatalf("recorded CEPC %+v, %v (want NEPH %s, no licence)", st, err, acc.NEPH)
		}
		doc, err := twoddoc.Decode(st.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]string{"6G": "MARTIN", "60": "INES", "69": "01032008", "AC": acc.NEPH, "E6": "B"} {
			if got, _ := doc.Field(id); got.Value != want {
				t.Errorf("2D-Doc field %s = %q, want %q", id, got.Value, want)
			}
		}
		text := pdftest.PageText(t, c.PDF)
		if !strings.Contains(text, "MARTIN") || !strings.Contains(text, acc.NEPH) {
			t.Errorf("CEPC text lacks the holder or the NEPH: %s", text)
		}
		v, err := f.a.VerifyDocument(ctx, app.Request{}, st.Barcode)
		if err != nil || !v.Issued || v.Kind != exams.KindCertificate || v.Reference != st.Reference {
			t.Fatalf("VerifyDocument = %+v, %v", v, err)
		}
		if again, err := f.svc.Certificate(ctx, ines, b.Booking.Reference); err != nil || again.Reference != c.Reference {
			t.Fatalf("second download: %+v, %v", again.Reference, err)
		}

		req, err := f.a.StartRequest(ctx, ines, app.StartInput{Kind: string(requests.FirstLicence)})
		if err != nil {
			t.Fatal(err)
		}
		if req.NEPH != acc.NEPH || req.LicenceID != 0 || req.FamilyName != u.FamilyName || !strings.Contains(req.Answers, `"categories":["B"]`) {
			t.Fatalf("first-licence draft %+v", req)
		}
		need, err := f.a.Requirements(ctx, ines, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if need.Has(requests.DocExamCertificate) || !need.CertificateOnFile {
			t.Fatalf("the CEPC is asked although the service holds it: %+v", need)
		}
	})
}

// newSigningFixture is newFixture with an application that signs its
// documents (a fresh key, trusted by its keyring).
func newSigningFixture(t *testing.T, dsn string) *fixture {
	t.Helper()
	f := newFixture(t, dsn)
	signer, err := twoddoc.GenerateSigner("FR00", "0001", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keyring := twoddoc.NewKeyring()
	if err := keyring.Add("FR00", "0001", signer.Public()); err != nil {
		t.Fatal(err)
	}
	fs, err := files.NewDir(t.TempDir()) // the registration's documents
	if err != nil {
		t.Fatal(err)
	}
	f.a = app.New(app.Config{Store: f.s, Clock: f.c, Files: fs, Issuer: app.Issuer{Signer: signer, Keyring: keyring, Name: "Préfecture"}})
	t.Cleanup(func() { f.a.Close() })
	f.svc = exams.New(f.a.Kernel(), exam.DefaultConfig())
	return f
}

// TestSchoolStudentCertificate: the student a driving school registered
// under mandate, who holds no licence and has no account matched yet,
// passes; the school that booked downloads the CEPC, issued with the
// signed mandate's civil status under the registration's NEPH.
func TestSchoolStudentCertificate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newSigningFixture(t, dsn)
		f.mustPublish(t, "2026-12-10", 1, now.Add(-time.Hour))
		sr, m := f.mustSchoolMandate(t, "Léa Anne")
		r, err := f.svc.FileStudentRegistration(ctx, sr, m.ID, withDocuments(exams.RegisterInput{Category: "B", French: true}))
		if err != nil {
			t.Fatal(err)
		}
		acc, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference)
		if err != nil || acc.UserID != 0 {
			t.Fatalf("AcceptRegistration = %+v, %v (want no account matched)", acc, err)
		}
		f.mustTheoryPass(t, acc.NEPH, "2026-12-01")
		b, err := f.svc.Book(ctx, sr, exams.BookInput{Slot: f.slot("2026-12-10"), MandateID: m.ID, TrainingHours: 22})
		if err != nil {
			t.Fatal(err)
		}
		f.c.Set(time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC))
		if err := f.svc.RecordResult(ctx, f.agent, b.Booking.Reference, exam.Favourable); err != nil {
			t.Fatal(err)
		}
		c, err := f.svc.Certificate(ctx, sr, b.Booking.Reference)
		if err != nil {
			t.Fatalf("the CEPC of a school's student with no account: %v", err)
		}
		st, err := f.s.FindStatementRequestedBy(ctx, exams.KindCertificate, "exam:"+b.Booking.Reference)
		if err != nil || st.LicenceID != 0 || st.NEPH != acc.NEPH || st.Reference != c.Reference {
			t.Fatalf("recorded CEPC %+v, %v", st, err)
		}
		doc, err := twoddoc.Decode(st.Barcode)
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]string{"6G": "MARTIN", "60": "LEA/ANNE", "69": "01032008", "AC": acc.NEPH} {
			if got, _ := doc.Field(id); got.Value != want {
				t.Errorf("2D-Doc field %s = %q, want %q", id, got.Value, want)
			}
		}
	})
}
