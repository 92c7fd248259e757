package backoffice_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/browsertest"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

func dsfrBuilt() bool {
	_, err := os.Stat("../web/dsfr/dist/dsfr.min.css")
	return err == nil
}

// A citizen's loss request, filed through the application, is instructed
// in the back office: an agent signs in (password, then the second factor
// set up on the spot), opens the queue, takes the file, asks for a new
// proof of address with a reason (the citizen is mailed it), and once the
// citizen has uploaded it, takes the file again and accepts it. Every page
// is checked with axe-core.
func TestRequestInstructionInABrowser(t *testing.T) {
	agent := browsertest.New(t)
	agent.Viewport(1280, 800)
	theme := "dsfr"
	if !dsfrBuilt() {
		theme = "neutral" // `make assets` not run: the same pages without the State design system
	}
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3, Theme: theme})
	ctx := context.Background()
	citizen := e.Citizen(t, "twelve", true)
	r := fileLoss(t, e, citizen)
	if r.Email == "" {
		t.Fatal("the request has no email to write to")
	}
	// settle waits for the DSFR's script to set up the header's menu (a
	// dialog on a phone, a plain block without its label on a desktop):
	// axe must see the page as people do, not half-way.
	settle := func() {
		t.Helper()
		if theme != "dsfr" {
			return
		}
		wait, cancel := context.WithTimeout(agent.Context(), 10*time.Second)
		defer cancel()
		if err := chromedp.Do(wait, chromedp.WaitReady(chromedp.CSS(
			`#menu-entete[role="dialog"], #menu-entete[data-fr-js-modal]:not([aria-labelledby])`))); err != nil {
			t.Fatalf("the DSFR's script did not start on %s: %v", agent.URL(), err)
		}
	}
	checked := func(what string, status, want int) {
		t.Helper()
		if status != want {
			t.Fatalf("%s: %d, want %d (%s)", what, status, want, agent.URL())
		}
		settle()
		agent.CheckA11y(t)
		agent.CheckConsole(t)
	}

	// The agent signs in: password, then the second factor.
	const pw = "quatre chats gris sur le toit de la mairie"
	if _, err := e.App.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{Role: access.Agent,
		Email: "instruction@herault.test", Password: pw, GivenName: "Nora", FamilyName: "Benali"}); err != nil {
		t.Fatal(err)
	}
	checked("sign-in page", agent.Visit(e.URL+"/connexion"), 200)
	agent.Fill("#email", "instruction@herault.test")
	agent.Fill("#password", pw)
	if got := agent.Submit("#signin-submit"); got != 200 || !strings.HasSuffix(agent.URL(), "/connexion/second-facteur") {
		t.Fatalf("after the password: %d %s", got, agent.URL())
	}
	checked("second factor", 200, 200)
	agent.Fill("#code", e.TOTPCode(t, agent.Text("#totp-secret")))
	// An instructing agent lands on the queue.
	if got := agent.Submit("#totp-submit"); got != 200 || !strings.HasSuffix(agent.URL(), "/agents/demandes") {
		t.Fatalf("after the second factor: %d %s", got, agent.URL())
	}
	checked("queue", 200, 200)

	// The queue, filtered by type and département, then the file.
	if !strings.Contains(agent.Text("#requests"), r.Reference) {
		t.Fatalf("the queue does not list %s", r.Reference)
	}
	agent.Fill("#departement", "ZZ")
	checked("a wrong département", agent.Submit("#filter"), 422)
	if !agent.Exists("#resume-erreurs") {
		t.Fatal("no error summary for a wrong département")
	}
	agent.Fill("#departement", r.Departement)
	checked("filtered queue", agent.Submit("#filter"), 200)
	checked("file", agent.Follow(`#requests a`), 200)
	fileURL := agent.URL()
	if got := agent.Text("#checklist"); !strings.Contains(got, "Justificatif de domicile") || !strings.Contains(got, "Fournie") {
		t.Fatalf("checklist %q", got)
	}

	// Take it, and ask for a new proof of address.
	checked("take", agent.Submit("#take"), 200)
	if got := agent.Text("#req-status"); !strings.Contains(got, "En cours d'instruction") || !strings.Contains(got, "Nora Benali") {
		t.Fatalf("after taking: %q", got)
	}
	checked("nothing asked", agent.Submit("#ask-documents"), 422)
	if !agent.Exists("#resume-erreurs") {
		t.Fatal("no error summary when no document is ticked")
	}
	agent.Click(`label[for="doc_address_proof"]`)
	agent.Fill("#reason_address_proof", "Votre justificatif de domicile date de plus de 6 mois.")
	checked("documents asked", agent.Submit("#ask-documents"), 200)
	if got := agent.Text("#req-status"); !strings.Contains(got, requests.StatusAwaitingDocuments.Label()) {
		t.Fatalf("after asking: %q", got)
	}
	ms, err := e.Store.ListMail(ctx, store.MailFilter{To: r.Email, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	asked := false
	for _, m := range ms {
		if strings.Contains(m.Subject, "Pièces à fournir") && strings.Contains(m.Text, "plus de 6 mois") &&
			strings.Contains(m.Text, requests.DocAddress.Label()) {
			asked = true
		}
	}
	if !asked {
		t.Fatalf("no mail asking for the proof of address among %d", len(ms))
	}

	// The citizen uploads it: the file is back in the queue, free.
	if _, err := e.App.AddDocument(ctx, citizen.Request, r.ID, string(requests.DocAddress), pdf("nouveau justificatif")); err != nil {
		t.Fatal(err)
	}
	checked("file again", agent.Visit(fileURL), 200)
	if got := agent.Text("#req-status"); !strings.Contains(got, "En cours d'instruction") || strings.Contains(got, "Nora Benali") {
		t.Fatalf("after the upload: %q", got)
	}
	if !strings.Contains(agent.Text("#timeline"), "Pièce déposée") {
		t.Error("the timeline does not show the upload")
	}
	checked("take again", agent.Submit("#take"), 200)
	// "Accepter" consumes the stamp: it asks for a confirmation first, and
	// nothing changes until then.
	checked("accept", agent.Submit("#accept"), 200)
	if !agent.Exists("#confirm-accept") || !strings.Contains(agent.Text("#confirm-accept"), "timbre fiscal") {
		t.Fatal("accepting does not ask for a confirmation")
	}
	if got, _ := e.Store.FindRequest(ctx, r.ID); got.Status != requests.StatusInReview {
		t.Fatalf("the request changed before the confirmation: %s", got.Status)
	}
	agent.CheckA11y(t)
	checked("accept confirmed", agent.Submit("#accept-confirm"), 200)
	if agent.Exists("#accept") || agent.Exists("#take") {
		t.Error("a decided request still offers its actions")
	}
	got, err := e.Store.FindRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	switch got.Status {
	case requests.StatusAccepted, requests.StatusInProduction, requests.StatusSent:
	default:
		t.Fatalf("status %s after accepting", got.Status)
	}
	ms, err = e.Store.ListMail(ctx, store.MailFilter{To: r.Email, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, m := range ms {
		subjects = append(subjects, m.Subject)
	}
	if !strings.Contains(strings.Join(subjects, "\n"), "Votre demande est acceptée") {
		t.Errorf("no acceptance mail among %q", subjects)
	}
}
