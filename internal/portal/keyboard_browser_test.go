package portal_test

import (
	"os"
	"strings"
	"testing"

	"permis/internal/browsertest"
	"permis/internal/oidcdemo"
)

// The RGAA audit's four journeys, with real key events in Chromium
// (docs/accessibility-audit.md): sign-in → points → documents; a loss
// request with errors; an appointment without an account; the two
// verification forms. On every page: the skip link is the first stop and
// works, focus is visible at every stop; after every failed submission,
// focus is on the error summary and every field in error is marked
// aria-invalid and linked to its message; and at 320 px, no page scrolls
// sideways.
func TestKeyboardJourneysInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	var visited []string
	keyboard := func() {
		t.Helper()
		visited = append(visited, b.URL())
		b.CheckKeyboard(t, 80)
	}
	failed := func(status int) {
		t.Helper()
		checked(status, 422)
		b.CheckFormErrors(t)
	}

	// Anonymous pages and the two verification forms.
	for _, path := range []string{"/", "/connexion", "/aide", "/verification-permis", "/verifier", "/rendez-vous"} {
		if got := b.VisitChecked(t, e.URL+path); got != 200 {
			t.Fatalf("%s: %d", path, got)
		}
		keyboard()
	}
	if got := b.VisitChecked(t, e.URL+"/verification-permis"); got != 200 {
		t.Fatalf("check form: %d", got)
	}
	failed(b.Submit("#check-submit"))
	if got := b.VisitChecked(t, e.URL+"/verifier"); got != 200 {
		t.Fatalf("verify form: %d", got)
	}
	failed(b.Submit("#verify-doc-submit"))

	// An appointment without an account: nothing typed.
	if got := b.VisitChecked(t, e.URL+"/rendez-vous"); got != 200 {
		t.Fatalf("booking: %d", got)
	}
	checked(b.Follow(`#points a`), 200)
	keyboard()
	checked(b.Follow(`#kinds a`), 200)
	for range 3 {
		if b.Exists(`.permis-slots a`) {
			break
		}
		checked(b.Follow(`#next-week`), 200)
	}
	keyboard()
	checked(b.Follow(`.permis-slots a`), 200)
	keyboard()
	failed(b.Submit("#book-submit"))
	// The summary follows the form: the name before the email.
	if s := b.Text("#resume-erreurs"); strings.Index(s, "nom") > strings.Index(s, "adresse") {
		t.Errorf("the booking's error summary does not follow the form's order: %q", s)
	}

	// Sign in, link with a wrong number, then the right one; points; documents.
	e.Citizen(t, "48m", false)
	dp, person := e.Person(t, "48m")
	if got := b.VisitChecked(t, e.URL+"/mon-espace"); got != 200 {
		t.Fatalf("my space: %d", got)
	}
	checked(b.Follow("#oidc-button"), 200)
	keyboard() // the demo identity provider's page
	b.Click(`input[name="personne"][value="` + oidcdemo.FromPerson(dp.Key, person).Subject + `"]`)
	checked(b.Follow(`button[value="connexion"]`), 200)
	keyboard()
	if got := b.VisitChecked(t, e.URL+"/mon-espace/permis/rattacher"); got != 200 {
		t.Fatalf("link: %d", got)
	}
	keyboard()
	b.Fill("#number", "12")
	failed(b.Submit("#number"))
	b.Fill("#number", dp.NEPH.String())
	checked(b.Submit("#number"), 200)
	keyboard() // my points
	if got := b.VisitChecked(t, e.URL+"/mon-espace/documents"); got != 200 {
		t.Fatalf("documents: %d", got)
	}
	keyboard()
	// Each document's accessible version: the same content as the PDF, and
	// its verification code, which verifies.
	for _, doc := range []struct{ button, title string }{
		{"#view-attestation", "Attestation de droits à conduire"},
		{"#view-full", "Relevé d'information intégral"},
	} {
		if got := b.VisitChecked(t, e.URL+"/mon-espace/documents"); got != 200 {
			t.Fatalf("documents: %d", got)
		}
		checked(b.Follow(doc.button), 200)
		if got := b.Text("h1"); got != doc.title {
			t.Errorf("accessible version of %s: h1 %q", doc.title, got)
		}
		b.CheckKeyboard(t, 120)
		if dir := os.Getenv("PERMIS_SHOTS"); dir != "" {
			b.Screenshot(dir + "/" + strings.TrimPrefix(doc.button, "#") + ".png")
		}
		code := b.Text("#doc-code")
		ref := b.Text("#doc-facts dd")
		if got := b.VisitChecked(t, e.URL+"/verifier"); got != 200 {
			t.Fatalf("verify: %d", got)
		}
		b.Fill("#code", code)
		checked(b.Submit("#verify-doc-submit"), 200)
		if got := b.Text("#verdict"); !strings.Contains(got, "valide") || !strings.Contains(b.Text("#issued"), ref) {
			t.Errorf("the code of the accessible %s (ref %s) does not verify as ours: %q / %q", doc.title, ref, got, b.Text("#issued"))
		}
	}

	// A loss request whose declaration is left unticked.
	if got := b.VisitChecked(t, e.URL+"/mes-demarches"); got != 200 {
		t.Fatalf("my requests: %d", got)
	}
	keyboard()
	checked(b.Follow(`#request-types a[href*="/mes-demarches/nouvelle/"][href*="perte"], #request-types a[href$="/loss"]`), 200)
	keyboard()
	checked(b.Submit("#start-request"), 200)
	keyboard()
	b.Fill("#departement", "34")
	checked(b.Submit("#step-submit"), 200)
	keyboard()
	failed(b.Submit("#step-submit")) // the declaration (or the loss's date and place) left empty

	// At 320 px, no page scrolls sideways.
	b.Viewport(320, 640)
	for _, u := range visited {
		b.Visit(u)
		b.CheckNoHorizontalScroll(t)
	}
}

