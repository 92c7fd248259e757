package portal_test

import (
	"bytes"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"permis/internal/browsertest"
	"permis/internal/oidcdemo"
	"permis/internal/pdftext/pdftest"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// A citizen's whole path in a real Chromium, every page checked with
// axe-core: sign in through the OpenID provider, link the licence, read the
// points, download both PDFs, verify one by the text of its 2D-Doc, create
// a check code that an employer uses (in another browser), see the check
// listed, revoke the code, and the employer is refused.
func TestCitizenPathInABrowser(t *testing.T) {
	for _, theme := range []string{"dsfr", "neutral"} {
		t.Run(theme, func(t *testing.T) { citizenPath(t, theme) })
	}
}

func citizenPath(t *testing.T, theme string) {
	b := browsertest.New(t)
	b.Viewport(1280, 800) // a desktop: the header shows its links (a phone has them in the menu)
	if theme == "dsfr" && !dsfrBuilt() {
		if os.Getenv("PERMIS_BROWSER_REQUIRED") == "1" {
			t.Fatal("DSFR absent du binaire de test : lancez `make assets`")
		}
		t.Skip("DSFR absent : lancez `make assets`")
	}
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3, Theme: theme})
	dp, person := e.Person(t, "48m")
	start := time.Now()
	step := func(what string) { t.Logf("%6.1f s  %s", time.Since(start).Seconds(), what) }
	visit := func(path string, want int) {
		t.Helper()
		if got := b.VisitChecked(t, e.URL+path); got != want {
			t.Fatalf("%s: %d, want %d", path, got, want)
		}
	}
	checked := func(status, want int) {
		t.Helper()
		if status != want {
			t.Fatalf("%s: %d, want %d", b.URL(), status, want)
		}
		b.CheckA11y(t)
		b.CheckConsole(t)
	}

	step("sign-in")
	// Sign in with the identity provider, offered first.
	visit("/mon-espace", 200) // not signed in: the sign-in page, coming back here after
	if !strings.Contains(b.URL(), "/connexion?retour=") {
		t.Fatalf("anonymous visit of my space ended at %s", b.URL())
	}
	checked(b.Follow("#oidc-button"), 200) // the provider's page
	subject := oidcdemo.FromPerson(dp.Key, person).Subject
	b.Click(`input[name="personne"][value="` + subject + `"]`)
	checked(b.Follow(`button[value="connexion"]`), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace") {
		t.Fatalf("after sign-in: %s", b.URL())
	}
	if got := b.Text("h1"); got != "Mon espace" {
		t.Errorf("my space h1 %q", got)
	}

	step("link")
	// Link the licence, then read the points.
	visit("/mon-espace/permis/rattacher", 200)
	b.Fill("#number", "999999999999")
	checked(b.Submit("#number"), 422) // the error summary, in the page
	if !b.Exists("#resume-erreurs") {
		t.Error("no error summary after a wrong number")
	}
	b.Fill("#number", dp.NEPH.String())
	checked(b.Submit("#number"), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace/points") {
		t.Fatalf("after linking: %s", b.URL())
	}
	if got := b.Text(".fr-callout"); !strings.Contains(got, "5 points") {
		t.Errorf("balance shown %q, want 5 points", got)
	}

	step("documents")
	// Both documents; the attestation's barcode text verifies.
	visit("/mon-espace/documents", 200)
	full := readFile(t, b.Download("#download-full"))
	if !strings.Contains(pdfText(t, full), "Relevé d'information intégral") {
		t.Error("the full statement does not say what it is")
	}
	attPDF := readFile(t, b.Download("#download-attestation"))
	att := pdfText(t, attPDF)
	code := regexp.MustCompile(`DC04[A-Z0-9 /<>]*?<US>[A-Z2-7]{103}`).FindString(att)
	if code == "" {
		t.Fatalf("no 2D-Doc text in the attestation (%d bytes):\n%s", len(attPDF), att)
	}
	step("verify")
	visit("/verifier", 200)
	b.Fill("#code", code)
	checked(b.Submit("#code"), 200)
	if got := b.Text("#verdict h2"); got != "Document authentique : la signature est valide" {
		t.Errorf("verdict %q for our own attestation", got)
	}
	if got := browsertest.Eval[string](b, `document.activeElement.id`); got != "verdict" {
		t.Errorf("after verifying, the focus is on %q, not on the verdict", got)
	}
	if got := b.Text("#issued"); !strings.Contains(got, "attestation de droits à conduire, référence REL-") {
		t.Errorf("our attestation is not recognised as issued here: %q", got)
	}
	visit("/verifier", 200)
	b.Fill("#code", strings.Replace(code, "GARNIER", "GARNIEZ", 1))
	checked(b.Submit("#code"), 200)
	if got := b.Text("#verdict h2"); !strings.Contains(got, "Document non authentique") {
		t.Errorf("verdict %q for a modified attestation", got)
	}

	step("check code")
	// A check code for an employer, who uses it in another browser.
	visit("/mon-espace/codes", 200)
	b.Fill("#label", "Garage des Arceaux")
	b.Click(`label[for="single_use"]`) // several checks, so that it can be revoked after use
	checked(b.Submit("#code-create"), 201)
	checkCode := b.Text("#new-code")
	ending := dp.NEPH.String()[8:]
	employer := browsertest.New(t)
	if got := employer.VisitChecked(t, e.URL+"/verification-permis"); got != 200 {
		t.Fatalf("check page: %d", got)
	}
	employer.Fill("#code", checkCode)
	employer.Fill("#ending", ending)
	employer.Fill("#organisation", "Garage des Arceaux")
	if got := employer.Submit("#check-submit"); got != 200 {
		t.Fatalf("employer's check: %d", got)
	}
	employer.CheckA11y(t)
	if got := employer.Text("#rights-state h2"); got != "Droit à conduire valide" {
		t.Errorf("employer sees %q", got)
	}
	if strings.Contains(employer.Text("main"), "point") {
		t.Error("the employer's page mentions points")
	}
	step("employer attestation")
	adcs := pdfText(t, readFile(t, employer.Download("#check-attestation")))
	if !strings.Contains(adcs, "GARNIER") {
		t.Error("the employer's attestation does not name the holder")
	}

	step("holder sees the check")
	// The holder sees the check, and revokes the code.
	visit("/mon-espace/codes", 200)
	if main := b.Text("main"); !strings.Contains(main, "Garage des Arceaux") || !strings.Contains(main, "Attestation téléchargée") {
		t.Errorf("the holder does not see the check:\n%s", main)
	}
	checked(b.Follow(`form[action$="/revocation"] button`), 200)
	if got := b.Text(`[data-state]`); !strings.EqualFold(got, "Révoqué") { // the DSFR writes badges in capitals
		t.Errorf("code state after revocation %q", got)
	}
	step("revoked code refused")
	employer.VisitChecked(t, e.URL+"/verification-permis")
	employer.Fill("#code", checkCode)
	employer.Fill("#ending", ending)
	if got := employer.Submit("#check-submit"); got == http.StatusOK {
		t.Error("a revoked code still shows the rights")
	}
	employer.CheckA11y(t)

	step("consultations")
	// My consultations, and sign-out.
	visit("/mon-espace/consultations", 200)
	visit("/mon-espace/sms", 200)
	b.Fill("#phone", "04 67 61 61 61")
	checked(b.Submit("#sms-submit"), 422) // a landline: the error summary
	b.Fill("#phone", "06 12 34 56 78")
	checked(b.Submit("#sms-submit"), 200)
	checked(b.Follow(`form[action="/deconnexion"] button`), 200)
	visit("/mon-espace/points", 200)
	if !strings.Contains(b.URL(), "/connexion") {
		t.Errorf("after sign-out, my points is at %s", b.URL())
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF", path)
	}
	return b
}

