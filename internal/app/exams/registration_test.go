package exams_test

import (
	"context"
	"io"
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
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// mustCitizen creates a citizen's account born on born, linked to no
// licence, and returns its request.
func (f *fixture) mustCitizen(t *testing.T, email, born string) (appRequest, store.User) {
	t.Helper()
	u := store.User{Role: string(access.Citizen), Email: email, OIDCSubject: "fc-" + email, GivenName: "Inès", FamilyName: "Martin",
		BirthDate: date.Some(date.MustParse(born))}
	if err := f.s.CreateUser(context.Background(), &u); err != nil {
		t.Fatal(err)
	}
	return user(u.ID, access.Citizen), u
}

// TestRegistrationGivesANEPH: a person with no licence registers for B; the
// agent's acceptance gives a new NEPH, under which the operator records the
// theory pass and the candidate books a practical place (issue 14 §1).
func TestRegistrationGivesANEPH(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		f.mustPublish(t, "2027-01-12", 2, now.Add(-time.Hour))
		ines, _ := f.mustCitizen(t, "ines@example.fr", "2008-03-01") // 18 on 7 December 2026

		if _, err := f.svc.Book(ctx, ines, libre(f.slot("2027-01-12"))); !strings.Contains(apperr.As(err).Message, "inscrivez-vous aux examens") {
			t.Fatalf("booking before any registration: %v", err)
		}
		if _, err := f.svc.FileRegistration(ctx, ines, exams.RegisterInput{Category: "C"}); apperr.As(err).Fields["category"] == "" {
			t.Fatalf("category C online: %v", err)
		}
		// Without its documents and photo, the filing is refused naming each, and nothing is written.
		_, err := f.svc.FileRegistration(ctx, ines, exams.RegisterInput{Category: "B", French: true,
			Documents: map[requests.Document]exams.Upload{requests.DocIdentity: {Name: "id.pdf", Body: pdfOf("id")}}})
		if p := apperr.As(err).Fields; !apperr.Is(err, apperr.Invalid) || p["document-jdc_certificate"] == "" || p["document-address_proof"] == "" ||
			p["document-road_safety_certificate"] == "" || p["ephoto_code"] == "" || p["document-identity"] != "" || p["document-legal_representative_consent"] != "" {
			t.Fatalf("filing without documents: %v %v", err, p)
		}
		if _, err := f.svc.FileRegistration(ctx, ines, exams.RegisterInput{Category: "B", French: true, EPhotoCode: "ABCD"}); apperr.As(err).Fields["ephoto_code"] == "" {
			t.Fatalf("a malformed ePhoto code: %v", err)
		}
		if rs, _ := f.svc.MyRegistrations(ctx, ines); len(rs) != 0 {
			t.Fatalf("a refused filing wrote %+v", rs)
		}
		in := withDocuments(exams.RegisterInput{Category: "B", French: true})
		in.Documents[requests.DocIdentity] = exams.Upload{Name: "id.txt", Body: strings.NewReader("not a document")}
		if _, err := f.svc.FileRegistration(ctx, ines, in); apperr.As(err).Fields["document-identity"] == "" {
			t.Fatalf("a text file as identity: %v", err)
		}
		if rs, _ := f.svc.MyRegistrations(ctx, ines); len(rs) != 0 {
			t.Fatalf("a refused file wrote %+v", rs)
		}
		r, err := f.svc.FileRegistration(ctx, ines, withDocuments(exams.RegisterInput{Category: "B", French: true}))
		if err != nil || !strings.HasPrefix(r.Reference, "INS-") || r.State != store.RegistrationFiled || r.NEPH != "" {
			t.Fatalf("FileRegistration = %+v, %v", r.ExamRegistration, err)
		}
		// 18, French, first licence: JDC and ASSR2/ASR (R221-5), no consent.
		for doc, want := range map[requests.Document]bool{requests.DocIdentity: true, requests.DocAddress: true, requests.DocJDC: true,
			requests.DocRoadSafety: true, requests.DocParentalConsent: false, requests.DocMedicalOpinion: false} {
			if r.Decision.Needed(doc) != want {
				t.Errorf("needs %s = %v, want %v", doc, !want, want)
			}
		}
		if _, err := f.svc.FileRegistration(ctx, ines, withDocuments(exams.RegisterInput{Category: "B", French: true})); apperr.As(err).Fields["category"] == "" {
			t.Fatalf("a second registration for B: %v", err)
		}
		if _, err := f.svc.AcceptRegistration(ctx, ines, r.Reference); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("the candidate accepting: %v", err)
		}
		got, err := f.svc.FiledRegistrations(ctx, f.agent)
		if err != nil || len(got) != 1 || got[0].Reference != r.Reference || !got[0].PaperPhoto {
			t.Fatalf("agent's queue = %+v, %v", got, err)
		}
		// The documents the rules need are kept, no other: identity, address, JDC, ASSR2.
		if len(got[0].Documents) != 4 {
			t.Fatalf("documents kept %+v, want 4", got[0].Documents)
		}
		if _, _, err := f.svc.RegistrationFile(ctx, ines, r.Reference, got[0].Documents[0].ID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("the candidate downloading from the bureau's route: %v", err)
		}
		d, rc, err := f.svc.RegistrationFile(ctx, f.agent, r.Reference, got[0].Documents[2].ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		if d.Document != requests.DocJDC || !strings.Contains(string(body), "jdc_certificate") {
			t.Fatalf("document %s: %q", d.Document, body)
		}
		acc, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference)
		if err != nil || acc.State != store.RegistrationAccepted || len(acc.NEPH) != 12 || !strings.HasPrefix(acc.NEPH, "26") || acc.LicenceID != 0 {
			t.Fatalf("AcceptRegistration = %+v, %v", acc, err)
		}
		if _, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("accepting twice: %v", err)
		}
		if got, _ := f.svc.FiledRegistrations(ctx, f.agent); len(got) != 0 {
			t.Fatalf("queue after acceptance: %+v", got)
		}

		f.mustTheoryPass(t, acc.NEPH, "2026-12-05")
		b, err := f.svc.Book(ctx, ines, libre(f.slot("2027-01-12")))
		if err != nil || b.Booking.NEPH != acc.NEPH {
			t.Fatalf("Book = %+v, %v (want NEPH %s)", b.Booking, err, acc.NEPH)
		}
		sp, err := f.svc.CandidateSpace(ctx, ines)
		if err != nil || sp.NoFile || sp.NEPH != acc.NEPH || sp.Theory == nil || len(sp.Bookings) != 1 {
			t.Fatalf("CandidateSpace = %+v, %v", sp, err)
		}
	})
}

