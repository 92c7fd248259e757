// Package requestpdf renders the PDFs of a licence request that its
// applicant downloads: the receipt of a submitted request (récépissé de
// dépôt: reference, type, date, documents provided, what happens next), on
// one A4 page. The attestation de perte is a signed document, drawn by
// internal/statement like the other documents that carry a 2D-Doc. Drawn with fpdf's core fonts (text in Windows-1252, like
// internal/statement), no I/O: the caller gives the data, already
// owner-checked by the application.
package requestpdf

import (
	"bytes"
	"fmt"
	"permis/internal/pdftext"
	"permis/internal/statement"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"permis/internal/date"
)

// Receipt is the récépissé de dépôt of a submitted request.
type Receipt struct {
	Issuer      string // the service's name, e.g. "Service Permis de conduire"
	ServiceURL  string // where the request is followed
	Reference   string // DEM-2026-7KQ4XM
	Kind        string // the request type, in French
	Applicant   string // given names and family name
	BirthDate   date.Date
	NEPH        string // "" when none
	SubmittedAt time.Time
	Expected    date.Null // the expected decision date
	Documents   []string  // the documents provided, in French
	Stamp       string    // the fiscal stamp, e.g. "n° 4200 0000 0000 0777 (réservé)"; "" when none
	Photo       string    // e.g. "code ePhoto", "formulaire papier à envoyer"; "" when none
	Status      string    // the status now, in French
	NextSteps   []string  // what happens next, in French
	IssuedAt    time.Time // when this PDF is made
	// Uncompressed writes plain content streams (tests read them).
	Uncompressed bool
}

// Page geometry, in millimetres (A4 portrait).
const (
	pageW    = 210.0
	pageH    = 297.0
	margin   = 18.0
	contentW = pageW - 2*margin
	labelW   = 55.0
)

var (
	ink     = [3]int{25, 25, 25}
	greyInk = [3]int{85, 85, 85}
	rule    = [3]int{170, 170, 170}
)

// page draws one document and records its outline as it goes, for the
// document's accessible version (statement.Outline).
type page struct {
	pdf     *fpdf.Fpdf
	outline statement.Outline
}

// current is the section being written, or nil before the first.
func (p *page) current() *statement.Section {
	if len(p.outline.Sections) == 0 {
		p.outline.Sections = append(p.outline.Sections, statement.Section{})
	}
	return &p.outline.Sections[len(p.outline.Sections)-1]
}

func newPage(title, subject, ref, issuer string, issued time.Time, uncompressed bool) *page {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(!uncompressed)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(issued.In(pdftext.Paris))
	pdf.SetModificationDate(issued.In(pdftext.Paris))
	pdf.SetTitle(title+" — "+ref, true)
	pdf.SetSubject(subject, true)
	pdf.SetAuthor(issuer, true)
	pdf.SetCreator("Permis", true)
	pdf.SetProducer("Permis (go-pdf/fpdf)", true)
	pdf.SetKeywords(ref, true)
	pdf.SetLang("fr")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, 25)
	pdf.AddPage()
	return &page{pdf: pdf}
}

func (p *page) font(style string, size float64, c [3]int) {
	p.pdf.SetFont("Helvetica", style, size)
	p.pdf.SetTextColor(c[0], c[1], c[2])
}

func (p *page) hline() {
	y := p.pdf.GetY()
	p.pdf.SetDrawColor(rule[0], rule[1], rule[2])
	p.pdf.SetLineWidth(0.2)
	p.pdf.Line(margin, y, pageW-margin, y)
	p.pdf.Ln(4)
}

// head writes the issuer, the title and the subtitle.
func (p *page) head(issuer, title, subtitle string) {
	p.outline.Issuer, p.outline.Title, p.outline.Subtitle = issuer, title, subtitle
	p.font("", 9, greyInk)
	p.pdf.MultiCell(contentW, 4.5, pdftext.Encode(issuer), "", "L", false)
	p.pdf.Ln(2)
	p.font("B", 17, ink)
	p.pdf.MultiCell(contentW, 8, pdftext.Encode(title), "", "L", false)
	p.font("", 10, ink)
	p.pdf.MultiCell(contentW, 5, pdftext.Encode(subtitle), "", "L", false)
	p.pdf.Ln(3)
	p.hline()
}

func (p *page) section(title string) {
	p.outline.Sections = append(p.outline.Sections, statement.Section{Title: title})
	p.pdf.Ln(2)
	p.font("B", 11.5, ink)
	p.pdf.MultiCell(contentW, 6, pdftext.Encode(title), "", "L", false)
	p.pdf.Ln(1)
}

// row writes a label and its value on one line (the value wraps).
func (p *page) row(label, value string) {
	s := p.current()
	s.Fields = append(s.Fields, [2]string{label, value})
	y := p.pdf.GetY()
	p.font("", 9.5, greyInk)
	p.pdf.SetXY(margin, y)
	p.pdf.MultiCell(labelW, 5, pdftext.Encode(label), "", "L", false)
	yl := p.pdf.GetY()
	p.font("B", 9.5, ink)
	p.pdf.SetXY(margin+labelW, y)
	p.pdf.MultiCell(contentW-labelW, 5, pdftext.Encode(value), "", "L", false)
	p.pdf.SetXY(margin, max(yl, p.pdf.GetY())+0.8)
}

