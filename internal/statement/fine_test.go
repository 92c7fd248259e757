package statement

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/pdftext/pdftest"
	"permis/internal/testtool"
)

func soldContest() FineReceipt {
	return FineReceipt{Document: testDocument("CON-7KQ4-XM2P"), Step: FineContest, Notice: "1234567890",
		Plate: "AB-123-CD", Offence: "Excès de vitesse inférieur à 20 km/h (vitesse limite de 50 km/h au plus)", Committed: date.MustParse("2025-02-01"),
		RecordedAt: time.Date(2025, time.March, 20, 9, 30, 0, 0, time.UTC), Deadline: date.MustParse("2025-04-17"),
		Details:   [][2]string{{"Motif", "J'avais vendu le véhicule"}, {"Pièces jointes", "déclaration de cession ; accusé d'enregistrement"}},
		NextSteps: []string{"L'officier du ministère public examine votre contestation.", "Ne payez pas l'amende tant qu'il n'a pas décidé."}}
}

// The three receipts print what the brief asks of each: the notice's
// number, the reference, the date recorded and the deadline, and their
// outline says the same as the PDF.
func TestFineReceipts(t *testing.T) {
	for _, step := range []FineStep{FineContest, FineDesignation, FinePayment} {
		t.Run(string(step), func(t *testing.T) {
			r := soldContest()
			r.Step = step
			d, err := RenderFineReceipt(r)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(pdftest.PageText(t, d.PDF)), " ")
			for _, want := range []string{step.Title(), "CON-7KQ4-XM2P", "Avis n° | 1234567890", "20/03/2025 à 10 h 30",
				"17/04/2025 à minuit", "AB-123-CD", "01/02/2025", "Vérifiez ce document sur https://permis.example/verifier",
				"DC04FR0000011E471E47AB01FR6HM<GS>"} {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF does not say %q:\n%s", want, text)
				}
			}
			if d.Outline.Title != step.Title() || d.Outline.Code == "" || len(d.Outline.Facts) != 4 {
				t.Errorf("outline %+v", d.Outline)
			}
			for _, s := range d.Outline.Sections {
				if !strings.Contains(text, s.Title) {
					t.Errorf("section %q of the outline is not in the PDF", s.Title)
				}
				for _, f := range s.Fields {
					if !strings.Contains(text, strings.Join(strings.Fields(f[1]), " ")) {
						t.Errorf("value %q of the outline is not in the PDF", f[1])
					}
				}
			}
		})
	}
}

func TestFineReceiptRefusals(t *testing.T) {
	for name, f := range map[string]func(*FineReceipt){
		"no notice":       func(r *FineReceipt) { r.Notice = " " },
		"no deadline":     func(r *FineReceipt) { r.Deadline = 0 },
		"not recorded":    func(r *FineReceipt) { r.RecordedAt = time.Time{} },
		"unknown step":    func(r *FineReceipt) { r.Step = "refund" },
		"no reference":    func(r *FineReceipt) { r.Reference = "" },
		"no service page": func(r *FineReceipt) { r.ServiceURL = "" },
	} {
		r := soldContest()
		f(&r)
		if _, err := RenderFineReceipt(r); err == nil {
			t.Errorf("%s: rendered", name)
		}
	}
}

// Where pdftoppm and dmtxread are installed, the receipt's symbol reads
// back as the exact code, like the statements'.
func TestFineReceiptSymbolReadsBack(t *testing.T) {
	tools := testtool.Need(t, "poppler-utils dmtx-utils", "pdftoppm", "dmtxread")
	r := soldContest()
	r.Uncompressed = false
	d, err := RenderFineReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "recepisse.pdf")
	if err := os.WriteFile(file, d.PDF, 0o600); err != nil {
		t.Fatal(err)
	}
	const dpi = 300
	mm := func(v float64) string { return strconv.Itoa(int(v * dpi / 25.4)) }
	png := filepath.Join(dir, "symbol")
	cmd := exec.Command(tools[0], "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-gray", "-png", "-singlefile",
		"-x", mm(symbolX-5), "-y", mm(symbolY-5), "-W", mm(barcodeSide+10), "-H", mm(barcodeSide+10), file, png)
	if out, err := cmd.CombinedOutput(); err != nil {
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
