package portal_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app/exams"
	"permis/internal/exam"
	"permis/internal/store"
	"permis/internal/twoddoc"
)

// Issue 14, "Done means" (the part built): a candidat libre's code is
// reported by an approved operator through the API; in Chromium, with axe
// on every page, the candidate goes from Mon espace to Mon examen, books a
// place with the accompanying person and the dual-control car declared
// (an incomplete declaration is refused first), passes (the examiner's
// result, recorded here through the store: the place is in the future),
// downloads the CEPC and verifies it at /verifier.
func TestCandidatLibreExamInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()
	s := e.Citizen(t, "twelve", true)
	dp, _ := e.Person(t, "twelve")

	// The theory test, reported by the approved operator (its own token).
	op := store.User{Role: string(access.ExamOperator), Email: "centre@code-express.fr"}
	if err := e.Store.CreateUser(ctx, &op); err != nil {
		t.Fatal(err)
	}
	tok, err := exams.New(e.App.Kernel(), exam.DefaultConfig()).CreateOperatorToken(ctx, "Code Express", op.Email)
	if err != nil {
		t.Fatal(err)
	}
	day := e.Today.AddDays(-3).String()
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/api/v1/exams/theory-results",
		strings.NewReader(`{"neph":"`+string(dp.NEPH)+`","date":"`+day+`","result":"pass"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("operator's result: %v %v", res, err)
	}
	res.Body.Close()

	// Places published by the bureau, opened an hour ago.
	centre, examDay := mustExamSetupPlaces(t, e)

	b.SetCookie(e.URL, s.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-exam"), 200)
	if got := b.Text("#theory-status"); !strings.Contains(got, "Code réussi le") {
		t.Fatalf("theory status: %q", got)
	}
	key := exams.SlotKey(centre.ID, examDay, "am")
	checked(b.Follow(`#book-`+key), 200)
	b.Fill("#family_name", "Durand")
	b.Fill("#since", "01/03/2023") // under 5 years on the exam day
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
	bs, err := e.Store.ListExamBookings(ctx, string(dp.NEPH))
	if err != nil || len(bs) != 1 {
		t.Fatalf("bookings %+v, %v", bs, err)
	}

	// Passed.
	if err := e.Store.RecordExamResult(ctx, bs[0].ID, string(exam.Favourable), op.ID, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	checked(b.Visit(e.URL+"/mon-espace/examen"), 200)
	path := b.Download("#cepc-" + bs[0].Reference)
	pdf, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("CEPC download: %v", err)
	}
	st, err := e.Store.FindStatementRequestedBy(ctx, exams.KindCertificate, "exam:"+bs[0].Reference)
	if err != nil {
		t.Fatal(err)
	}

	// Verified at /verifier, by anyone.
	checked(b.Visit(e.URL+"/verifier"), 200)
	b.Fill("#code", twoddoc.Escape(st.Barcode))
	checked(b.Submit("#verify-doc-submit"), 200)
	if got := b.Text("#issued"); !strings.Contains(got, "certificat d'examen du permis de conduire (CEPC)") || !strings.Contains(got, st.Reference) {
		t.Fatalf("/verifier: %q", got)
	}
}
