package portal_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/booking"
	"permis/internal/browsertest"
	"permis/internal/date"
	"permis/internal/store"
)

// A visitor reports a fault with a screenshot; a help-desk agent signs in
// (password, then the second factor set up on the spot), finds the report
// in the queue, takes it and answers; the agent declares an incident on
// the documents, and its notice appears on the public verification page
// until the agent closes it. Every page is checked with axe-core.
func TestSupportInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()

	// The visitor's report.
	if got := b.VisitChecked(t, e.URL+"/signaler-un-probleme"); got != 200 {
		t.Fatalf("report page: %d", got)
	}
	checked(b.Submit("#report-submit"), 422) // empty: the error summary
	if !b.Exists("#resume-erreurs") {
		t.Fatal("no error summary")
	}
	shot := filepath.Join(t.TempDir(), "capture.png")
	if err := os.WriteFile(shot, []byte("\x89PNG\r\n\x1a\n-une capture-"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.Context(), chromedp.SetValue(chromedp.CSS("#procedure"), "documents")); err != nil {
		t.Fatal(err)
	}
	b.Fill("#summary", "Le relevé ne se télécharge pas")
	b.Fill("#details", "Après le clic sur Télécharger, une page blanche s'affiche.")
	b.Fill("#email", "lea.martin@example.fr")
	if err := chromedp.Do(b.Context(), chromedp.SetUploadFiles(chromedp.CSS("#screenshot"), []string{shot})); err != nil {
		t.Fatal(err)
	}
	checked(b.Submit("#report-submit"), 200)
	ref := b.Text("#reference")
	if !strings.HasPrefix(ref, "SIG-") {
		t.Fatalf("reference %q", ref)
	}
	if ms, _ := e.Store.ListMail(ctx, store.MailFilter{To: "lea.martin@example.fr"}); len(ms) != 1 || !strings.Contains(ms[0].Subject, ref) {
		t.Fatalf("receipt mail: %+v", ms)
	}

	// The agent signs in: password, then the second factor.
	const pw = "trois chevaux bleus dans la garrigue"
	if _, err := e.App.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{Role: access.Helpdesk,
		Email: "assistance@herault.test", Password: pw, GivenName: "Inès", FamilyName: "Roux"}); err != nil {
		t.Fatal(err)
	}
	agent := browsertest.New(t)
	agent.Viewport(1280, 800)
	agent.VisitChecked(t, e.URL+"/connexion")
	agent.Fill("#email", "assistance@herault.test")
	agent.Fill("#password", pw)
	if got := agent.Submit("#signin-submit"); got != 200 || !strings.HasSuffix(agent.URL(), "/connexion/second-facteur") {
		t.Fatalf("after the password: %d %s", got, agent.URL())
	}
	agent.CheckA11y(t)
	agent.Fill("#code", e.TOTPCode(t, agent.Text("#totp-secret")))
	if got := agent.Submit("#totp-submit"); got != 200 || !strings.HasSuffix(agent.URL(), "/agents") {
		t.Fatalf("after the second factor: %d %s", got, agent.URL())
	}
	agent.CheckA11y(t)

	// The queue, the ticket, the answer.
	agent.VisitChecked(t, e.URL+"/agents/signalements")
	if !strings.Contains(agent.Text("#tickets"), ref) {
		t.Fatalf("the queue does not list %s", ref)
	}
	if got := agent.Follow(`#tickets a`); got != 200 {
		t.Fatalf("ticket page: %d", got)
	}
	agent.CheckA11y(t)
	if got := agent.Submit("#take"); got != 200 || !strings.Contains(agent.Text("#ticket-status"), "Inès Roux") {
		t.Fatalf("take: %d %q", got, agent.Text("#ticket-status"))
	}
	agent.Fill("#body", "Merci : le problème est corrigé, vous pouvez réessayer.")
	if got := agent.Submit("#send"); got != 200 || !strings.Contains(agent.Text("#ticket-status"), "Réponse envoyée") {
		t.Fatalf("reply: %d %q", got, agent.Text("#ticket-status"))
	}
	agent.CheckA11y(t)
	if ms, _ := e.Store.ListMail(ctx, store.MailFilter{To: "lea.martin@example.fr"}); len(ms) != 2 || !strings.Contains(ms[0].Text, "corrigé") {
		t.Fatalf("answer mail: %d mails", len(ms))
	}

	// The agenda: an appointment that started an hour ago is marked
	// attended; days are closed with a reason.
	hp, err := e.Store.ListHelpPoints(ctx, store.HelpPointFilter{})
	if err != nil || len(hp) == 0 {
		t.Fatal(hp, err)
	}
	kinds, err := e.Store.ListKinds(ctx, hp[0].ID)
	if err != nil || len(kinds) == 0 {
		t.Fatal(kinds, err)
	}
	started := e.Clock.Now().Add(-time.Hour).Truncate(time.Hour)
	ap := booking.Appointment{UID: "rdv-test@permis.test", HelpPointID: hp[0].ID, KindID: kinds[0].ID, Start: started,
		End: started.Add(kinds[0].Duration()), Status: booking.Confirmed, Origin: booking.FromBooking,
		PersonKey: booking.PersonKeyEmail("paul.roux@example.fr"), Contact: booking.Contact{Name: "Paul Roux", Email: "paul.roux@example.fr"},
		CreatedAt: started.Add(-48 * time.Hour)}
	if err := e.Store.BookAppointment(ctx, &ap, hp[0].Agents); err != nil {
		t.Fatal(err)
	}
	agent.VisitChecked(t, fmt.Sprintf("%s/agents/agenda?point=%d&jour=%s", e.URL, hp[0].ID, date.Today(started)))
	if got := agent.Follow(`form[action$="/presence"] button[value="oui"]`); got != 200 {
		t.Fatalf("attendance: %d", got)
	}
	agent.CheckA11y(t)
	if got, _ := e.Store.FindAppointment(ctx, ap.ID); got.Status != booking.Attended {
		t.Errorf("after marking attended: %s", got.Status)
	}
	far := date.Today(e.Clock.Now()).AddDays(300)
	if err := chromedp.Do(agent.Context(), chromedp.SetValue(chromedp.CSS("#close-from"), far.String())); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(agent.Context(), chromedp.SetValue(chromedp.CSS("#to"), far.AddDays(1).String())); err != nil {
		t.Fatal(err)
	}
	agent.Fill("#reason", "Formation de l'équipe")
	if got := agent.Submit("#close-submit"); got != 200 || !strings.Contains(agent.Text("#closures"), "Formation de l'équipe") {
		t.Fatalf("closure: %d", got)
	}
	agent.CheckA11y(t)

	// An incident on the documents shows on their pages, until closed.
	agent.VisitChecked(t, e.URL+"/agents/incidents")
	if err := chromedp.Do(agent.Context(), chromedp.SetValue(chromedp.CSS("#procedure"), "documents")); err != nil {
		t.Fatal(err)
	}
	agent.Fill("#title", "Relevés indisponibles")
	agent.Fill("#message", "Le téléchargement des relevés est interrompu ; réessayez dans une heure.")
	if got := agent.Submit("#declare"); got != 200 {
		t.Fatalf("declare: %d", got)
	}
	agent.CheckA11y(t)
	b.VisitChecked(t, e.URL+"/verifier")
	if !strings.Contains(b.Text("body"), "Relevés indisponibles") {
		t.Error("the incident's notice is missing on /verifier")
	}
	b.VisitChecked(t, e.URL+"/verification-permis")
	if strings.Contains(b.Text("body"), "Relevés indisponibles") {
		t.Error("the incident's notice shows on a page of another procedure")
	}
	if got := agent.Submit(`form[action$="/fin"] button`); got != 200 {
		t.Fatalf("close incident: %d", got)
	}
	b.VisitChecked(t, e.URL+"/verifier")
	if strings.Contains(b.Text("body"), "Relevés indisponibles") {
		t.Error("the closed incident still shows")
	}

	// The directory: help points near a commune, then one of them.
	b.VisitChecked(t, e.URL+"/points-accueil")
	b.Fill("#lieu", "lodeve")
	checked(b.Submit("#places-submit"), 200)
	if got := b.Text("#results-title"); !strings.Contains(got, "autour de Lodève") {
		t.Errorf("results title %q", got)
	}
	first := b.Text("#places li h3")
	if !strings.Contains(first, "Lodève") {
		t.Errorf("the nearest help point of Lodève is %q", first)
	}
	checked(b.Follow("#places li h3 a"), 200)
	if !b.Exists("#week") {
		t.Error("the place's page has no opening hours")
	}
	b.VisitChecked(t, e.URL+"/points-accueil?lieu=Nulle-Part-sur-Mer")
	if !b.Exists("#resume-erreurs") {
		t.Error("an unknown place is not explained")
	}

	// The help centre: the list, a search, an article.
	b.VisitChecked(t, e.URL+"/aide")
	b.Fill("#q", "médecin agréé")
	checked(b.Submit("#q"), 200)
	if got := b.Text("#results li a"); got != "Visite médicale : médecin agréé ou commission médicale ?" {
		t.Errorf("first result %q", got)
	}
	checked(b.Follow("#results li a"), 200)
	if !strings.Contains(b.Text("main"), "commission médicale") {
		t.Error("the article does not answer")
	}
}
