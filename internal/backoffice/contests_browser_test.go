package backoffice_test

import (
	"context"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/browsertest"
	"permis/internal/contest"
	"permis/internal/licence"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// An officer of the ministère public signs in (password, then the second
// factor) and lands on the queue of contests; a decision without a choice
// or reasons is refused with the error summary; the officer sends a contest
// of the offence to the tribunal de police, then records the conviction
// with its final date: the holder's licence loses the points at that date.
// Every page is checked with axe-core.
func TestOMPDecidesInABrowser(t *testing.T) {
	omp := browsertest.New(t)
	omp.Viewport(1280, 800)
	theme := "dsfr"
	if !dsfrBuilt() {
		theme = "neutral"
	}
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3, Theme: theme})
	ctx := context.Background()
	l, err := e.Store.FindLicenceByNEPH(ctx, licence.NEPH("860334110002")) // Jean-Pierre Lefèvre
	if err != nil {
		t.Fatal(err)
	}
	svc := fines.New(e.App.Kernel(), fines.DefaultConfig())
	n := store.Notice{Number: fines.NewNoticeNumber(), Plate: "GH-456-JK", Kind: contest.ACO, Committed: e.Today.AddDays(-30),
		Place: "Montpellier", Nature: "Franchissement d'un feu rouge", Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 4,
		Holder: store.NoticeHolder{Kind: contest.Person, Name: "Lefèvre", GivenNames: "Jean-Pierre", Address: "8 rue de l'Aiguillerie, 34000 Montpellier",
			LicenceID: l.ID}, Sent: e.Today.AddDays(-20), Mail: contest.Ordinary}
	if err := e.Store.CreateNotice(ctx, &n); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Contest(ctx, app.Request{}, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.ContestOffence,
		Reasons: "Le feu était à l'orange quand j'ai franchi la ligne.", Deposit: 135, Email: "jp@example.fr"}, "/")
	if err != nil {
		t.Fatal(err)
	}
	ref := res.Contest.Reference
	if _, err := svc.PaymentNotified(ctx, paidResult("CNS-"+ref, 13500)); err != nil {
		t.Fatal(err)
	}
	checked := func(what string, status, want int) {
		t.Helper()
		if status != want {
			t.Fatalf("%s: %d, want %d (%s)", what, status, want, omp.URL())
		}
		omp.CheckA11y(t)
		omp.CheckConsole(t)
	}

	const pw = "cinq hérons sur la digue du canal"
	if _, err := e.App.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{Role: access.Prosecutor,
		Email: "omp@justice.test", Password: pw, GivenName: "Inès", FamilyName: "Parquet"}); err != nil {
		t.Fatal(err)
	}
	checked("sign-in page", omp.Visit(e.URL+"/connexion"), 200)
	omp.Fill("#email", "omp@justice.test")
	omp.Fill("#password", pw)
	if got := omp.Submit("#signin-submit"); got != 200 || !strings.HasSuffix(omp.URL(), "/connexion/second-facteur") {
		t.Fatalf("after the password: %d %s", got, omp.URL())
	}
	omp.Fill("#code", e.TOTPCode(t, omp.Text("#totp-secret")))
	if got := omp.Submit("#totp-submit"); got != 200 || !strings.HasSuffix(omp.URL(), "/agents/contestations") {
		t.Fatalf("after the second factor: %d %s", got, omp.URL())
	}
	checked("queue", 200, 200)
	if !strings.Contains(omp.Text("#contests"), ref) {
		t.Fatalf("the queue does not list %s", ref)
	}
	checked("bulk decision without a selection", omp.Submit("#decide-bulk"), 422)
	if !omp.Exists("#resume-erreurs") {
		t.Fatal("no error summary for an empty bulk decision")
	}
	omp.CheckFormErrors(t)

	omp.Click(`label[for="kind-dropped"]`)
	omp.Fill("#reasons", "Cas identiques : exonération.")
	checked("bulk decision, nothing ticked", omp.Submit("#decide-bulk"), 422)
	if !strings.Contains(omp.Text("#resume-erreurs"), "Sélectionnez au moins une contestation") {
		t.Fatalf("summary %q", omp.Text("#resume-erreurs"))
	}
	omp.CheckFormErrors(t)

	checked("file", omp.Follow(`#contests a[href$="`+ref+`"]`), 200)
	if got := omp.Text("#contest"); !strings.Contains(got, "135 €") || !strings.Contains(got, "orange") {
		t.Fatalf("file %q", got)
	}
	checked("decision without choice", omp.Submit("#decide"), 422)
	omp.CheckFormErrors(t)
	omp.Click(`label[for="kind-court"]`)
	omp.Fill("#reasons", "Contestation de fond : audience du tribunal de police.")
	checked("sent to court", omp.Submit("#decide"), 200)
	if got := omp.Text("#contest-state"); !strings.EqualFold(got, "Transmise au tribunal de police") {
		t.Fatalf("state %q", got)
	}
	final := e.Today.AddDays(-1)
	omp.Click(`label[for="kind-convicted"]`)
	omp.Fill("#reasons", "Condamnation à 135 € d'amende.")
	omp.Fill("#court_final_on", final.French())
	checked("conviction", omp.Submit("#decide"), 200)
	if got := omp.Text("#contest-state"); !strings.EqualFold(got, "Condamnation") {
		t.Fatalf("state %q", got)
	}
	led, err := e.Store.LoadLedger(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range led.Offences {
		if o.ID == fines.EventID(n.Number) {
			found = o.Established == final && o.Points == 4
		}
	}
	if !found {
		t.Fatalf("no offence %s established on %s in %+v", fines.EventID(n.Number), final, led.Offences)
	}
}