func (p *page) text(s string) {
	sec := p.current()
	sec.Paragraphs = append(sec.Paragraphs, s)
	p.font("", 10, ink)
	p.pdf.MultiCell(contentW, 5, pdftext.Encode(s), "", "L", false)
	p.pdf.Ln(1)
}

func (p *page) bullets(items []string) {
	s := p.current()
	s.Items = append(s.Items, items...)
	p.font("", 10, ink)
	for _, s := range items {
		p.pdf.SetX(margin + 3)
		p.pdf.CellFormat(4, 5, "-", "", 0, "L", false, 0, "")
		p.pdf.MultiCell(contentW-7, 5, pdftext.Encode(s), "", "L", false)
	}
	p.pdf.Ln(1)
}

// foot writes, at the bottom, where the document comes from.
func (p *page) foot(ref string, issued time.Time, service string) {
	p.pdf.SetAutoPageBreak(false, 0)
	p.pdf.SetY(pageH - 28)
	p.hline()
	p.font("", 7.5, greyInk)
	service = strings.TrimRight(service, "/")
	p.outline.Legal = "Document établi le " + pdftext.FrenchDateTime(issued) + " à partir de la demande " + ref +
		". Suivez votre demande dans votre espace sur " + service + ", ou sans compte sur " + service +
		"/suivi avec la référence et votre date de naissance."
	p.pdf.MultiCell(contentW, 3.6, pdftext.Encode(p.outline.Legal), "", "L", false)
}

func (p *page) output() ([]byte, error) {
	var buf bytes.Buffer
	if err := p.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("requestpdf: writing the PDF: %w", err)
	}
	return buf.Bytes(), nil
}

func check(fields map[string]string, issued time.Time) error {
	var missing []string
	for _, k := range []string{"reference", "issuer", "service URL"} {
		if strings.TrimSpace(fields[k]) == "" {
			missing = append(missing, k)
		}
	}
	if issued.IsZero() {
		missing = append(missing, "issue time")
	}
	if len(missing) > 0 {
		return fmt.Errorf("requestpdf: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// RenderReceipt draws the receipt of a submitted request.
func RenderReceipt(r Receipt) ([]byte, error) {
	d, err := RenderReceiptDocument(r)
	return d.PDF, err
}

// RenderReceiptDocument is RenderReceipt, with the receipt's outline for its
// accessible version.
func RenderReceiptDocument(r Receipt) (statement.Rendered, error) {
	if err := check(map[string]string{"reference": r.Reference, "issuer": r.Issuer, "service URL": r.ServiceURL}, r.IssuedAt); err != nil {
		return statement.Rendered{}, err
	}
	if r.SubmittedAt.IsZero() {
		return statement.Rendered{}, fmt.Errorf("requestpdf: receipt of %s: the request is not submitted", r.Reference)
	}
	p := newPage("Récépissé de dépôt", "Demande de permis de conduire "+r.Reference, r.Reference, r.Issuer, r.IssuedAt, r.Uncompressed)
	p.head(r.Issuer, "Récépissé de dépôt d'une demande de permis de conduire",
		"Ce document atteste que votre demande a été enregistrée. Il ne vaut pas permis de conduire.")
	p.section("Votre demande")
	p.row("Référence", r.Reference)
	p.row("Démarche", r.Kind)
	p.row("Déposée le", pdftext.FrenchDateTime(r.SubmittedAt))
	p.row("Demandeur", r.Applicant)
	if r.BirthDate != 0 {
		p.row("Date de naissance", r.BirthDate.French())
	}
	if r.NEPH != "" {
		p.row("Numéro de permis (NEPH)", r.NEPH)
	}
	if r.Status != "" {
		p.row("Statut", r.Status)
	}
	if r.Expected.Valid {
		p.row("Décision attendue", "au plus tard le "+r.Expected.Date.French())
	}
	p.section("Pièces fournies")
	if len(r.Documents) == 0 {
		p.text("Aucune pièce jointe.")
	} else {
		p.bullets(r.Documents)
	}
	if r.Stamp != "" || r.Photo != "" {
		if r.Stamp != "" {
			p.row("Timbre fiscal", r.Stamp)
		}
		if r.Photo != "" {
			p.row("Photo et signature", r.Photo)
		}
	}
	p.section("Et ensuite ?")
	if len(r.NextSteps) > 0 {
		p.bullets(r.NextSteps)
	}
	p.text("Conservez ce récépissé et la référence " + r.Reference + " : ils vous servent à suivre votre demande et à nous écrire.")
	p.foot(r.Reference, r.IssuedAt, r.ServiceURL)
	pdf, err := p.output()
	if err != nil {
		return statement.Rendered{}, err
	}
	return statement.Rendered{PDF: pdf, Outline: p.outline}, nil
}