// Text at 200 % (the root font size doubled, as a person who enlarges the
// text only): the desktop header keeps every link readable and inside the
// window (RGAA 10.4).
func TestHeaderWithTextAt200PercentInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	e.Citizen(t, "48m", false)
	dp, person := e.Person(t, "48m")
	b.Visit(e.URL + "/")
	zoomText(t, b)
	checkHeaderFits(t, b)
	// Signed in, the header has the person's name and "Se déconnecter".
	b.Visit(e.URL + "/mon-espace")
	checked(b.Follow("#oidc-button"), 200)
	b.Click(`input[name="personne"][value="` + oidcdemo.FromPerson(dp.Key, person).Subject + `"]`)
	checked(b.Follow(`button[value="connexion"]`), 200)
	zoomText(t, b)
	if dir := os.Getenv("PERMIS_SHOTS"); dir != "" {
		b.Screenshot(dir + "/header-200.png")
	}
	checkHeaderFits(t, b)
}

// zoomText doubles the root font size, as the browser's "text only" zoom.
func zoomText(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	b.With(t).Eval(`document.documentElement.style.fontSize = "200%"`)
}

// checkHeaderFits fails t when a link or the service title of the header is
// cut (its text wider than its box) or outside the window.
func checkHeaderFits(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	var problems []string
	b.With(t).EvalInto(`(() => {
  const out = [], w = document.documentElement.clientWidth;
  // The text's own box (a Range over it), against the window and against
  // every ancestor that clips what overflows it.
  const textRect = e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect(); };
  for (const e of document.querySelectorAll("header a, header button, header .fr-header__service-title, header .fr-logo")) {
    const r = textRect(e);
    if (r.width === 0 || getComputedStyle(e).visibility === "hidden" || e.closest("[hidden], .fr-header__menu")) continue;
    const name = (e.innerText || e.className).trim().replace(/\s+/g, " ");
    if (r.right > w + 0.5 || r.left < -0.5) { out.push(name + " : hors de la fenêtre"); continue; }
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === "visible" && s.overflowY === "visible") continue;
      const ar = a.getBoundingClientRect();
      if (r.right > ar.right + 1 || r.left < ar.left - 1 || r.bottom > ar.bottom + 1) { out.push(name + " : texte coupé"); break; }
    }
  }
  if (document.documentElement.scrollWidth > w) out.push("la page défile horizontalement");
  return out;
})()`, &problems)
	for _, p := range problems {
		t.Errorf("en-tête avec le texte à 200 %% : %s", p)
	}
}
