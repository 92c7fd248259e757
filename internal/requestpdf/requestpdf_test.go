package requestpdf

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"permis/internal/pdftext/pdftest"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.txt from the current output")

var (
	submitted = time.Date(2026, 3, 16, 10, 5, 0, 0, time.UTC)
	issued    = time.Date(2026, 3, 17, 8, 30, 0, 0, time.UTC)
)

func receipt() Receipt {
	return Receipt{
		Issuer: "Service Permis de conduire", ServiceURL: "https://permis.example/", Reference: "DEM-2026-7KQ4XM",
		Kind: "Perte du permis de conduire", Applicant: "Camille Éloïse Garnier", BirthDate: date.MustParse("1980-02-03"),
		NEPH: "000334100001", SubmittedAt: submitted, Expected: date.Some(date.MustParse("2026-03-30")),
		Documents: []string{"Justificatif d'identité", "Justificatif de domicile de moins de 6 mois"},
		Stamp:     "n° 4200 0000 0000 0777 — 25 € (réservé pour cette demande)", Photo: "code ePhoto",
		Status: "Envoyée", NextSteps: []string{"Un agent instruit votre demande.", "Vous recevez un courriel à chaque étape."},
		IssuedAt: issued, Uncompressed: true,
	}
}

func TestGolden(t *testing.T) {
	noDocs := receipt()
	noDocs.Documents, noDocs.Stamp, noDocs.Photo, noDocs.NEPH, noDocs.Expected = nil, "", "", "", date.Null{}
	for _, c := range []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"receipt", func() ([]byte, error) { return RenderReceipt(receipt()) }},
		{"receipt_minimal", func() ([]byte, error) { return RenderReceipt(noDocs) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			pdf, err := c.render()
			if err != nil {
				t.Fatal(err)
			}
			got := pdftest.PageText(t, pdf)
			path := filepath.Join("testdata", c.name+".golden.txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("text of %s differs from %s (run go test -update if the change is intended):\n--- want\n%s\n--- got\n%s", c.name, path, want, got)
			}
		})
	}
}

// The documents carry their metadata, fit on one page and start as PDFs
// when compressed too.
func TestMetadataAndCompression(t *testing.T) {
	r := receipt()
	r.Uncompressed = false
	pdf, err := RenderReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:8])
	}
	pdf, err = RenderReceipt(receipt())
	if err != nil {
		t.Fatal(err)
	}
	f := pdftest.Parse(t, pdf)
	if n := len(f.Pages(t)); n != 1 {
		t.Errorf("receipt on %d pages, want 1", n)
	}
	if title := f.Info(t)["Title"]; !strings.Contains(title, "DEM-2026-7KQ4XM") {
		t.Errorf("title %q", title)
	}
}

func TestRefusals(t *testing.T) {
	draft := receipt()
	draft.SubmittedAt = time.Time{}
	noRef := receipt()
	noRef.Reference = ""
	for name, render := range map[string]func() ([]byte, error){
		"receipt of a draft":        func() ([]byte, error) { return RenderReceipt(draft) },
		"receipt without reference": func() ([]byte, error) { return RenderReceipt(noRef) },
	} {
		if _, err := render(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
