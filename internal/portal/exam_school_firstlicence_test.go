package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// schoolStudentPassed records, for a driving school, a student's mandate,
// the registration the school filed under it (accepted: the NEPH is on the
// mandate), a theory pass and a place the school booked, then a favourable
// result: the student holds a valid CEPC and no licence.
func schoolStudentPassed(t *testing.T, e *routertest.Env, school routertest.Session) (store.Mandate, string) {
	t.Helper()
	ctx := context.Background()
	centre, day := mustExamSetupPlaces(t, e)
	m, err := e.App.RecordMandate(ctx, school.Request, app.MandateInput{FamilyName: "Martin", GivenNames: "Léa",
		BirthDate: date.Today(e.Clock.Now()).AddYears(-18), Email: "lea@example.fr", Reference: "M-PERMIS-1", SignedOn: date.Today(e.Clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	svc := examsapp.New(e.App.Kernel(), exam.DefaultConfig())
	docs := map[requests.Document]examsapp.Upload{}
	for _, d := range allRegistrationDocuments() {
		docs[d] = examsapp.Upload{Name: string(d) + ".pdf", Body: strings.NewReader("%PDF-1.4\n% " + string(d) + "\n%%EOF\n")}
	}
	reg, err := svc.FileStudentRegistration(ctx, school.Request, m.ID, examsapp.RegisterInput{Category: "B", French: true, PaperPhoto: true, Documents: docs})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := svc.AcceptRegistration(ctx, e.Staff(t, access.Agent).Request, reg.Reference)
	if err != nil {
		t.Fatal(err)
	}
	op := store.User{Role: string(access.ExamOperator), Email: "centre.ecole@code.fr"}
	if err := e.Store.CreateUser(ctx, &op); err != nil {
		t.Fatal(err)
	}
	tr := store.TheoryResult{Reference: "ETG-ECOLE001", NEPH: licence.NEPH(acc.NEPH), TakenOn: date.Today(e.Clock.Now()), Passed: true, OperatorID: op.ID}
	if err := e.Store.CreateTheoryResult(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	b, err := svc.Book(ctx, school.Request, examsapp.BookInput{Slot: store.ExamSlot{CentreID: centre.ID, Day: day, Half: "am", Category: "B"},
		MandateID: m.ID, TrainingHours: 22})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.RecordExamResult(ctx, b.Booking.ID, "favourable", 1, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	return m, acc.NEPH
}

// TestSchoolFirstLicenceFindsTheCertificate (issue 14): the first-licence
// request a driving school starts from "Mes élèves" for its student who
// passed carries the NEPH of the registration, is prefilled with category
// B, never asks for the CEPC, and "Vérifiez votre demande" says it was
// found; another school's student with no NEPH still has it asked.
func TestSchoolFirstLicenceFindsTheCertificate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 1, Theme: "neutral"})
		school := e.Staff(t, access.DrivingSchool)
		m, neph := schoolStudentPassed(t, e, school)

		start := fmt.Sprintf("/auto-ecole/eleves/%d/demande", m.ID)
		if page := read(t, e.Do(t, school, http.MethodGet, "/auto-ecole", nil)); !strings.Contains(page, `action="`+start+`"`) ||
			!strings.Contains(page, "Favorable — CEPC valable jusqu'au") {
			t.Fatalf("Mes élèves has no request form for the student:\n%s", page)
		}
		res := e.Do(t, school, http.MethodPost, start, map[string]string{"kind": string(requests.FirstLicence)})
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/etape/informations") {
			t.Fatalf("start: %d %s\n%s", res.StatusCode, loc, read(t, res))
		}
		info := read(t, e.Do(t, school, http.MethodGet, loc, nil))
		if !strings.Contains(info, `id="categorie-B" name="categories" value="B" checked`) {
			t.Fatalf("the draft is not prefilled with the CEPC's category B:\n%s", info)
		}
		res = e.Do(t, school, http.MethodPost, loc, map[string]string{"departement": "34", "categories": "B"})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the information step: %d\n%s", res.StatusCode, read(t, res))
		}
		check := strings.TrimSuffix(loc, "informations") + "verification"
		page := read(t, e.Do(t, school, http.MethodGet, check, nil))
		if !strings.Contains(page, `id="exam_certificate"`) || !strings.Contains(page, "Retrouvé par le service (NEPH "+neph+") : rien à joindre") {
			t.Fatalf("check your answers does not say the CEPC was found:\n%s", page)
		}
		if slug := "/etape/" + requests.DocExamCertificate.Slug(); strings.Contains(page, slug) || strings.Contains(info, slug) {
			t.Fatalf("the CEPC is among the steps:\n%s", page)
		}
		if !strings.Contains(page, "/etape/"+requests.DocMandate.Slug()) {
			t.Fatalf("the signed mandate is not asked:\n%s", page)
		}
		rs, err := e.Store.ListRequestsOfOwner(ctx, school.Account.ID)
		if err != nil || len(rs) != 1 || rs[0].NEPH != neph || rs[0].FamilyName != "Martin" || rs[0].MandateRef != m.Reference {
			t.Fatalf("the school's draft %+v, %v", rs, err)
		}

		// A student with no NEPH: the CEPC is asked as a document.
		other, err := e.App.RecordMandate(ctx, school.Request, app.MandateInput{FamilyName: "Durand", GivenNames: "Paul",
			BirthDate: date.Today(e.Clock.Now()).AddYears(-19), Email: "paul@example.fr", Reference: "M-PERMIS-2", SignedOn: date.Today(e.Clock.Now())})
		if err != nil {
			t.Fatal(err)
		}
		res = e.Do(t, school, http.MethodPost, fmt.Sprintf("/auto-ecole/eleves/%d/demande", other.ID), map[string]string{"kind": string(requests.FirstLicence)})
		loc = res.Header.Get("Location")
		if res := e.Do(t, school, http.MethodPost, loc, map[string]string{"departement": "34", "categories": "B"}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the information step: %d", res.StatusCode)
		}
		page = read(t, e.Do(t, school, http.MethodGet, strings.TrimSuffix(loc, "informations")+"verification", nil))
		if strings.Contains(page, `id="exam_certificate"`) || !strings.Contains(page, "/etape/"+requests.DocExamCertificate.Slug()) {
			t.Fatalf("a student with no NEPH: the CEPC is not asked:\n%s", page)
		}
	})
}
