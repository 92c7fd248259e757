package portal_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/oidcdemo"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
)

// A citizen buys the fiscal stamp inside a loss request in Chromium:
// "Acheter le timbre" sends the browser to the built-in test provider's
// page; a refusal comes back as "Paiement refusé" with nothing recorded;
// paying comes back with the stamp's number (recorded by the provider's
// signed notice, not by the browser); a photographer's ePhoto code issued
// through the API replaces the paper form, its photo and signature shown
// for confirmation; the request is then submitted with that stamp reserved. axe-core checks our pages (not the provider's,
// which stands for a service outside ours).
func TestStampPurchaseInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()

	// The draft is complete but for its stamp.
	s := e.Citizen(t, "48m", true)
	dp, person := e.Person(t, "48m")
	r, err := e.App.StartRequest(ctx, s.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	yes, dep := true, "34"
	if _, err := e.App.SaveAnswers(ctx, s.Request, r.ID, app.DraftInput{Departement: &dep, LossDeclared: &yes, Answers: &app.Answers{LossDate: date.Some(date.MustParse("2024-06-01")), LossPlace: "Montpellier"}, PaperPhoto: &yes}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []requests.Document{requests.DocIdentity, requests.DocAddress} {
		up := app.Upload{Name: string(d) + ".pdf", Body: bytes.NewReader([]byte("%PDF-1.4\n% " + string(d) + "\n"))}
		if _, err := e.App.AddDocument(ctx, s.Request, r.ID, string(d), up); err != nil {
			t.Fatal(err)
		}
	}

	// Sign in, then open the stamp step.
	step := e.URL + app.StampStepPath(r.ID)
	if got := b.Visit(step); got != 200 || !strings.Contains(b.URL(), "/connexion?retour=") {
		t.Fatalf("anonymous visit: %d at %s", got, b.URL())
	}
	checked(b.Follow("#oidc-button"), 200)
	b.Click(`input[name="personne"][value="` + oidcdemo.FromPerson(dp.Key, person).Subject + `"]`)
	if got := b.Follow(`button[value="connexion"]`); got != 200 || !strings.HasSuffix(b.URL(), app.StampStepPath(r.ID)) {
		t.Fatalf("after sign-in: %d at %s", got, b.URL())
	}
	b.CheckA11y(t)
	if !b.Exists("#buy") || !strings.Contains(b.Text("#buy"), "25") {
		t.Fatalf("stamp step without the purchase: %q", b.Text("main"))
	}

	// A mistyped number is refused on the same page, the purchase still offered.
	b.Fill("#stamp_number", "4200 0000")
	checked(b.Submit("#step-submit"), 422)
	if !b.Exists("#buy") || !strings.Contains(b.Text(".fr-error-text, .fr-message--error, #stamp_number-messages"), "16") {
		t.Fatalf("refused number: %q", b.Text("main"))
	}

	// The bank refuses: back on the step, nothing recorded.
	if got := b.Follow("#buy"); got != 200 || !strings.Contains(b.URL(), "/paiement-test/payer/") {
		t.Fatalf("purchase: %d at %s", got, b.URL())
	}
	if got := b.Text("h1"); !strings.Contains(got, "25,00") {
		t.Fatalf("provider's page: %q", got)
	}
	// The provider's page has the site's layout: skip link, header, footer,
	// and it passes axe like every other page.
	for _, sel := range []string{`a[href="#contenu"]`, "header", "footer", "main#contenu", "#test-provider"} {
		if !b.Exists(sel) {
			t.Errorf("the test payment page lacks %s", sel)
		}
	}
	b.CheckA11y(t)
	checked(b.Follow("#refuser"), 200)
	if !strings.Contains(b.URL(), app.StampStepPath(r.ID)+"?paiement=") || !strings.Contains(b.Text("#payment-status"), "refusé") {
		t.Fatalf("after a refusal: %s %q", b.URL(), b.Text("#payment-status"))
	}
	if v, _ := e.App.MyRequest(ctx, s.Request, r.ID); v.Request.StampNumber != "" {
		t.Fatalf("a refused payment recorded stamp %q", v.Request.StampNumber)
	}

	// Paid: back with the stamp's number, as the signed notice recorded it.
	if got := b.Follow("#buy"); got != 200 || !strings.Contains(b.URL(), "/paiement-test/payer/") {
		t.Fatalf("second purchase: %d at %s", got, b.URL())
	}
	checked(b.Follow("#payer"), 200)
	if got := b.Text("#payment-status"); !strings.Contains(got, "Paiement confirmé") {
		t.Fatalf("after paying: %q", got)
	}
	shown := b.Text("#bought-number")
	v, err := e.App.MyRequest(ctx, s.Request, r.ID)
	if err != nil || v.Request.StampNumber == "" {
		t.Fatalf("draft after paying: %+v %v", v.Request, err)
	}
	digits := regexp.MustCompile(`\D`).ReplaceAllString(shown, "")
	if digits != v.Request.StampNumber {
		t.Fatalf("page shows %q, draft holds %s", shown, v.Request.StampNumber)
	}
	if b.Exists("#buy") {
		t.Error("the purchase is still offered once the stamp is bought")
	}

	checked(b.Submit("#step-submit"), 200)

	// The photo: a photographer sends photo and signature through the API
	// and gets a code; the citizen types it instead of the paper form and
	// sees both images to confirm them.
	ph := store.User{Role: "photographer", Email: "studio@photo.test", ApprovalNumber: "AGR-34-9", GivenName: "Studio", FamilyName: "du Lez"}
	if err := e.Store.CreateUser(ctx, &ph); err != nil {
		t.Fatal(err)
	}
	token, err := e.App.CreatePhotographerToken(ctx, "studio du Lez", ph.Email)
	if err != nil {
		t.Fatal(err)
	}
	img := tinyPNG(t)
	body := `{"photo":"` + base64.StdEncoding.EncodeToString(img) + `","signature":"` + base64.StdEncoding.EncodeToString(img) +
		`","approval_number":"AGR-34-9"}`
	req := httptest.NewRequest(http.MethodPost, "/api/v1/ephoto", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	var issued struct {
		Code string `json:"code"`
	}
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &issued) != nil || issued.Code == "" {
		t.Fatalf("ePhoto API: %d %s", rec.Code, rec.Body)
	}
	b.VisitChecked(t, e.URL+fmt.Sprintf("/mes-demarches/%d/etape/photo", r.ID))
	b.Click(`label[for="photo-code"]`)
	b.Fill("#ephoto_code", issued.Code)
	checked(b.Submit("#step-submit"), 200)
	if !b.Exists("#ephoto-photo") || !b.Exists("#ephoto-signature") {
		t.Fatalf("no photo to confirm: %s %q", b.URL(), b.Text("main"))
	}
	checked(b.Follow("#ephoto-confirm"), 200)
	b.VisitChecked(t, e.URL+fmt.Sprintf("/mes-demarches/%d/etape/verification", r.ID))

	// "Check your answers" and submit.
	if !strings.HasSuffix(b.URL(), "/etape/verification") || b.Exists(".permis-missing") {
		t.Fatalf("check your answers: %s %q", b.URL(), b.Text("main"))
	}
	if !strings.Contains(b.Text("main"), issued.Code[len(issued.Code)-4:]) && !strings.Contains(b.Text("main"), "ePhoto") {
		t.Errorf("check your answers does not show the photo code: %q", b.Text("main"))
	}
	checked(b.Submit("#submit-request"), 200)
	ref := b.Text("#reference")
	if ref != r.Reference || !strings.HasSuffix(b.URL(), "/confirmation") {
		t.Fatalf("confirmation: %q at %s", ref, b.URL())
	}
	st, err := e.Store.FindStamp(ctx, stamp.Number(v.Request.StampNumber))
	if err != nil || st.State != stamp.Reserved || st.RequestRef != ref || st.Amount != 2500 {
		t.Fatalf("stamp after filing: %+v %v", st, err)
	}

	// The receipt downloads from the confirmation, as a PDF named after
	// the reference.
	file := b.Download("#receipt-pdf")
	data, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) || !strings.Contains(filepath.Base(file), ref) {
		t.Fatalf("receipt %s: %q %v", file, data[:min(len(data), 8)], err)
	}
}

// tinyPNG is a valid 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	m := image.NewGray(image.Rect(0, 0, 2, 2))
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
