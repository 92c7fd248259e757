package portal_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// The employer's check says "née le" or "né le" as the register records the
// holder's sex, never the form's "né(e)".
func TestCheckResultAgreesWithTheHoldersSex(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	ctx := context.Background()
	holder := e.Citizen(t, "48m", true)
	dp, person := e.Person(t, "48m")
	code, _, err := e.App.CreateCheckCode(ctx, holder.Request, app.CheckCodeRequest{Shows: app.ShowsCategories, Days: 7})
	if err != nil {
		t.Fatal(err)
	}
	neph := dp.NEPH.String()
	body := read(t, e.Do(t, routertest.Session{}, http.MethodPost, "/verification-permis",
		map[string]string{"code": code, "ending": neph[len(neph)-4:], "organisation": "Garage"}))
	want := "né le"
	if person.Sex == licence.SexFemale {
		want = "née le"
	}
	if !strings.Contains(body, want) || strings.Contains(body, "né(e)") {
		t.Errorf("check result: want %q and no né(e)", want)
	}
}

// "de" is elided before a vowel: the driving school reads the requests
// "d'Inès Lefèvre", not "de Inès Lefèvre".
func TestSchoolHomeElidesBeforeAVowel(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	ctx := context.Background()
	school := e.Staff(t, access.DrivingSchool)
	m, err := e.App.RecordMandate(ctx, school.Request, app.MandateInput{FamilyName: "Lefèvre", GivenNames: "Inès",
		BirthDate: date.MustParse("2008-05-14"), Email: "ines@example.fr", Reference: "M-1", SignedOn: date.MustParse("2026-01-05")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.StartRequestForStudent(ctx, school.Request, m.ID, "first_licence"); err != nil {
		t.Fatal(err)
	}
	body := read(t, e.Do(t, school, http.MethodGet, "/auto-ecole", nil))
	if !strings.Contains(body, "Demandes d&#39;Inès Lefèvre") || strings.Contains(body, "de Inès") {
		t.Error("the school's page does not say \"Demandes d'Inès Lefèvre\"")
	}
}

// The loss introduction and the help centre say the same thing: the stamp
// is bought during the request, not beforehand on another site; and no copy
// of the lost licence is asked.
func TestLossIntroductionAgreesWithTheHelpCentre(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	alice := e.Citizen(t, "48m", true)
	body := read(t, e.Do(t, alice, http.MethodGet, "/mes-demarches/nouvelle/perte", nil))
	help := read(t, e.Do(t, routertest.Session{}, http.MethodGet, "/aide/timbre-fiscal", nil))
	if !strings.Contains(help, "pendant la demande") {
		t.Fatal("the help article changed: update this test")
	}
	if !strings.Contains(body, "pendant la demande") || strings.Contains(body, "avant de commencer") {
		t.Error("the loss introduction does not say the stamp is bought during the request")
	}
	if strings.Contains(body, "permis actuel") {
		t.Error("the loss introduction asks a copy of the licence that was lost")
	}
}
