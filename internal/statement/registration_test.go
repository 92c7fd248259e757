package statement

import (
	"bytes"
	"strings"
	"testing"

	"permis/internal/date"
	"permis/internal/twoddoc"
)

// The attestation d'inscription prints the NEPH, the tests to take, and
// says it carries no 2D-Doc instead of sending people to /verifier.
func TestRenderExamRegistration(t *testing.T) {
	doc := testDocument("INS-ABCD2345")
	doc.Barcode, doc.BarcodeText = twoddoc.Matrix{}, ""
	d := ExamRegistration{Document: doc, Holder: dupont(), NEPH: "261234567890", Category: "B",
		Accepted: date.MustParse("2026-12-07"), Theory: true, Practical: false, Probationary: true}
	r, err := RenderExamRegistration(d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(r.PDF, []byte("%PDF-")) || !bytes.Contains(r.PDF, []byte("Document sans code 2D-Doc")) ||
		bytes.Contains(r.PDF, []byte("avec le code imprim")) {
		t.Error("the PDF does not say it carries no 2D-Doc")
	}
	var facts []string
	for _, s := range r.Outline.Sections {
		for _, f := range s.Fields {
			facts = append(facts, f[0]+"="+f[1])
		}
	}
	all := strings.Join(facts, "|")
	for _, want := range []string{"Numéro de dossier (NEPH)=261234567890", "Épreuves à passer=épreuve théorique (code) seulement", "Permis obtenu=probatoire"} {
		if !strings.Contains(all, want) {
			t.Errorf("outline lacks %q: %s", want, all)
		}
	}
	d.NEPH = ""
	if _, err := RenderExamRegistration(d); err == nil {
		t.Error("rendered without a NEPH")
	}
}