var tjRE = regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`)

// pdfText is the text a PDF of ours shows: every string drawn with Tj in
// its pages' content streams (read by their declared length, never by
// looking for "endstream", which compressed bytes may contain), joined,
// with PDF string escapes and the cp1252 accents read back.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for _, content := range pdftest.Parse(t, pdf).Pages(t) {
		for _, s := range tjRE.FindAllSubmatch(content, -1) {
			out.WriteString(unescapePDF(s[1]))
		}
		out.WriteByte('\n')
	}
	return out.String()
}

func unescapePDF(b []byte) string {
	var s strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\\' && i+1 < len(b) {
			i++
			c = b[i]
			if c >= '0' && c <= '7' { // octal
				n := 0
				for j := 0; j < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; j++ {
					n = n*8 + int(b[i]-'0')
					i++
				}
				i--
				c = byte(n)
			}
		}
		switch {
		case c < 0x80:
			s.WriteByte(c)
		case c == 0xe9:
			s.WriteString("é")
		case c == 0xe8:
			s.WriteString("è")
		case c == 0xe0:
			s.WriteString("à")
		default:
			s.WriteRune(rune(c)) // latin-1 is close enough for what the tests read
		}
	}
	return s.String()
}

// dsfrBuilt reports whether `make assets` put the DSFR into the binary.
func dsfrBuilt() bool {
	_, err := os.Stat("../web/dsfr/dist/dsfr.min.css")
	return err == nil
}

// startInBrowser starts the service (the DSFR theme when `make assets` built
// it in, else the neutral one) with licences demo licences, and a desktop
// Chromium tab; checked asserts a page's status, then runs axe-core and the
// console check on it.
func startInBrowser(t *testing.T, licences int) (*browsertest.Browser, *routertest.Env, func(status, want int)) {
	t.Helper()
	b := browsertest.New(t)
	b.Viewport(1280, 800)
	theme := "dsfr"
	if !dsfrBuilt() {
		theme = "neutral" // the same pages without the State design system
	}
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: licences, Theme: theme})
	checked := func(status, want int) {
		t.Helper()
		if status != want {
			t.Fatalf("%s: %d, want %d", b.URL(), status, want)
		}
		b.CheckA11y(t)
		b.CheckConsole(t)
	}
	return b, e, checked
}