// TestComebackWaitsForItsEnd: after an invalidation, the registration is
// refused before the end of the 6 months from handing the card in (C.
// route L223-5 II), with the date, and nothing is written; accepted from
// that day, it reactivates the licence's NEPH.
func TestComebackWaitsForItsEnd(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		p := licence.Person{FamilyName: "Roux", GivenNames: []string{"Paul"}, BirthDate: date.MustParse("1990-05-04"),
			BirthPlace: "Sète", BirthCountry: "FR", Sex: licence.SexMale}
		if err := f.s.CreatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		l := licence.Licence{NEPH: "120334100777", PersonID: p.ID, Obtained: date.MustParse("2012-06-01"), Probation: points.ProbationNone,
			Departement: "34", State: licence.StateInvalidated, StateSince: date.MustParse("2026-09-01"),
			Categories: []licence.CategoryEntry{{Category: "B", Obtained: date.MustParse("2012-06-01")}}}
		if err := f.s.CreateLicence(ctx, &l); err != nil {
			t.Fatal(err)
		}
		paul, u := f.mustCitizen(t, "paul@example.fr", "1990-05-04")
		if err := f.s.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &l.ID}); err != nil {
			t.Fatal(err)
		}
		in := exams.RegisterInput{Category: "B", French: true, HandedIn: "15/09/2026"}

		if _, err := f.svc.FileRegistration(ctx, paul, withDocuments(exams.RegisterInput{Category: "B"})); apperr.As(err).Fields["handed_in"] == "" {
			t.Fatalf("without the hand-in day: %v", err)
		}
		_, err := f.svc.FileRegistration(ctx, paul, withDocuments(in))
		if msg := apperr.As(err).Fields[exam.RefuseWaiting]; !strings.Contains(msg, "à partir du 15/03/2027") {
			t.Fatalf("before the end of the wait: %v (want free from 15/03/2027, 6 months after 15/09/2026)", err)
		}
		if rs, err := f.svc.MyRegistrations(ctx, paul); err != nil || len(rs) != 0 {
			t.Fatalf("a refusal wrote %+v, %v", rs, err)
		}
		f.c.Set(time.Date(2027, 3, 14, 22, 59, 0, 0, time.UTC)) // 14 March 2027, 23:59 in Paris: the wait's last day
		if _, err := f.svc.FileRegistration(ctx, paul, withDocuments(in)); apperr.As(err).Fields[exam.RefuseWaiting] == "" {
			t.Fatalf("on the wait's last day: %v", err)
		}
		f.c.Set(time.Date(2027, 3, 14, 23, 30, 0, 0, time.UTC)) // 15 March 2027, 00:30 in Paris
		r, err := f.svc.FileRegistration(ctx, paul, withDocuments(in))
		if err != nil {
			t.Fatalf("on the first allowed day: %v", err)
		}
		if !r.Decision.Needed(requests.DocPsychotechnic) || !r.Decision.Needed(requests.DocMedicalOpinion) || r.Decision.Practical {
			t.Errorf("comeback decision = %+v, want the psychotechnic test, a medical opinion, theory only (held 14 years, 6-month wait)", r.Decision)
		}
		// R224-21: no favourable medical opinion since the invalidation, no acceptance.
		if _, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(err.Error(), "aucun avis médical enregistré depuis le 01/09/2026") {
			t.Fatalf("accepted without a medical opinion: %v", err)
		}
		f.mustOpinion(t, l.ID, "unfit", "2027-03-01", "2027-02-20")
		if _, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(err.Error(), "avis médical défavorable") {
			t.Fatalf("accepted with an unfit opinion: %v", err)
		}
		// R224-21 al. 2: the favourable opinion follows a psychotechnic test taken since the loss.
		f.mustOpinion(t, l.ID, "fit", "2027-03-05", "2026-08-20")
		if _, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference); !apperr.Is(err, apperr.Invalid) ||
			!strings.Contains(err.Error(), "ne mentionne pas de test psychotechnique passé depuis le 01/09/2026") {
			t.Fatalf("accepted with a psychotechnic test older than the invalidation: %v", err)
		}
		f.mustOpinion(t, l.ID, "fit", "2027-03-10", "2027-03-08")
		acc, err := f.svc.AcceptRegistration(ctx, f.agent, r.Reference)
		if err != nil || acc.NEPH != string(l.NEPH) || acc.LicenceID != l.ID {
			t.Fatalf("AcceptRegistration = %+v, %v (want the licence's NEPH reactivated)", acc, err)
		}
	})
}
