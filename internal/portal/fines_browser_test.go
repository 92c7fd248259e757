package portal_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
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
	if got := b.Text("#notice-plate"); got != "AB-123-CD" {
		t.Errorf("plate shown as %q, want AB-123-CD", got)
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
	// A file that is not a document is refused on its input; then the
	// declaration is joined as a PDF and the acknowledgement sent by post.
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "cession.pdf"), filepath.Join(dir, "declaration-de-cession.pdf")
	if err := os.WriteFile(bad, []byte("ceci n'est pas un PDF"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("%PDF-1.4\n% déclaration de cession\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	setUpload(t, b, "#document-sale_declaration", bad)
	b.Click("#courrier-sale_acknowledgement")
	checked(b.Submit("#contest-send"), 422)
	b.CheckFormErrors(t)
	if !b.Exists(`#resume-erreurs a[href="#document-sale_declaration"]`) {
		t.Fatalf("refused file not linked to its input: %q", b.Text("#resume-erreurs"))
	}
	setUpload(t, b, "#document-sale_declaration", good)
	if !b.Exists("#courrier-sale_acknowledgement:checked") {
		b.Click("#courrier-sale_acknowledgement")
	}
	checked(b.Submit("#contest-send"), 200)
	ref := b.Text("#contest-reference")
	if !strings.HasPrefix(ref, "CT-") {
		t.Fatalf("confirmation: %q", b.Text("main"))
	}
	checked(b.Follow("#receipt-html"), 200)
	if got := b.Text("main"); !strings.Contains(got, "Récépissé de contestation") || !strings.Contains(got, ref) || !strings.Contains(got, n.Number) {
		t.Fatalf("accessible receipt: %q", got)
	}
	// A visitor who found the notice by its number has no "Mon espace":
	// the breadcrumb must not send them to the sign-in page.
	if b.Exists(`.fr-breadcrumb a[href="/mon-espace"]`) {
		t.Error("the accessible receipt of a visitor links to Mon espace")
	}
	// The receipt's code verifies on /verifier.
	code := b.Text("#doc-code")
	checked(b.Visit(e.URL+"/verifier"), 200)
	b.Fill("#code", code)
	checked(b.Submit("#verify-doc-submit"), 200)
	if got := b.Text("#verdict"); !strings.Contains(got, "Document authentique") {
		t.Fatalf("receipt's code at /verifier: %q", got)
	}
	if got := b.Text("main"); !strings.Contains(got, n.Number) || !strings.Contains(got, "contestation") {
		t.Errorf("verified fields lack the notice or the step: %q", got)
	}
	checked(b.Visit(e.URL+"/avis-de-contravention/avis"), 200)
	if got := b.Text("#notice-state"); !strings.Contains(got, "Contestation en cours") {
		t.Fatalf("state after the contest: %q", got)
	}
	if b.Exists("#pay-submit") {
		t.Error("payment still offered while the contest is examined")
	}

	// The OMP accepts it in the back office: classement sans suite.
	omp := e.Staff(t, access.Prosecutor)
	b.SetCookie(e.URL, omp.Cookie())
	checked(b.Visit(e.URL+"/agents/contestations/"+ref), 200)
	b.Click("#kind-dropped")
	b.Fill("#reasons", "Véhicule vendu avant l'infraction : déclaration de cession enregistrée.")
	checked(b.Submit("#decide"), 200)
	b.SetCookie(e.URL, &http.Cookie{Name: routertest.CookieName, Value: "signed-out"})
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

	// With the consignation: the contest waits for it; the person gives up
	// at the provider's page, comes back, consigns from the notice's page,
	// and the contest reaches the OMP. No point: a deposit is not a payment.
	checked(b.Visit(e.URL+"/avis-de-contravention/contestation/consignation?retour=verification"), 200)
	b.Click("#deposit-oui")
	checked(b.Submit("#contest-next"), 200)
	if !strings.HasSuffix(b.URL(), "/contestation/verification") {
		t.Fatalf("changing an answer goes back to the check page, not %s", b.URL())
	}
	if got := b.Submit("#contest-send"); got != 200 || !strings.Contains(b.URL(), "/paiement-test/payer/") {
		t.Fatalf("contest with deposit: %d at %s", got, b.URL())
	}
	checked(b.Follow("#annuler"), 200)
	if got := b.Text(".contest-state"); !strings.Contains(got, "En attente de la consignation") {
		t.Fatalf("contest after giving up the consignation: %q", got)
	}
	// A phone's width: nothing scrolls sideways (RGAA 10.11).
	b.Viewport(320, 700)
	checked(b.Visit(e.URL+"/avis-de-contravention/avis"), 200)
	b.CheckNoHorizontalScroll(t)
	b.Viewport(1280, 800)
	if got := b.Follow("#deposit-submit"); got != 200 || !strings.Contains(b.URL(), "/paiement-test/payer/") {
		t.Fatalf("consignation again: %d at %s", got, b.URL())
	}
	checked(b.Follow("#payer"), 200)
	if got := b.Text(".contest-state"); !strings.Contains(got, "En cours d'examen") {
		t.Fatalf("contest after the consignation: %q", got)
	}
	if ledger, _ := e.Store.LoadLedger(ctx, l.ID); hasOffence(ledger.Offences, n2.Number) {
		t.Error("a point was withdrawn for a consignation")
	}
}

// mustNEPH returns a demo person's NEPH.
func mustNEPH(t *testing.T, e *routertest.Env, key string) string {
	t.Helper()
	dp, _ := e.Person(t, key)
	return string(dp.NEPH)
}

// A citizen designates a friend who was driving, in Chromium: the holder's
// notice is closed (no point for the holder) and a new notice is sent to
// the friend, whose licence the register knows (name and birth date
// match); the friend, signed in, finds it in Mon espace, pays it through
// the payment provider, and loses the points, dated by the payment.
func TestDesignateAFriendInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()
	_, holderPerson := e.Person(t, "probation")
	holderLicence, err := e.Store.FindLicenceByNEPH(ctx, licence.NEPH(mustNEPH(t, e, "probation")))
	if err != nil {
		t.Fatal(err)
	}
	n := mustFineNotice(t, e, store.NoticeHolder{Kind: contest.Person, Name: holderPerson.FamilyName,
		GivenNames: strings.Join(holderPerson.GivenNames, " "), Address: "1 place de la Comédie, 34000 Montpellier",
		LicenceID: holderLicence.ID}, e.Today.AddDays(-3))
	friendSession := e.Citizen(t, "twelve", true)
	_, friend := e.Person(t, "twelve")
	friendNEPH := mustNEPH(t, e, "twelve")

	openNotice(t, b, e.URL, n, checked)
	checked(b.Follow("#designate-start"), 200)
	checked(b.Submit("#designate-submit"), 422) // empty form: every field named
	b.CheckFormErrors(t)
	b.Fill("#nom", friend.FamilyName)
	b.Fill("#prenoms", strings.Join(friend.GivenNames, " "))
	b.Fill("#date_naissance", friend.BirthDate.French())
	b.Fill("#adresse", "8 rue de la Loge")
	b.Fill("#code_postal", "34000")
	b.Fill("#commune", "Montpellier")
	b.Fill("#numero_permis", friendNEPH)
	b.Fill("#courriel", "ami@example.fr")
	checked(b.Submit("#designate-submit"), 200)
	if !strings.HasSuffix(b.URL(), "/designation/confirmation") || !strings.Contains(b.Text("main"), friend.FamilyName) {
		t.Fatalf("after the designation: %s %q", b.URL(), b.Text("main"))
	}
	checked(b.Follow("#receipt-html"), 200)
	if got := b.Text("main"); !strings.Contains(got, "Récépissé de désignation du conducteur") || !strings.Contains(got, n.Number) {
		t.Fatalf("designation receipt: %q", got)
	}
	v, err := finesOf(e).FindNotice(ctx, app.Request{Client: "t"}, n.Number, n.Plate)
	if err != nil || v.State != store.NoticeDesignated || v.Designation == nil {
		t.Fatalf("holder's notice: %+v %v", v.State, err)
	}
	newNotice, err := e.Store.FindNotice(ctx, v.Designation.NewNoticeID)
	if err != nil {
		t.Fatal(err)
	}

	// The friend, signed in, pays the new notice from Mon espace.
	b.SetCookie(e.URL, friendSession.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-fines"), 200)
	if got := b.Text("#my-notices"); !strings.Contains(got, newNotice.Number) || !strings.Contains(got, "90 € jusqu'au") || !strings.Contains(got, "375 € après le") {
		t.Fatalf("friend's notices: %q", got)
	}
	checked(b.Follow(`#my-notices a[href="/mon-espace/avis/`+newNotice.Number+`"]`), 200)
	if got := b.Text("h1"); !strings.Contains(got, newNotice.Number) {
		t.Fatalf("friend's notice page: %q", got)
	}
	if got := b.Text("#a-pay"); !strings.Contains(got, "Payer 90 €") {
		t.Fatalf("pay offer: %q", got)
	}
	if got := b.Follow("#pay-submit"); got != 200 || !strings.Contains(b.URL(), "/paiement-test/payer/") {
		t.Fatalf("payment: %d at %s", got, b.URL())
	}
	checked(b.Follow("#payer"), 200)
	if got := b.Text("#notice-state"); !strings.Contains(got, "Payé") {
		t.Fatalf("after paying: %q (%s)", got, b.Text("main"))
	}
	checked(b.Visit(e.URL+"/avis-de-contravention/recepisse/paiement/en-ligne"), 200)
	if got := b.Text("main"); !strings.Contains(got, "Récépissé de paiement") || !strings.Contains(got, "90,00") {
		t.Fatalf("payment receipt: %q", got)
	}
	payDay := date.Today(e.Clock.Now())
	friendLicence, err := e.Store.FindLicenceByNEPH(ctx, licence.NEPH(friendNEPH))
	if err != nil {
		t.Fatal(err)
	}
	l, err := e.Store.LoadLedger(ctx, friendLicence.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range l.Offences {
		if o.ID == fines.EventID(newNotice.Number) {
			found = true
			if o.Established != payDay || o.Points != 3 {
				t.Errorf("friend's offence %+v: want 3 points established on %s, the payment's day", o, payDay)
			}
		}
	}
	if !found {
		t.Fatalf("no offence in the friend's ledger after the payment: %+v", l.Offences)
	}
	if hl, _ := e.Store.LoadLedger(ctx, holderLicence.ID); hasOffence(hl.Offences, n.Number) {
		t.Error("the holder lost points for a notice whose driver was designated")
	}
}

func hasOffence(offs []points.Offence, number string) bool {
	for _, o := range offs {
		if o.ID == fines.EventID(number) {
			return true
		}
	}
	return false
}

// A company designates the drivers of its notices with a CSV file: a file
// with a late notice designates nobody and the report names the line; the
// file without it designates the driver of the other. The late notice is
// not designated within 45 days (L121-6): the nightly pass sends the
// company a separate fine for non-designation (€675, €450 reduced, €1 875
// increased) without points, which the company finds like any notice.
func TestCompanyMissesTheDelayInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()
	company := store.NoticeHolder{Kind: contest.Company, Name: "Transports du Lez SARL", SIREN: "123456782",
		Address: "ZI de la Lauze, 34430 Saint-Jean-de-Védas", Email: "flotte@transports-lez.test"}
	inTime := mustFineNotice(t, e, company, e.Today.AddDays(-10))
	late := mustFineNotice(t, e, company, e.Today.AddDays(-60))
	_, friend := e.Person(t, "twelve")
	row := func(n store.Notice) string {
		return n.Number + ";" + n.Plate + ";" + friend.FamilyName + ";" + strings.Join(friend.GivenNames, " ") + ";" +
			friend.BirthDate.French() + ";8 rue de la Loge;34000;Montpellier;" + mustNEPH(t, e, "twelve") + ";\n"
	}
	heading := "numero_avis;immatriculation;nom;prenoms;date_naissance;adresse;code_postal;commune;numero_permis;courriel\n"
	dir := t.TempDir()
	both, first := filepath.Join(dir, "flotte.csv"), filepath.Join(dir, "flotte-corrige.csv")
	if err := os.WriteFile(both, []byte("\xEF\xBB\xBF"+heading+row(inTime)+row(late)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(first, []byte(heading+row(inTime)), 0o600); err != nil {
		t.Fatal(err)
	}

	checked(b.Visit(e.URL+"/"), 200)
	checked(b.Follow("#home-fines-bulk"), 200)
	setUpload(t, b, "#fichier", both)
	checked(b.Submit("#bulk-submit"), 422)
	report := b.Text("#rapport")
	if !strings.Contains(report, "3") || !strings.Contains(report, "délai pour désigner le conducteur a expiré") {
		t.Fatalf("report: %q", report)
	}
	if v, _ := finesOf(e).FindNotice(ctx, app.Request{Client: "t"}, inTime.Number, inTime.Plate); v.State != store.NoticeOpen {
		t.Fatalf("a file with an error designated a driver: %s", v.State)
	}
	setUpload(t, b, "#fichier", first)
	checked(b.Submit("#bulk-submit"), 200)
	if got := b.Text("#bulk-done"); !strings.Contains(got, "1 désignation enregistrée") {
		t.Fatalf("corrected file: %q", got)
	}
	if v, _ := finesOf(e).FindNotice(ctx, app.Request{Client: "t"}, inTime.Number, inTime.Plate); v.State != store.NoticeDesignated {
		t.Fatalf("designated notice: %s", v.State)
	}

	// The nightly pass: the late notice gets its non-designation fine.
	sum, err := finesOf(e).IssueNonDesignationFines(ctx)
	if err != nil || sum.Issued != 1 {
		t.Fatalf("non-designation pass: %+v %v", sum, err)
	}
	fine := store.Notice{Number: sum.Numbers[0], Plate: late.Plate}
	openNotice(t, b, e.URL, fine, checked)
	rates := b.Text("#rates")
	for _, want := range []string{"450 €", "675 €", "1875 €"} {
		if !strings.Contains(rates, want) {
			t.Errorf("non-designation fine's rates %q lack %q", rates, want)
		}
	}
	if got := b.Text("main"); !strings.Contains(got, "Non-désignation") || !strings.Contains(got, "Points en jeu aucun") && !strings.Contains(got, "aucun") {
		t.Errorf("non-designation notice: %q", got)
	}
	if b.Exists("#designate-start") {
		t.Error("the non-designation fine offers to designate a driver")
	}
	nf, err := e.Store.FindNoticeByNumber(ctx, fine.Number, fine.Plate)
	if err != nil || nf.Points != 0 || nf.Holder.LicenceID != 0 || nf.NonDesignationOf != late.ID {
		t.Fatalf("non-designation notice %+v %v: want no points, no licence", nf, err)
	}
}

// setUpload sets the file of a file input.
func setUpload(t *testing.T, b interface{ Context() context.Context }, sel, path string) {
	t.Helper()
	if err := chromedp.Do(b.Context(), chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path})); err != nil {
		t.Fatalf("upload %s: %v", path, err)
	}
}
