package portal_test

import (
	"context"
	"github.com/chromedp/chromedp"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/browsertest"
	"permis/internal/store"
)

// A driving school signs in with its password, records a student's
// mandate, files a first-licence request for the student through the draft's
// pages to its submission, in Chromium. Every page is checked with axe-core.
// schoolLinksJS fetches, with the page's session, every link of the
// breadcrumb and of the main content that stays on the site, and returns
// those answered 4xx or 5xx.
const schoolLinksJS = `(async () => {
  const links = [...document.querySelectorAll('.fr-breadcrumb a[href], main a[href]')]
    .map(a => a.href).filter(h => h.startsWith(location.origin) && !h.endsWith('.pdf'));
  const bad = [];
  for (const h of [...new Set(links)]) {
    const r = await fetch(h, {credentials: 'same-origin'});
    if (r.status >= 400) bad.push(r.status + ' ' + h.slice(location.origin.length));
  }
  return bad;
})()`

// schoolVoice is what only a citizen filing for themself may read.
var schoolVoice = regexp.MustCompile(`J'ai |Je n'ai |votre compte|Votre photo et votre signature|ma demande|mes démarches|Mes démarches|s'agit bien de vous|Retour à mes démarches`)

// checkSchoolPage asserts that a page of a school's path speaks to the
// school about its student and that its links stay in the school's space
// (they led to citizen-only pages: 403).
func checkSchoolPage(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	if bad := browsertest.EvalAsync[[]string](b, schoolLinksJS); len(bad) > 0 {
		t.Errorf("%s: links the school cannot follow: %v", b.URL(), bad)
	}
	text := browsertest.Eval[string](b, `(document.querySelector('.fr-breadcrumb')?.innerText || '') + '\n' + document.querySelector('main').innerText`)
	if m := schoolVoice.FindAllString(text, -1); len(m) > 0 {
		t.Errorf("%s speaks as the student: %q", b.URL(), m)
	}
}

func TestSchoolFirstLicenceInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 1)
	ctx := context.Background()
	const email, pw = "contact@auto-ecole-du-lez.test", "une phrase de passe assez longue"
	if _, err := e.App.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{
		Role: access.DrivingSchool, Email: email, Password: pw, GivenName: "Dominique", FamilyName: "Roux",
		Organisation: "Auto-école du Lez"}); err != nil {
		t.Fatal(err)
	}

	// Sign in, coming back to the school's page.
	if got := b.VisitChecked(t, e.URL+"/auto-ecole"); got != 200 || !strings.Contains(b.URL(), "/connexion?retour=") {
		t.Fatalf("anonymous visit: %d at %s", got, b.URL())
	}
	b.Fill("#email", email)
	b.Fill("#password", pw)
	checked(b.Submit("#signin-submit"), 200)
	if !strings.HasSuffix(b.URL(), "/auto-ecole") || !b.Exists("#no-student") {
		t.Fatalf("after sign-in: %s", b.URL())
	}

	// A mandate with a mistake, then right.
	b.Fill("#family_name", "Lefèvre")
	b.Fill("#given_names", "Inès")
	b.Fill("#birth_date", "14/05/2008")
	b.Fill("#email", "ines@example.fr")
	b.Fill("#signed_on", "01/03/2026")
	checked(b.Submit("#mandate-submit"), 422)
	if !strings.Contains(b.Text(".fr-alert--error, [role=alert]"), "référence du mandat") {
		t.Errorf("the missing reference is not reported: %q", b.Text(".fr-alert--error, [role=alert]"))
	}
	b.Fill("#reference", "MAND-2026-041")
	checked(b.Submit("#mandate-submit"), 200)
	if !strings.Contains(b.Text("#eleves ~ section"), "Inès Lefèvre") {
		t.Fatalf("the student is not listed: %q", b.Text("main"))
	}

	// A first-licence request for the student: the draft's own pages.
	checked(b.Submit(`section[id^="eleve-"] button[id^="start-"]`), 200)
	if !strings.HasSuffix(b.URL(), "/etape/informations") || !b.Exists(".fr-stepper") {
		t.Fatalf("after starting: %s", b.URL())
	}
	file := b.URL()[:strings.Index(b.URL(), "/etape/")] // the request's page
	if !strings.Contains(b.Text("main"), "Lefèvre") {
		t.Errorf("the draft does not name the student: %q", b.Text("main"))
	}
	checkSchoolPage(t, b)
	b.Fill("#departement", "34")
	b.Click(`label[for="categorie-B"]`)
	checked(b.Submit("#step-submit"), 200)
	if strings.HasSuffix(b.URL(), "/etape/informations") {
		t.Fatalf("the first step did not move on: %s", b.URL())
	}
	// The rest of the draft, to the submission: the paper photo form, a
	// PDF for each document (the first choice where there is one), check
	// the answers, send.
	for i := 0; i < 12 && !strings.HasSuffix(b.URL(), "/etape/verification"); i++ {
		checkSchoolPage(t, b)
		switch {
		case strings.HasSuffix(b.URL(), "/etape/photo"):
			b.Click(`label[for="photo-paper"]`)
		case b.Exists("#document"):
			doc := filepath.Join(t.TempDir(), "piece.pdf")
			if err := os.WriteFile(doc, []byte("%PDF-1.4\n% piece\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(b.Context(), chromedp.SetUploadFiles(chromedp.CSS("#document"), []string{doc})); err != nil {
				t.Fatal(err)
			}
		}
		checked(b.Submit("#step-submit"), 200)
	}
	if !strings.HasSuffix(b.URL(), "/etape/verification") {
		t.Fatalf("the school's draft did not reach the check page: %s", b.URL())
	}
	checkSchoolPage(t, b)
	checked(b.Submit("#submit-request"), 200)
	if !strings.Contains(b.Text("main"), "DEM-") {
		t.Fatalf("no reference after the school's submission: %q", b.Text("main"))
	}
	checkSchoolPage(t, b)
	checked(b.Visit(file), 200) // the request's page
	checkSchoolPage(t, b)

	// The school's page lists the draft under the student.
	checked(b.Visit(e.URL+"/auto-ecole"), 200)
	if got := b.Text(`section[id^="eleve-"]`); !strings.Contains(got, "Demande transmise") || !strings.Contains(got, "DEM-") {
		t.Errorf("the student's requests: %q", got)
	}
	// The transfer to another school, with the student's consent.
	const other = "contact@conduite-des-garrigues.test"
	if _, err := e.App.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{
		Role: access.DrivingSchool, Email: other, Password: pw, GivenName: "Sacha", FamilyName: "Blanc",
		Organisation: "Conduite des Garrigues"}); err != nil {
		t.Fatal(err)
	}
	checked(b.Follow(`section[id^="eleve-"] a[href$="/transfert"]`), 200)
	b.Fill("#to_school", "inconnue@example.fr")
	checked(b.Submit("#transfer-submit"), 422)
	b.Fill("#to_school", other)
	checked(b.Submit("#transfer-submit"), 200)
	if !b.Exists("#transfer-sent") {
		t.Fatalf("transfer not sent: %q", b.Text("main"))
	}
	ms, err := e.Store.ListMail(ctx, store.MailFilter{To: "ines@example.fr"})
	if err != nil || len(ms) != 1 {
		t.Fatalf("mails to the student: %d, %v", len(ms), err)
	}
	link := regexp.MustCompile(`/auto-ecole/transfert/\S+`).FindString(ms[0].Text)
	if link == "" {
		t.Fatalf("no consent link in %q", ms[0].Text)
	}
	checked(b.Visit(e.URL+link), 200)
	if got := b.Text("main"); !strings.Contains(got, "Auto-école du Lez") || !strings.Contains(got, "Conduite des Garrigues") {
		t.Errorf("consent page: %q", got)
	}
	checked(b.Submit("#consent-submit"), 200)
	if !b.Exists("#consent-done") {
		t.Fatalf("consent not done: %q", b.Text("main"))
	}
	// School A lost the file at once.
	if got := b.Visit(file); got != 404 {
		t.Errorf("school A's former file %s: %d, want 404", file, got)
	}
	b.CheckConsole(t)
	// The link serves once.
	if got := b.Visit(e.URL + link); got != 404 {
		t.Errorf("the consent link again: %d, want 404", got)
	}
	b.CheckConsole(t)

	// School A revokes the mandate: no more request can be started.
	checked(b.Visit(e.URL+"/auto-ecole"), 200)
	checked(b.Submit(`section[id^="eleve-"] button[id^="revoke-"]`), 200)
	if b.Exists(`section[id^="eleve-"] button[id^="start-"]`) || !strings.Contains(b.Text(`section[id^="eleve-"]`), "révoqué") {
		t.Errorf("after revocation: %q", b.Text(`section[id^="eleve-"]`))
	}
}
