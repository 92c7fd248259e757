package portal_test

import (
	"context"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/router/routertest"
	"permis/internal/store"
)

// finesOf is the fines capability over the test service's application, as
// the back office and the nightly pass use it.
func finesOf(e *routertest.Env) *fines.Service {
	return fines.New(e.App.Kernel(), fines.DefaultConfig())
}

// mustFineNotice records an open €135 (€90 reduced, €375 increased),
// 3-point notice sent on sent to holder h.
func mustFineNotice(t *testing.T, e *routertest.Env, h store.NoticeHolder, sent date.Date) store.Notice {
	t.Helper()
	n := store.Notice{Number: fines.NewNoticeNumber(), Plate: "AB-123-CD", Kind: contest.ACO, Committed: sent.AddDays(-10),
		Place: "A9, Montpellier", Nature: "Excès de vitesse inférieur à 20 km/h", Class: "4", Reduced: 90, Fine: 135,
		Increased: 375, Points: 3, Holder: h, Sent: sent, Mail: contest.Ordinary}
	if err := e.Store.CreateNotice(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

var prosecutor = app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:9999", Name: "M. l'officier", Role: access.Prosecutor}, RequestID: "omp"}

// openNotice goes from the home page to the notice by clicking and typing
// its number and plate, as the préfecture's question leads people there.
func openNotice(t *testing.T, b interface {
	Visit(string) int
	Follow(string) int
	Fill(string, string)
	Submit(string) int
}, url string, n store.Notice, checked func(int, int)) {
	t.Helper()
	checked(b.Visit(url+"/"), 200)
	checked(b.Follow("#home-fines"), 200)
	b.Fill("#number", n.Number)
	b.Fill("#plate", strings.ToLower(n.Plate))
	checked(b.Submit("#find-submit"), 200)
}

// A citizen who sold the vehicle contests the notice in Chromium, from the
// home page's question: the sold-vehicle ground is the first offered, the
// form asks only the email before the check-your-answers page (no reasons,
// no deposit), the documents are declared sent by post, the confirmation
// gives the reference and the receipt (PDF and accessible version); the
// OMP accepts the contest (classement sans suite) and no point is
// withdrawn. A wrong plate gets the same answer as a wrong number. Then a
// second notice contested on the offence itself without the consignation
// is refused as inadmissible, and nothing is recorded.
func TestContestSoldVehicleInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()
	_, person := e.Person(t, "twelve")
	l, err := e.Store.FindLicenceByNEPH(ctx, licence.NEPH(mustNEPH(t, e, "twelve")))
	if err != nil {
		t.Fatal(err)
	}
	holder := store.NoticeHolder{Kind: contest.Person, Name: person.FamilyName, GivenNames: strings.Join(person.GivenNames, " "),
		Address: "3 rue Foch, 34000 Montpellier", LicenceID: l.ID}
	n := mustFineNotice(t, e, holder, e.Today.AddDays(-5))

	// No enumeration: a wrong plate and a wrong number get one answer.
	checked(b.Visit(e.URL+"/avis-de-contravention"), 200)
	b.Fill("#number", n.Number)
	b.Fill("#plate", "ZZ-999-ZZ")
	checked(b.Submit("#find-submit"), 422)
	wrongPlate := b.Text("#resume-erreurs")
	b.Fill("#number", "12345678901234")
	b.Fill("#plate", n.Plate)
	checked(b.Submit("#find-submit"), 422)
	if wrongNumber := b.Text("#resume-erreurs"); wrongNumber != wrongPlate || wrongPlate == "" {
		t.Fatalf("wrong plate says %q, wrong number %q", wrongPlate, wrongNumber)
	}

	openNotice(t, b, e.URL, n, checked)
	if !strings.HasSuffix(b.URL(), "/avis-de-contravention/avis") || strings.Contains(b.URL(), n.Number) {
		t.Fatalf("notice page at %s", b.URL())
	}
	if got := b.Text("#no-pay-warning"); !strings.Contains(got, "Ne payez pas si vous contestez") {
		t.Fatalf("no warning on the notice: %q", got)
	}
	rates := b.Text("#rates")
	for _, want := range []string{"90 €", "135 €", "375 €", n.Sent.AddDays(30).French(), n.Sent.AddDays(60).French()} {
		if !strings.Contains(rates, want) {
			t.Errorf("rates %q lack %q", rates, want)
		}
	}
	checked(b.Follow("#contest-start"), 200)
	if got := b.Text(".fr-radio-group label"); !strings.Contains(got, fines.GroundLabel(contest.Sold)) {
		t.Fatalf("first ground offered: %q", got)
	}
	checked(b.Submit("#contest-next"), 422) // nothing chosen
	b.Click("#ground-sold")
	checked(b.Submit("#contest-next"), 200)
	if !strings.HasSuffix(b.URL(), "/contestation/courriel") {
		t.Fatalf("after the sold ground: %s (the sold vehicle asks neither reasons nor deposit)", b.URL())
	}
	b.Fill("#email", "camille@example.fr")
	checked(b.Submit("#contest-next"), 200)
	if !strings.HasSuffix(b.URL(), "/contestation/verification") {
		t.Fatalf("after the email: %s", b.URL())
	}
	if got := b.Text("main"); !strings.Contains(got, "Ne payez pas si vous contestez") || !strings.Contains(got, "déclaration de cession") {
		t.Fatalf("check-your-answers page: %q", got)
	}
	// Without the documents, refused: nothing written.
	checked(b.Submit("#contest-send"), 422)
	if v, _ := finesOf(e).FindNotice(ctx, app.Request{Client: "t"}, n.Number, n.Plate); v.State != store.NoticeOpen {
		t.Fatalf("a refused contest changed the notice: %s", v.State)
	}
	b.Click("#courrier-sale_declaration")
	b.Click("#courrier-sale_acknowledgement")
	checked(b.Submit("#contest-send"), 200)
	ref := b.Text("#contest-reference")
	if !strings.HasPrefix(ref, "CT-") {
		t.Fatalf("confirmation: %q", b.Text("main"))
	}
	checked(b.Follow("#receipt-html"), 200)
	if got := b.Text("main"); !strings.Contains(got, "Récépissé de contestation") || !strings.Contains(got, ref) || !strings.Contains(got, n.Number) {
		t.Fatalf("accessible receipt: %q", got)
	}
	checked(b.Visit(e.URL+"/avis-de-contravention/avis"), 200)
	if got := b.Text("#notice-state"); !strings.Contains(got, "Contestation en cours") {
		t.Fatalf("state after the contest: %q", got)
	}
	if b.Exists("#pay-submit") {
		t.Error("payment still offered while the contest is examined")
	}

	// The OMP accepts it: classement sans suite.
	if _, err := finesOf(e).Decide(ctx, prosecutor, []string{ref}, fines.DecisionInput{Kind: store.ContestDropped,
		Reasons: "Véhicule vendu avant l'infraction : déclaration de cession enregistrée."}); err != nil {
		t.Fatalf("decision: %v", err)
	}
	checked(b.Visit(e.URL+"/avis-de-contravention/avis"), 200)
	if got := b.Text(".contest-state"); !strings.Contains(got, "Acceptée") {
		t.Fatalf("contest state after the decision: %q", got)
	}
	ledger, err := e.Store.LoadLedger(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ledger.Offences {
		if o.ID == fines.EventID(n.Number) {
			t.Fatalf("a point was withdrawn for a contest accepted: %+v", o)
		}
	}

	// Contesting the offence itself without the consignation: inadmissible.
	n2 := mustFineNotice(t, e, holder, e.Today.AddDays(-5))
	openNotice(t, b, e.URL, n2, checked)
	checked(b.Follow("#contest-start"), 200)
	b.Click("#ground-contest_offence")
	checked(b.Submit("#contest-next"), 200)
	b.Fill("#reasons", "Je ne conduisais pas à cette vitesse : le radar était mal placé.")
	checked(b.Submit("#contest-next"), 200)
	if got := b.Text("main"); !strings.Contains(got, "135 €") || !strings.Contains(got, "irrecevable") {
		t.Fatalf("deposit page: %q", got)
	}
	b.Click("#deposit-non")
	checked(b.Submit("#contest-next"), 200)
	b.Fill("#email", "camille@example.fr")
	checked(b.Submit("#contest-next"), 200)
	checked(b.Submit("#contest-send"), 422)
	if got := b.Text("#resume-erreurs"); !strings.Contains(got, "irrecevable") || !strings.Contains(got, "135") {
		t.Fatalf("contest without deposit: %q", got)
	}
	b.CheckFormErrors(t)
	if v, _ := finesOf(e).FindNotice(ctx, app.Request{Client: "t"}, n2.Number, n2.Plate); v.State != store.NoticeOpen || len(v.Contests) != 0 {
		t.Fatalf("inadmissible contest recorded: %s, %d contests", v.State, len(v.Contests))
	}
}

// mustNEPH returns a demo person's NEPH.
func mustNEPH(t *testing.T, e *routertest.Env, key string) string {
	t.Helper()
	dp, _ := e.Person(t, key)
	return string(dp.NEPH)
}
