package portal_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"permis/internal/pdftext/pdftest"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// printedCode is the text printed under the 2D-Doc of one of our PDFs, as a
// copy from a PDF reader gives it: its lines, one after the other, with
// their line breaks.
func printedCode(t *testing.T, pdf []byte) string {
	t.Helper()
	runs := pdftest.ExtractRuns(t, pdf)
	for i, r := range runs {
		if !strings.HasPrefix(r.Text, "DC04") {
			continue
		}
		lines := []string{r.Text}
		for _, n := range runs[i+1:] {
			if n.Page != r.Page || n.X != r.X || n.Y >= r.Y {
				break
			}
			lines = append(lines, n.Text)
			r = n
		}
		return strings.Join(lines, "\r\n") // a textarea sends CRLF
	}
	t.Fatal("no 2D-Doc text in the PDF")
	return ""
}

// The text printed on our own attestation, with its line breaks, verifies
// on /verifier (it was refused: "caractère 0x0D non autorisé"), and the
// page says what the verdict means for a person; a modified code is an
// error (red) that shows none of its values; an unreadable text is a form
// error in plain French, with the technical detail folded.
func TestVerifierReadsThePrintedText(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	s := e.Citizen(t, "48m", true)
	res := e.Do(t, s, http.MethodPost, "/mon-espace/documents/attestation", map[string]string{})
	pdf, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("attestation: %d", res.StatusCode)
	}
	code := printedCode(t, pdf)
	if n := strings.Count(code, "\n"); n < 3 {
		t.Fatalf("the printed code is on %d lines, the test wants a wrapped one:\n%s", n+1, code)
	}
	verify := func(text string) (int, string) {
		res := e.Do(t, routertest.Session{}, http.MethodPost, "/verifier", map[string]string{"code": text})
		return res.StatusCode, read(t, res)
	}

	status, body := verify(code)
	if status != http.StatusOK || !strings.Contains(body, `data-status="valid"`) {
		t.Fatalf("our own printed attestation: %d\n%s", status, between(body, `<main`, `</main>`))
	}
	for _, want := range []string{
		`role="status"`, "Document authentique", `id="issued"`, "attestation de droits à conduire", "GARNIER",
		`<details class="fr-mt-2w" id="verdict-detail">`, `<title>Document authentique`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("valid verdict: no %q", want)
		}
	}

	status, body = verify(strings.Replace(code, "GARNIER", "GARNIEZ", 1))
	main := regexp.MustCompile(`(?s)<textarea.*?</textarea>`).ReplaceAllString(between(body, "<main", "</main>"), "")
	if status != http.StatusOK || !strings.Contains(main, `data-status="bad_signature"`) {
		t.Fatalf("a modified code: %d\n%s", status, main)
	}
	for _, want := range []string{`fr-alert--error`, `role="alert"`, "Document non authentique", "<title>Erreur : "} {
		if !strings.Contains(body, want) {
			t.Errorf("modified code: no %q", want)
		}
	}
	for _, forged := range []string{"GARNIEZ", `id="fields"`, `id="header"`, "fr-alert--warning"} {
		if strings.Contains(main, forged) {
			t.Errorf("modified code: the page shows %q", forged)
		}
	}

	status, body = verify("DC04FR0000011E47")
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("a truncated code: %d", status)
	}
	for _, want := range []string{"<title>Erreur : ", `aria-invalid="true"`, `aria-describedby="code-error"`,
		"Le texte est incomplet", `id="code-detail"`, "en-tête, position"} {
		if !strings.Contains(body, want) {
			t.Errorf("truncated code: no %q", want)
		}
	}
	if i, j := strings.Index(body, "en-tête, position"), strings.Index(body, `id="code-detail"`); i < j {
		t.Error("the technical reason is not under the disclosure")
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	j := strings.LastIndex(s, to)
	if i < 0 || j < i {
		return s
	}
	return s[i:j]
}
