package portal_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"permis/internal/access"
	"permis/internal/app/exams"
	"permis/internal/date"
	"permis/internal/ephoto"
	"permis/internal/exam"
	"permis/internal/pdftext/pdftest"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/testtool"
	"permis/internal/twoddoc"
)

// Issue 14, "Done means", the first journey, in Chromium with axe on every
// page: a person who holds NO licence signs in, registers from Mon espace ›
// Mon examen du permis › M'inscrire; an agent accepts from the back
// office's pages; the NEPH is shown; the approved operator reports the
// theory pass through its API (its own token, over HTTP); the candidate
// books a place declaring the accompanying person and the dual-control car
// (an incomplete declaration is refused first, the error summary linking
// to the fields); the environment's clock reaches the exam day; the
// examiner records "Favorable" from the half-day's sheet; the candidate
// downloads the CEPC (its text read from the PDF, its 2D-Doc read back
// from the printed symbol), verifies it at /verifier, and files the
// first-licence request without uploading the CEPC: the service found it.
func TestCandidatLibreFromRegistrationInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()
	born := date.Today(e.Clock.Now()).AddYears(-19)
	ines := signIn(t, e, "fc-libre", "Inès Claire", "Nouvel", born)
	if ines.Account.LicenceLinked {
		t.Fatal("the candidate's account is linked to a licence")
	}

	// Registration, from the home page's "Passer le permis" (Mon espace's
	// tile leads to the same page).
	b.SetCookie(e.URL, ines.Cookie())
	checked(b.Visit(e.URL+"/"), 200)
	checked(b.Follow("#home-exam"), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace/examen") {
		t.Fatalf("the home page's « Mon examen » leads to %s", b.URL())
	}
	if b.Exists(`a[id^="book-"]`) {
		t.Fatal("a person with no registration is offered to book")
	}
	checked(b.Follow("#exam-register"), 200)
	if !b.Exists("#french:checked") {
		b.Click(`label[for="french"]`)
	}
	attachRegistrationDocuments(t, b)
	checked(b.Submit("#exam-register-submit"), 200)
	rs, err := e.Store.ListExamRegistrationsOfUser(ctx, ines.Account.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("registrations %+v, %v", rs, err)
	}
	ref := rs[0].Reference

	// The agent accepts, from the back office's home.
	b.SetCookie(e.URL, e.Staff(t, access.Agent).Cookie())
	checked(b.Visit(e.URL+"/agents"), 200)
	checked(b.Follow(`a[href="/agents/examens"]`), 200)
	checked(b.Follow("#exam-registrations-link"), 200)
	checked(b.Submit("#accept-"+ref), 200)
	acc, err := e.Store.FindExamRegistration(ctx, ref)
	if err != nil || acc.NEPH == "" {
		t.Fatalf("accepted registration %+v, %v", acc, err)
	}
	b.SetCookie(e.URL, ines.Cookie())
	checked(b.Visit(e.URL+"/mon-espace/examen"), 200)
	if got := b.Text("#exam-neph"); got != acc.NEPH {
		t.Fatalf("NEPH shown %q, want %q", got, acc.NEPH)
	}

	// The theory test, reported by the approved operator through its API.
	op := store.User{Role: string(access.ExamOperator), Email: "centre@code-express.fr"}
	if err := e.Store.CreateUser(ctx, &op); err != nil {
		t.Fatal(err)
	}
	tok, err := exams.New(e.App.Kernel(), exam.DefaultConfig()).CreateOperatorToken(ctx, "Code Express", op.Email)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/exams/theory-results",
		strings.NewReader(`{"neph":"`+acc.NEPH+`","date":"`+date.Today(e.Clock.Now()).String()+`","result":"pass"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("operator's result: %v %v", res, err)
	}
	res.Body.Close()

	// A place, with the accompanying person and the dual-control car.
	centre, examDay := mustExamSetupPlaces(t, e) // 30 days ahead, opened an hour ago
	checked(b.Visit(e.URL+"/mon-espace/examen"), 200)
	if got := b.Text("#theory-status"); !strings.Contains(got, "Code réussi le") {
		t.Fatalf("theory status: %q", got)
	}
	key := exams.SlotKey(centre.ID, examDay, "am")
	checked(b.Follow(`#book-`+key), 200)
	b.Fill("#family_name", "Durand")
	b.Fill("#since", date.Today(e.Clock.Now()).AddYears(-3).French()) // under 5 years on the exam day
	checked(b.Submit("#exam-book-submit"), 422)
	if !b.Exists(`#resume-erreurs a[href="#since"]`) || !b.Exists(`#resume-erreurs a[href="#dual_control"]`) {
		t.Fatal("the error summary does not link to the fields to correct")
	}
	b.Fill("#given_names", "Marc")
	b.Fill("#since", "01/03/1995")
	for _, c := range []string{"not_instructor", "link_sworn", "dual_control"} {
		if !b.Exists("#" + c + ":checked") {
			b.Click(`label[for="` + c + `"]`)
		}
	}
	checked(b.Submit("#exam-book-submit"), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace/examen?fait=reserve") || !b.Exists("#exam-bookings") {
		t.Fatalf("after booking: %s", b.URL())
	}
	bs, err := e.Store.ListExamBookings(ctx, acc.NEPH)
	if err != nil || len(bs) != 1 {
		t.Fatalf("bookings %+v, %v", bs, err)
	}
	place := bs[0].Reference

	// The exam day: the examiner records the result from the sheet.
	e.Clock.Add(time.Duration(examDay-date.Today(e.Clock.Now())) * 24 * time.Hour)
	if date.Today(e.Clock.Now()) != examDay {
		t.Fatalf("the clock is at %s, not the exam day %s", date.Today(e.Clock.Now()), examDay)
	}
	b.SetCookie(e.URL, e.Staff(t, access.Agent).Cookie())
	checked(b.Visit(e.URL+"/agents"), 200)
	checked(b.Follow(`a[href="/agents/examens"]`), 200)
	checked(b.Follow(`a[href="/agents/examens/`+strconv.FormatInt(centre.ID, 10)+`/`+examDay.String()+`/am"]`), 200)
	checked(b.Follow(`#place-`+place+` button[value="favourable"]`), 200) // the button says which result
	if got := b.Text("#place-" + place); !strings.Contains(got, "favorable") {
		t.Fatalf("the sheet after the result: %q", got)
	}

	// The CEPC: downloaded, read, its symbol read back.
	ines = signIn(t, e, "fc-libre", "Inès Claire", "Nouvel", born) // a month later: a new session
	b.SetCookie(e.URL, ines.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-exam"), 200)
	path := b.Download("#cepc-" + place)
	pdf, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("CEPC download: %v", err)
	}
	text := pdftest.PageText(t, pdf)
	for _, want := range []string{"NOUVEL", acc.NEPH, examDay.French(), "/verifier"} {
		if !strings.Contains(strings.ToUpper(text), strings.ToUpper(want)) {
			t.Errorf("the CEPC does not say %q:\n%s", want, text)
		}
	}
	printed := printedCode(t, pdf)
	doc, err := twoddoc.Decode(twoddoc.Unescape(strings.Join(twoddoc.PrintedLines(printed), "")))
	if err != nil {
		t.Fatalf("printed code: %v", err)
	}
	if f, _ := doc.Field("AC"); f.Value != acc.NEPH || doc.Header.DocType != "AD" {
		t.Fatalf("printed code: type %s, NEPH %q", doc.Header.DocType, f.Value)
	}
	readBack := readSymbol(t, pdf)

	// Verified at /verifier, by anyone, from the symbol read back.
	b.SetCookie(e.URL, &http.Cookie{Name: ines.Cookie().Name, Value: "", MaxAge: -1})
	checked(b.Visit(e.URL+"/verifier"), 200)
	b.Fill("#code", twoddoc.Escape(readBack))
	checked(b.Submit("#verify-doc-submit"), 200)
	if got := b.Text("#issued"); !strings.Contains(got, "certificat d'examen du permis de conduire (CEPC)") {
		t.Fatalf("/verifier: %q", got)
	}

	// The first-licence request, without uploading the CEPC.
	code := ephoto.New()
	capture, err := ephoto.DefaultConfig().NewCapture(code, op.ID, "AGR-34-7", "p/photo.jpg", "p/sig.png", e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.CreateEPhotoCode(ctx, &capture); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "piece.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n% une pièce numérisée\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.SetCookie(e.URL, ines.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-requests"), 200)
	checked(b.Follow(`#request-types a[href="/mes-demarches/nouvelle/`+requests.FirstLicence.Slug()+`"]`), 200)
	checked(b.Submit("#start-request"), 200)
	if !b.Exists("#categorie-B:checked") {
		t.Fatal("the draft is not prefilled with the CEPC's category B")
	}
	b.Fill("#departement", "34")
	checked(b.Submit("#step-submit"), 200)
	cepcStep := regexp.MustCompile(`/etape/` + requests.DocExamCertificate.Slug() + `$`)
	for steps := 0; !strings.HasSuffix(b.URL(), "/etape/verification"); steps++ {
		switch {
		case steps > 8:
			t.Fatalf("still filling at %s", b.URL())
		case cepcStep.MatchString(b.URL()):
			t.Fatalf("the CEPC is asked: %s", b.URL())
		case b.Exists("#ephoto_code"):
			b.Click(`label[for="photo-code"]`)
			b.Fill("#ephoto_code", string(code))
		case b.Exists("#document"):
			if err := chromedp.Do(b.Context(), chromedp.SetUploadFiles(chromedp.CSS("#document"), []string{file})); err != nil {
				t.Fatal(err)
			}
		case b.Exists("#stamp_number"):
			t.Fatalf("a first licence asks for a stamp: %s", b.URL())
		}
		checked(b.Submit("#step-submit"), 200)
	}
	if got := b.Text("#exam_certificate"); !strings.Contains(got, "Retrouvé") || !strings.Contains(got, acc.NEPH) {
		t.Fatalf("check your answers does not say the CEPC was found: %q", got)
	}
	if b.Exists(".permis-missing") {
		t.Fatalf("something is missing: %s", b.Text("#check-answers"))
	}
	checked(b.Submit("#submit-request"), 200)
	if !strings.HasSuffix(b.URL(), "/confirmation") || !strings.HasPrefix(b.Text("#reference"), "DEM-") {
		t.Fatalf("after filing: %s", b.URL())
	}
	filed, err := e.Store.ListRequestsOfOwner(ctx, ines.Account.ID)
	if err != nil || len(filed) != 1 || filed[0].Reference != b.Text("#reference") || filed[0].NEPH != acc.NEPH {
		t.Fatalf("filed requests %+v, %v (want one under NEPH %s)", filed, err, acc.NEPH)
	}
	r := filed[0]
	docs, err := e.Store.ListRequestDocuments(ctx, r.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Document == requests.DocExamCertificate {
			t.Fatalf("a CEPC was uploaded: %+v", d)
		}
	}
}

// readSymbol reads the 2D-Doc symbol printed on the first page of pdf
// back with dmtxread (its top right quarter, where the symbol is).
func readSymbol(t *testing.T, pdf []byte) string {
	t.Helper()
	tools := testtool.Need(t, "poppler-utils dmtx-utils", "pdftoppm", "dmtxread")
	dir := t.TempDir()
	file := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	png := filepath.Join(dir, "page")
	if out, err := exec.Command(tools[0], "-r", "200", "-f", "1", "-l", "1", "-gray", "-png", "-singlefile",
		"-x", "780", "-y", "0", "-W", "870", "-H", "600", file, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command(tools[1], "-N1", png+".png").Output()
	if err != nil {
		t.Fatalf("dmtxread: %v", err)
	}
	return string(out)
}
