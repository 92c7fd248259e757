package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"permis/internal/access"
	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/browsertest"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/router/routertest"
	"permis/internal/store"
)

// attachRegistrationDocuments gives a small PDF to every document input of
// the registration form on the page, and chooses the paper photo form.
func attachRegistrationDocuments(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range allRegistrationDocuments() {
		sel := "#" + examsapp.DocumentField(d)
		if !b.Exists(sel) {
			continue
		}
		path := filepath.Join(dir, string(d)+".pdf")
		if err := os.WriteFile(path, []byte("%PDF-1.4\n% "+string(d)+"\n%%EOF\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(b.Context(), chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path})); err != nil {
			t.Fatal(err)
		}
	}
	b.Click(`label[for="paper_photo"]`)
}

// Issue 14, "Done means", the school's side, in Chromium with axe on every
// page: a driving school signs in, records a student's mandate, registers
// the student from Mes élèves with the documents (refused first without
// them); an agent accepts in the browser; the theory pass comes through the
// operators' API (HTTP, exam_operator token); the school books a place
// (training hours declared), then cancels it fewer than 7 days before the
// exam: the 40-day block is shown to the school on Mes élèves and to the
// student, signed in, on Mon examen du permis.
func TestSchoolRegistersBooksAndCancelsLateInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 1)
	ctx := context.Background()
	const email, pw = "contact@auto-ecole-du-lez.test", "une phrase de passe assez longue"
	if _, err := e.App.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{
		Role: access.DrivingSchool, Email: email, Password: pw, GivenName: "Dominique", FamilyName: "Roux",
		Organisation: "Auto-école du Lez"}); err != nil {
		t.Fatal(err)
	}
	today := date.Today(e.Clock.Now())
	born := today.AddYears(-18).AddDays(-40)
	centre := store.ExamCentre{Code: "34-LATTES", Name: "Centre d'examen de Lattes", Departement: "34"}
	if err := e.Store.CreateExamCentre(ctx, &centre); err != nil {
		t.Fatal(err)
	}
	day := today.AddDays(10)
	rel := store.ExamRelease{CentreID: centre.ID, OpensAt: e.Clock.Now().Add(-time.Hour), PublishedBy: 1}
	if err := e.Store.CreateExamRelease(ctx, &rel, []store.ExamSlotCapacity{{ExamSlot: store.ExamSlot{CentreID: centre.ID, Day: day, Half: "am", Category: "B"}, Places: 2}}); err != nil {
		t.Fatal(err)
	}
	schoolIn := func() {
		t.Helper()
		ns, err := e.App.SignIn(ctx, app.Request{Client: "10.1.0.1"}, email, pw, "test")
		if err != nil {
			t.Fatal(err)
		}
		b.SetCookie(e.URL, routertest.Session{Token: ns.Token}.Cookie())
	}

	// The school signs in and records the student's mandate.
	if got := b.VisitChecked(t, e.URL+"/auto-ecole"); got != 200 || !strings.Contains(b.URL(), "/connexion?retour=") {
		t.Fatalf("anonymous visit: %d at %s", got, b.URL())
	}
	b.Fill("#email", email)
	b.Fill("#password", pw)
	checked(b.Submit("#signin-submit"), 200)
	b.Fill("#family_name", "Martin")
	b.Fill("#given_names", "Léa")
	b.Fill("#birth_date", born.French())
	b.Fill("#email", "fc-lea@example.fr")
	b.Fill("#reference", "MAND-2026-077")
	b.Fill("#signed_on", today.AddDays(-3).French())
	checked(b.Submit("#mandate-submit"), 200)
	school, err := e.Store.FindUserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := e.Store.ListMandatesOfSchool(ctx, school.ID)
	if err != nil || len(ms) != 1 || ms[0].NEPH != "" {
		t.Fatalf("mandates %+v, %v", ms, err)
	}
	m := ms[0]
	if b.Exists(fmt.Sprintf("#exam-%d", m.ID)) {
		t.Fatal("a booking form for a student without NEPH")
	}

	// From Mes élèves, the registration: refused without the documents, then sent.
	checked(b.Follow(fmt.Sprintf("#register-%d", m.ID)), 200)
	checkSchoolPage(t, b)
	checked(b.Submit("#exam-register-submit"), 422)
	if !b.Exists(`a[href="#document-mandate"]`) || !b.Exists(`a[href="#document-identity"]`) {
		t.Fatalf("the missing documents are not linked from the summary: %q", b.Text("main"))
	}
	if rs, _ := e.Store.ListExamRegistrationsOfMandate(ctx, m.ID); len(rs) != 0 {
		t.Fatalf("a refused registration wrote %+v", rs)
	}
	attachRegistrationDocuments(t, b)
	checked(b.Submit("#exam-register-submit"), 200)
	if !strings.Contains(b.URL(), "/auto-ecole?examen=inscription") || !strings.Contains(b.Text(fmt.Sprintf("#inscriptions-%d", m.ID)), "En cours d'examen") ||
		b.Exists(fmt.Sprintf("#register-%d", m.ID)) {
		t.Fatalf("after the registration: %s %q", b.URL(), b.Text("main"))
	}
	rs, err := e.Store.ListExamRegistrationsOfMandate(ctx, m.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("registrations %+v, %v", rs, err)
	}
	ref := rs[0].Reference

	// An agent accepts, in the browser, after seeing the files.
	agent := e.Staff(t, access.Agent)
	b.SetCookie(e.URL, agent.Cookie())
	checked(b.Visit(e.URL+"/agents"), 200)
	checked(b.Follow(`a[href="/agents/examens"]`), 200)
	checked(b.Follow("#exam-registrations-link"), 200)
	if card := b.Text("#registration-" + ref); !strings.Contains(card, "Auto-école du Lez") || !strings.Contains(card, "MAND-2026-077") ||
		!strings.Contains(b.Text("#documents-"+ref), "Mandat signé") {
		t.Fatalf("the agent's card: %q", card)
	}
	checked(b.Submit("#accept-"+ref), 200)
	acc, err := e.Store.FindExamRegistration(ctx, ref)
	if err != nil || acc.NEPH == "" {
		t.Fatalf("accepted %+v, %v", acc, err)
	}

	// The theory pass, through the operators' API.
	op := store.User{Role: string(access.ExamOperator), Email: "centre@code-express.test", Organisation: "Code Express"}
	if err := e.Store.CreateUser(ctx, &op); err != nil {
		t.Fatal(err)
	}
	tok, err := examsapp.New(e.App.Kernel(), exam.DefaultConfig()).CreateOperatorToken(ctx, "Code Express", op.Email)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/exams/theory-results",
		strings.NewReader(fmt.Sprintf(`{"neph":%q,"date":%q,"result":"pass"}`, acc.NEPH, today.AddDays(-1).String())))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("theory result: %d", res.StatusCode)
	}

	// The school sees the NEPH and the code, and books a place.
	schoolIn()
	checked(b.Visit(e.URL+"/auto-ecole"), 200)
	if !strings.Contains(b.Text(fmt.Sprintf("#eleve-%d", m.ID)), "NEPH "+acc.NEPH) || !b.Exists(fmt.Sprintf("#code-%d", m.ID)) {
		t.Fatalf("the school's page after acceptance: %q", b.Text(fmt.Sprintf("#eleve-%d", m.ID)))
	}
	b.Fill(fmt.Sprintf("#hours-%d", m.ID), "22")
	checked(b.Submit(fmt.Sprintf("#exam-%d", m.ID)), 200)
	bs, err := e.Store.ListExamBookings(ctx, acc.NEPH)
	if err != nil || len(bs) != 1 || bs[0].State != "booked" || !strings.Contains(b.URL(), "examen=reserve") {
		t.Fatalf("booking %+v, %v at %s", bs, err, b.URL())
	}

	// Five days later, 5 days before the exam, the school cancels: late.
	e.Clock.Add(5 * 24 * time.Hour)
	schoolIn()
	checked(b.Visit(e.URL+"/auto-ecole"), 200)
	checked(b.Submit(`form[action="/auto-ecole/examens/`+bs[0].Reference+`/annulation"] button`), 200)
	until := day.AddDays(40)
	if !strings.Contains(b.URL(), "examen=annule-tard") || !strings.Contains(b.Text(fmt.Sprintf("#blocked-%d", m.ID)), until.French()) {
		t.Fatalf("the school is not shown the block until %s: %s %q", until.French(), b.URL(), b.Text("main"))
	}

	// The student signs in: the registration, the NEPH and the block.
	lea := signIn(t, e, "fc-lea", "Léa", "Martin", born)
	b.SetCookie(e.URL, lea.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-exam"), 200)
	if b.Text("#exam-neph") != acc.NEPH || !b.Exists("#exam-blocked") || !strings.Contains(b.Text("#exam-blocked"), until.French()) ||
		!strings.Contains(b.Text("#exam-registrations"), "déposée par votre auto-école") {
		t.Fatalf("the student's page: %q", b.Text("main"))
	}
}
