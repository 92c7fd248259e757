package statement

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"permis/internal/date"
	"permis/internal/testtool"
)

// The attestation d'inscription prints the NEPH, the tests to take, and its
// signed 2D-Doc with the way to /verifier; where pdftoppm and dmtxread are
// installed, the printed symbol reads back as the exact code.
func TestRenderExamRegistration(t *testing.T) {
	doc := testDocument("INS-ABCD2345")
	doc.Uncompressed = false
	d := ExamRegistration{Document: doc, Holder: dupont(), NEPH: "261234567890", Category: "B",
		Accepted: date.MustParse("2026-12-07"), Theory: true, Practical: false, Probationary: true}
	r, err := RenderExamRegistration(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(r.PDF, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	var facts []string
	for _, s := range r.Outline.Sections {
		facts = append(facts, s.Text)
		for _, f := range s.Fields {
			facts = append(facts, f[0]+"="+f[1])
		}
	}
	all := strings.Join(facts, "|")
	for _, want := range []string{"Numéro de dossier (NEPH)=261234567890", "Épreuves à passer=épreuve théorique (code) seulement",
		"Permis obtenu=probatoire", "en lisant le code 2D-Doc ou sur https://permis.example/verifier"} {
		if !strings.Contains(all, want) {
			t.Errorf("outline lacks %q: %s", want, all)
		}
	}
	if strings.Contains(all, "ne porte pas") {
		t.Errorf("the attestation still says it carries no code: %s", all)
	}
	d.NEPH = ""
	if _, err := RenderExamRegistration(d); err == nil {
		t.Error("rendered without a NEPH")
	}

	tools := testtool.Need(t, "poppler-utils dmtx-utils", "pdftoppm", "dmtxread")
	dir := t.TempDir()
	file := filepath.Join(dir, "attestation.pdf")
	if err := os.WriteFile(file, r.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	const dpi = 300
	mm := func(v float64) string { return strconv.Itoa(int(v * dpi / 25.4)) }
	png := filepath.Join(dir, "symbol")
	if out, err := exec.Command(tools[0], "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-gray", "-png", "-singlefile",
		"-x", mm(symbolX-5), "-y", mm(symbolY-5), "-W", mm(barcodeSide+10), "-H", mm(barcodeSide+10), file, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command(tools[1], "-N1", png+".png").Output()
	if err != nil {
		t.Fatalf("dmtxread: %v", err)
	}
	if string(out) != testCode {
		t.Errorf("read back %q\nwant %q", visibleControls(string(out)), visibleControls(testCode))
	}
}
