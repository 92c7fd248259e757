package statement

import (
	"bytes"
	"permis/internal/pdftext"
	"permis/internal/pdftext/pdftest"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"

	"permis/internal/date"
)

// Benchmarks for BENCHMARKS.md: a realistic statement (ten years, about
// fifteen movements, the 48-module 2D-Doc of testCode drawn as vectors),
// compressed as in production, beside a bare PDF with the same text lines and
// nothing else. Computing the modules (twoddoc.Modules) is the caller's job
// and is not measured here; BenchmarkFullStatementDownload in internal/portal
// measures everything.
// Run with -cpu 1 to read "documents per second per core" from docs/s.

// benchFull is a holder with fifteen movements over ten years.
func benchFull() Full {
	f := noOffences()
	f.Uncompressed = false
	f.Restrictions = []Restriction{{Code: "01.01", Category: "B", Label: "Lunettes"}}
	f.Points.Movements, f.Points.Letters = history(date.MustParse("2015-06-01"), 11)
	f.Points.Movements = f.Points.Movements[:15]
	f.Points.Balance = f.Points.Movements[len(f.Points.Movements)-1].Balance
	return f
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkFullStatement(b *testing.B) {
	f := benchFull()
	if n := len(f.Points.Movements); n != 15 {
		b.Fatalf("%d movements, want 15", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FullStatement(f); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

func BenchmarkAttestation(b *testing.B) {
	a := attestationOf(benchFull())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Attestation(a); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

// BenchmarkBarePDF is the baseline: the full statement's text lines written
// one under the other with fpdf, same font and compression, without tables,
// colours, barcode, header or footer.
func BenchmarkBarePDF(b *testing.B) {
	f := benchFull()
	f.Uncompressed = true
	pdf, err := FullStatement(f)
	if err != nil {
		b.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(pdftest.PageText(b, pdf), "\n") {
		if l != "" && !strings.HasPrefix(l, "=== page ") {
			lines = append(lines, l)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := barePDF(lines); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b)
}

func barePDF(lines []string) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(true)
	p.SetFont("Helvetica", "", 9)
	p.AddPage()
	for _, l := range lines {
		p.CellFormat(0, 4.5, pdftext.Encode(l), "", 1, "L", false, 0, "")
	}
	var buf bytes.Buffer
	err := p.Output(&buf)
	return buf.Bytes(), err
}
