package portal_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/pdftext/pdftest"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/stamp"
	"permis/internal/store/storetest"
	"permis/internal/testtool"
	"permis/internal/twoddoc"
)

// submittedLoss files and sends a loss request for s, with the loss
// declared; it returns the request's id.
func submittedLoss(t *testing.T, e *routertest.Env, s routertest.Session) int64 {
	t.Helper()
	ctx := context.Background()
	r, err := e.App.StartRequest(ctx, s.Request, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatal(err)
	}
	n := stamp.NewNumber()
	st, err := stamp.DefaultConfig().New(n, 2500, e.Clock.Now(), "TX-LOSS")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.RegisterStamp(ctx, st); err != nil {
		t.Fatal(err)
	}
	yes, dep, sn := true, "34", string(n)
	if _, err := e.App.SaveAnswers(ctx, s.Request, r.ID, app.DraftInput{Departement: &dep, LossDeclared: &yes,
		Answers: &app.Answers{LossDate: date.Some(e.Today.AddDays(-3)), LossPlace: "Montpellier"}, PaperPhoto: &yes, StampNumber: &sn}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []requests.Document{requests.DocIdentity, requests.DocAddress} {
		up := app.Upload{Name: string(d) + ".pdf", Body: bytes.NewReader([]byte("%PDF-1.4\n% " + string(d) + "\n"))}
		if _, err := e.App.AddDocument(ctx, s.Request, r.ID, string(d), up); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.App.Submit(ctx, s.Request, r.ID); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// The attestation de perte (the paper its holder drives with for two
// months) carries the same signed 2D-Doc as the statements — read back
// from the printed symbol with dmtxread, it verifies and is recognised as
// issued here — and the categories held; it had neither.
func TestLossAttestationIsSigned(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	owner := e.Citizen(t, "48m", true)
	id := submittedLoss(t, e, owner)
	res := e.Do(t, owner, http.MethodGet, "/mes-demarches/"+strconv.FormatInt(id, 10)+"/pdf/attestation-de-perte.pdf", nil)
	pdf, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("attestation de perte: %d", res.StatusCode)
	}
	if dir := os.Getenv("PERMIS_SCREENSHOTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "attestation-de-perte.pdf"), pdf, 0o644)
	}
	text := pdftest.PageText(t, pdf)
	for _, want := range []string{"Attestation de perte du permis de conduire", "Catégories détenues", "Référence | REL-",
		"/verifier", "Déclaration de perte"} {
		if !strings.Contains(text, want) {
			t.Errorf("the attestation does not say %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "\nB |") {
		t.Errorf("category B is not listed:\n%s", text)
	}

	// The printed text verifies, and is ours.
	printed := printedCode(t, pdf)
	vres := e.Do(t, routertest.Session{}, http.MethodPost, "/verifier", map[string]string{"code": printed})
	page := read(t, vres)
	for _, want := range []string{`data-status="valid"`, "attestation de perte du permis de conduire, référence", "Date de fin de validité"} {
		if !strings.Contains(page, want) {
			t.Errorf("/verifier on the attestation de perte: no %q", want)
		}
	}

	// The symbol reads back as that code.
	tools := testtool.Need(t, "poppler-utils dmtx-utils", "pdftoppm", "dmtxread")
	dir := t.TempDir()
	file := filepath.Join(dir, "perte.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	// The top right quarter of the first page (the symbol's corner), at 200 dpi.
	png := filepath.Join(dir, "page")
	if out, err := exec.Command(tools[0], "-r", "200", "-f", "1", "-l", "1", "-gray", "-png", "-singlefile",
		"-x", "780", "-y", "0", "-W", "870", "-H", "600", file, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command(tools[1], "-N1", png+".png").Output()
	if err != nil {
		t.Fatalf("dmtxread: %v", err)
	}
	want := strings.Join(twoddoc.PrintedLines(printed), "")
	if string(out) != twoddoc.Unescape(want) {
		t.Errorf("read back %q\nprinted   %q", twoddoc.Escape(string(out)), want)
	}
	vres = e.Do(t, routertest.Session{}, http.MethodPost, "/verifier", map[string]string{"code": string(out)})
	if page := read(t, vres); !strings.Contains(page, `data-status="valid"`) || !strings.Contains(page, `id="issued"`) {
		t.Errorf("the symbol read back does not verify as ours: %d", vres.StatusCode)
	}
}
