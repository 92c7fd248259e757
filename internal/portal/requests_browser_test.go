package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"permis/internal/ephoto"
	"permis/internal/oidcdemo"
	"permis/internal/stamp"
	"permis/internal/store"
)

// A citizen with a linked licence files a loss request end to end in
// Chromium: the introduction, the answers, the sworn declaration, an
// ePhoto code a photographer created, each document uploaded, a stamp
// bought elsewhere, "check your answers", the submission; sees the
// confirmation with its reference and the request's timeline, then
// tracks it publicly at /suivi. Every page is checked with axe-core.
func TestLossRequestInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ctx := context.Background()

	// The account exists with its licence linked; the browser signs in
	// with the same identity.
	e.Citizen(t, "48m", true)
	dp, person := e.Person(t, "48m")

	// A photographer's ePhoto code and a stamp bought elsewhere.
	ph := store.User{Role: "photographer", Email: "studio@photo.test", ApprovalNumber: "AGR-34-7"}
	if err := e.Store.CreateUser(ctx, &ph); err != nil {
		t.Fatal(err)
	}
	code := ephoto.New()
	capture, err := ephoto.DefaultConfig().NewCapture(code, ph.ID, ph.ApprovalNumber, "p/photo.jpg", "p/sig.png", e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.CreateEPhotoCode(ctx, &capture); err != nil {
		t.Fatal(err)
	}
	number := stamp.Number("4200000000000777")
	st, err := stamp.DefaultConfig().New(number, 2500, e.Clock.Now(), "TX-777")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RegisterStamp(ctx, st); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(t.TempDir(), "piece.pdf")
	if err := os.WriteFile(doc, []byte("%PDF-1.4\n% une pièce numérisée\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Sign in, coming back to "my requests".
	if got := b.VisitChecked(t, e.URL+"/mes-demarches"); got != 200 || !strings.Contains(b.URL(), "/connexion?retour=") {
		t.Fatalf("anonymous visit: %d at %s", got, b.URL())
	}
	checked(b.Follow("#oidc-button"), 200)
	b.Click(`input[name="personne"][value="` + oidcdemo.FromPerson(dp.Key, person).Subject + `"]`)
	checked(b.Follow(`button[value="connexion"]`), 200)
	if !strings.HasSuffix(b.URL(), "/mes-demarches") || !b.Exists("#no-request") {
		t.Fatalf("after sign-in: %s", b.URL())
	}

	// The introduction, then the draft.
	checked(b.Follow(`#request-types a[href="/mes-demarches/nouvelle/perte"]`), 200)
	if got := b.Text("#intro-stamp"); !strings.Contains(got, "25") {
		t.Errorf("introduction's stamp: %q", got)
	}
	checked(b.Submit("#start-request"), 200)
	if !strings.HasSuffix(b.URL(), "/etape/informations") || !b.Exists(".fr-stepper") {
		t.Fatalf("after starting: %s", b.URL())
	}
	b.Fill("#departement", "34")
	checked(b.Submit("#step-submit"), 200)

	// The declaration is required: refused without, then given.
	if !strings.HasSuffix(b.URL(), "/etape/declaration") {
		t.Fatalf("after the answers: %s", b.URL())
	}
	checked(b.Submit("#step-submit"), 422)
	b.Click(`label[for="loss_declared"]`)
	checked(b.Submit("#step-submit"), 422) // the date and place of the loss are asked too
	if !b.Exists("#loss_date") || !b.Exists("#loss_place") {
		t.Fatal("the declaration does not ask the date and place of the loss")
	}
	b.Fill("#loss_date", "03/01/2026")
	b.Fill("#loss_place", "Montpellier")
	if !b.Exists("#loss_declared:checked") {
		b.Click(`label[for="loss_declared"]`)
	}
	checked(b.Submit("#step-submit"), 200)

	// The ePhoto code.
	if !strings.HasSuffix(b.URL(), "/etape/photo") {
		t.Fatalf("after the declaration: %s", b.URL())
	}
	b.Click(`label[for="photo-code"]`)
	b.Fill("#ephoto_code", string(code))
	checked(b.Submit("#step-submit"), 200)

	// Each document the requirements ask.
	docs := 0
	for b.Exists("#document") {
		// Addresses and file names are French: /etape/piece-identite.
		if u := b.URL(); !regexp.MustCompile(`/etape/[a-z-]+$`).MatchString(u) || strings.Contains(u, "_") {
			t.Errorf("document step at %s, want a French slug", u)
		}
		if err := chromedp.Do(b.Context(), chromedp.SetUploadFiles(chromedp.CSS("#document"), []string{doc})); err != nil {
			t.Fatal(err)
		}
		checked(b.Submit("#step-submit"), 200)
		if docs++; docs > 6 {
			t.Fatalf("still asking documents at %s", b.URL())
		}
	}
	if docs < 2 {
		t.Errorf("%d documents asked, want at least the identity and the address proof", docs)
	}

	// The stamp.
	if !strings.HasSuffix(b.URL(), "/etape/timbre") {
		t.Fatalf("after the documents: %s", b.URL())
	}
	b.Fill("#stamp_number", "4200 0000 0000 0777")
	checked(b.Submit("#step-submit"), 200)

	// Check your answers: nothing missing, then a change through "Modifier".
	if !strings.HasSuffix(b.URL(), "/etape/verification") {
		t.Fatalf("after the stamp: %s", b.URL())
	}
	if b.Exists(".permis-missing") {
		t.Fatalf("check your answers shows something missing: %s", b.Text("#check-answers"))
	}
	checked(b.Follow(`#departement a`), 200)
	b.Fill("#departement", "69")
	checked(b.Submit("#step-submit"), 200)
	if !strings.HasSuffix(b.URL(), "/etape/verification") || !strings.Contains(b.Text("#departement"), "69") {
		t.Fatalf("after changing the département: %s %q", b.URL(), b.Text("#departement"))
	}
	checked(b.Submit("#submit-request"), 200)

	// The confirmation, the request's page, the attestation de perte.
	ref := b.Text("#reference")
	if !strings.HasPrefix(ref, "DEM-") || !strings.HasSuffix(b.URL(), "/confirmation") || b.Text("#expected") == "" {
		t.Fatalf("confirmation: reference %q at %s", ref, b.URL())
	}
	if s, err := e.Store.FindStamp(ctx, number); err != nil || s.State != stamp.Reserved || s.RequestRef != ref {
		t.Errorf("stamp after filing: %+v %v", s, err)
	}
	checked(b.Follow("#receipt-html"), 200) // the receipt's accessible version
	if got := b.Text("h1"); !strings.Contains(got, "Récépissé") || !strings.Contains(b.Text("main"), ref) {
		t.Errorf("accessible receipt: h1 %q", got)
	}
	b.Visit(e.URL + "/mes-demarches")
	checked(b.Follow(`#my-requests a[href^="/mes-demarches/"]`), 200)
	checked(b.Follow("#loss-link"), 200)
	if got := b.Text("#loss-reference"); got != ref {
		t.Errorf("attestation de perte for %q, want %q", got, ref)
	}
	checked(b.Follow("#loss-html"), 200) // its accessible version, with its code
	if !strings.Contains(b.Text("#doc-code"), "<US>") {
		t.Errorf("accessible attestation de perte without its verification code: %q", b.Text("#doc-code"))
	}
	checked(b.Follow(`main a[href^="/mes-demarches/"]`), 200)
	checked(b.Follow("#loss-link"), 200)
	checked(b.Follow(`.fr-breadcrumb a[href^="/mes-demarches/"]`), 200)
	if b.Text("#reference") != ref || !b.Exists("#timeline li") || b.Text("#waiting-on") == "" {
		t.Fatalf("request page: %q", b.Text("main"))
	}
	checked(b.Follow(`.fr-breadcrumb a[href="/mes-demarches"]`), 200)
	if !strings.Contains(b.Text("#my-requests"), ref) {
		t.Errorf("my requests miss %s", ref)
	}

	// The answers' pages of the other shapes (categories, a sanction with
	// its dates, yes/no questions), sent empty: their errors are checked too.
	for _, kind := range []string{"premier-permis", "restitution", "echange-permis-etranger"} {
		if got := b.VisitChecked(t, e.URL+"/mes-demarches/nouvelle/"+kind); got != 200 {
			t.Fatalf("%s introduction: %d", kind, got)
		}
		checked(b.Submit("#start-request"), 200)
		b.Fill("#departement", "2A")
		checked(b.Submit("#step-submit"), 422)
		if !b.Exists("#resume-erreurs") {
			t.Errorf("%s: no error summary", kind)
		}
	}

	// Public tracking: a wrong birth date, then the right one.
	if got := b.VisitChecked(t, e.URL+"/suivi"); got != 200 {
		t.Fatalf("tracking form: %d", got)
	}
	// The birth date is typed as people write it, JJ/MM/AAAA, like on
	// every other form of the service.
	if hint := b.Text("#birth_date-label, label[for=birth_date]"); !strings.Contains(hint, "JJ/MM/AAAA") {
		t.Errorf("tracking form's date hint %q, want JJ/MM/AAAA", hint)
	}
	b.Fill("#reference", ref)
	b.Fill("#birth_date", "01/01/1901")
	checked(b.Submit("#track-submit"), 422)
	b.Fill("#reference", strings.ToLower(ref))
	b.Fill("#birth_date", person.BirthDate.French())
	checked(b.Submit("#track-submit"), 200)
	if got := b.Text("h1"); !strings.Contains(got, ref) || b.Text("#status") == "" || !b.Exists("#timeline li") {
		t.Fatalf("tracking result: h1 %q", got)
	}
	t.Logf("filed %s with %d documents", ref, docs)
}
