package statement

import (
	"bytes"
	"errors"
	"fmt"
	"permis/internal/pdftext"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres (A4 portrait).
const (
	pageW        = 210.0
	pageH        = 297.0
	margin       = 15.0
	contentW     = pageW - 2*margin
	bottomMargin = 24.0 // room for the footer
	breakY       = pageH - bottomMargin
	runningTop   = 19.0 // where the content starts on pages after the first
)

// Colours, as RGB.
var (
	ink       = [3]int{25, 25, 25}
	greyInk   = [3]int{85, 85, 85}
	rule      = [3]int{170, 170, 170}
	headFill  = [3]int{226, 232, 240}
	tableFill = [3]int{242, 242, 242}
)

// builder lays out one document. It wraps fpdf with the few elements both
// documents use: the title block with the 2D-Doc, sections, label–value
// lists and tables whose header repeats on each page.
type builder struct {
	pdf     *fpdf.Fpdf
	doc     Document
	running string // the line at the top of pages after the first
	legal   string // the legal line at the foot of every page
	issued  string // "délivré" or "délivrée" (meta.issued)
	outline Outline
}

// meta is a document's title and PDF metadata.
type meta struct {
	title   string // the document's name, as printed and in the PDF's title
	subject string
	running string
	legal   string
	// issued is "délivré" or "délivrée", agreed with the document's name
	// (un relevé, une attestation) in the footer's "délivrée le".
	issued string
}

func newBuilder(d Document, m meta) *builder {
	pdf := fpdf.New("P", "mm", "A4", "")
	b := &builder{pdf: pdf, doc: d, running: m.running, legal: m.legal, issued: m.issued, outline: Outline{
		Title: m.title, Issuer: d.Issuer, Legal: m.legal,
		Code: visibleControls(d.BarcodeText), VerifyURL: trimSlash(d.ServiceURL) + "/verifier",
	}}
	pdf.SetCompression(!d.Uncompressed)
	pdf.SetCatalogSort(true)
	issued := d.IssuedAt.In(pdftext.Paris)
	pdf.SetCreationDate(issued)
	pdf.SetModificationDate(issued)
	pdf.SetTitle(m.title+" — "+d.Reference, true)
	pdf.SetSubject(m.subject, true)
	pdf.SetAuthor(d.Issuer, true)
	pdf.SetCreator("Permis", true)
	pdf.SetProducer("Permis (go-pdf/fpdf)", true)
	pdf.SetKeywords(d.Reference, true)
	pdf.SetLang("fr")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, bottomMargin)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(b.header)
	pdf.SetFooterFunc(b.footer)
	pdf.AddPage()
	return b
}

// checkDocument refuses a document that cannot be identified.
func checkDocument(d Document) error {
	var missing []string
	if strings.TrimSpace(d.Reference) == "" {
		missing = append(missing, "reference")
	}
	if d.IssuedAt.IsZero() {
		missing = append(missing, "issue time")
	}
	if strings.TrimSpace(d.Issuer) == "" {
		missing = append(missing, "issuer")
	}
	if strings.TrimSpace(d.ServiceURL) == "" {
		missing = append(missing, "service URL")
	}
	if len(missing) > 0 {
		return fmt.Errorf("statement: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// output returns the PDF's bytes, or the first error fpdf met.
func (b *builder) output() ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := b.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("statement: writing the PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// rendered returns the PDF and its outline.
func (b *builder) rendered() (Rendered, error) {
	pdf, err := b.output()
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{PDF: pdf, Outline: b.outline}, nil
}

func (b *builder) font(style string, size float64, colour [3]int) {
	b.pdf.SetFont("Helvetica", style, size)
	b.pdf.SetTextColor(colour[0], colour[1], colour[2])
}

// header writes the running line of pages after the first; the first page
// has the title block instead.
func (b *builder) header() {
	if b.pdf.PageNo() == 1 {
		return
	}
	p := b.pdf
	b.font("", 7.5, greyInk)
	p.SetXY(margin, 10)
	p.CellFormat(contentW*0.7, 4, pdftext.Encode(b.running), "", 0, "L", false, 0, "")
	p.CellFormat(contentW*0.3, 4, pdftext.Encode("Référence "+b.doc.Reference), "", 0, "R", false, 0, "")
	b.hline(15)
	p.SetXY(margin, runningTop)
}

// footer writes the legal line, the reference and the page number.
func (b *builder) footer() {
	p := b.pdf
	b.hline(pageH - 22)
	b.font("", 6.5, greyInk)
	p.SetXY(margin, pageH-21)
	p.MultiCell(contentW, 3, pdftext.Encode(b.legal), "", "L", false)
	b.font("", 7.5, greyInk)
	p.SetXY(margin, pageH-13)
	left := "Référence " + b.doc.Reference + " — " + b.issued + " le " + pdftext.FrenchDateTime(b.doc.IssuedAt)
	p.CellFormat(contentW*0.75, 4, pdftext.Encode(left), "", 0, "L", false, 0, "")
	page := fmt.Sprintf("Page %d sur {nb}", p.PageNo())
	p.CellFormat(contentW*0.25, 4, page, "", 0, "R", false, 0, "")
}

func (b *builder) hline(y float64) {
	b.pdf.SetDrawColor(rule[0], rule[1], rule[2])
	b.pdf.SetLineWidth(0.2)
	b.pdf.Line(margin, y, pageW-margin, y)
}

// titleBlock writes the top of the first page: issuer, title, subtitle and
// the document's own facts on the left, the 2D-Doc and how to verify it in
// the top right corner. It leaves the cursor under the lower of the two.
func (b *builder) titleBlock(title, subtitle string, facts [][2]string) error {
	b.outline.Subtitle, b.outline.Facts = subtitle, facts
	p := b.pdf
	const rightW = 50.0
	leftW := contentW - rightW - 5
	top := margin

	b.font("", 9, greyInk)
	p.SetXY(margin, top)
	p.MultiCell(leftW, 4.5, pdftext.Encode(b.doc.Issuer), "", "L", false)
	b.font("B", 17, ink)
	p.SetX(margin)
	p.MultiCell(leftW, 8, pdftext.Encode(title), "", "L", false)
	b.font("", 10, ink)
	p.SetX(margin)
	p.MultiCell(leftW, 5, pdftext.Encode(subtitle), "", "L", false)
	p.Ln(3)
	for _, f := range facts {
		b.labelValue(margin, leftW, 38, f[0], f[1])
	}
	leftEnd := p.GetY()

	rightEnd, err := b.barcodeBlock(pageW-margin-rightW, top, rightW)
	if err != nil {
		return err
	}
	p.SetXY(margin, max(leftEnd, rightEnd)+3)
	b.hline(p.GetY())
	p.Ln(4)
	return nil
}

// barcodeBlock draws the 2D-Doc at (x, y) with its caption and text under
// it, in a column of width w, and returns the y under the block.
func (b *builder) barcodeBlock(x, y, w float64) (float64, error) {
	p := b.pdf
	if b.doc.Barcode.Size() > 0 {
		if err := b.symbol(b.doc.Barcode, x+(w-barcodeSide)/2, y, barcodeSide); err != nil {
			return 0, err
		}
		y += barcodeSide + 1.5
	}
	b.font("", 6.5, ink)
	p.SetXY(x, y)
	caption := "Vérifiez ce document sur " + trimSlash(b.doc.ServiceURL) + "/verifier avec le code imprimé."
	if b.doc.Barcode.Size() == 0 && b.doc.BarcodeText == "" {
		caption = "Document sans code 2D-Doc."
	}
	p.MultiCell(w, 2.9, pdftext.Encode(caption), "", "C", false)
	if b.doc.BarcodeText != "" {
		p.SetFont("Courier", "", 5.5)
		perLine := int((w - 2*p.GetCellMargin()) / p.GetStringWidth("M"))
		for _, line := range codeLines(visibleControls(b.doc.BarcodeText), perLine) {
			p.SetX(x)
			p.CellFormat(w, 2.4, pdftext.Encode(line), "", 2, "L", false, 0, "")
		}
	}
	return p.GetY(), nil
}

func trimSlash(u string) string { return strings.TrimRight(strings.TrimSpace(u), "/") }

// codeLines cuts the printed code into lines of at most n characters
// (Courier: every character is as wide), never next to a space nor inside
// a <GS> notation. A copy of the text then only adds line breaks, which
// the verification removes (twoddoc.VerifyPrinted): a line broken at a
// space would have lost it, and "<G" "S>" is hard to type back.
func codeLines(s string, n int) []string {
	var lines []string
	for len(s) > n && n > 5 {
		cut := n
		if open := strings.LastIndexByte(s[:cut], '<'); open > 0 && !strings.Contains(s[open:cut], ">") {
			cut = open
		}
		for cut > 1 && (s[cut] == ' ' || s[cut-1] == ' ') {
			cut--
		}
		lines, s = append(lines, s[:cut]), s[cut:]
	}
	return append(lines, s)
}

// visibleControls writes the 2D-Doc separators the way the specification
// writes them, so the printed text can be typed back.
func visibleControls(s string) string {
	return strings.NewReplacer("\x1d", "<GS>", "\x1e", "<RS>", "\x1f", "<US>").Replace(s)
}

// section starts a titled part. A title never sits alone at the foot of a
// page: when the title and need millimetres of what follows do not fit, both
// go to the next page.
func (b *builder) section(title string, need float64) {
	p := b.pdf
	const height = 1.5 + 6.5 + 1.5
	if p.GetY()+height+need > breakY {
		p.AddPage()
	}
	p.Ln(1.5)
	p.SetFillColor(headFill[0], headFill[1], headFill[2])
	b.font("B", 10.5, ink)
	p.SetX(margin)
	p.CellFormat(contentW, 6.5, pdftext.Encode(title), "", 1, "L", true, 0, "")
	p.Ln(1.5)
}

// paragraphSection is a section made of one paragraph.
func (b *builder) paragraphSection(title, text string) {
	b.record(Section{Title: title, Text: text})
	b.section(title, b.paragraphHeight(text))
	b.paragraph(text)
}

// rightSection is the state of the driving right, in bold: it is what a
// reader looks for first.
func (b *builder) rightSection(r Right) {
	text := rightSentence(r)
	b.record(Section{Title: "Droit à conduire", Text: text, Emphasis: true})
	b.section("Droit à conduire", b.paragraphHeight(text))
	b.styledParagraph("B", text)
}

// fieldsSection is a section of label–value lines.
func (b *builder) fieldsSection(title string, rows [][2]string) {
	b.record(Section{Title: title, Fields: rows})
	need := 0.0
	if len(rows) > 0 {
		need = b.labelValueHeight(contentW, fieldsLabelW, rows[0][1])
	}
	b.section(title, need)
	b.fields(rows)
}

// tableSection is a section holding a table, or the text empty when there
// are no rows.
func (b *builder) tableSection(title string, cols []column, rows [][]string, empty string) error {
	if len(rows) == 0 {
		b.paragraphSection(title, empty)
		return nil
	}
	b.record(Section{Title: title, Columns: headings(cols), Rows: rows})
	b.section(title, b.rowHeight(cols, headings(cols), true)+b.rowHeight(cols, rows[0], false))
	return b.table(cols, rows)
}

const (
	textLine     = 4.4 // line height of paragraphs and label–value lines
	fieldsLabelW = 55.0
)

// paragraph writes wrapped text across the page.
func (b *builder) paragraph(text string) {
	b.styledParagraph("", text)
}

func (b *builder) styledParagraph(style, text string) {
	b.font(style, 9, ink)
	b.pdf.SetX(margin)
	b.pdf.MultiCell(contentW, textLine, pdftext.Encode(text), "", "L", false)
}

func (b *builder) paragraphHeight(text string) float64 {
	b.font("", 9, ink)
	return textLine * float64(max(1, len(b.pdf.SplitLines([]byte(pdftext.Encode(text)), contentW))))
}

// fields writes label–value lines, labels in grey, values wrapped.
func (b *builder) fields(rows [][2]string) {
	for _, r := range rows {
		b.labelValue(margin, contentW, fieldsLabelW, r[0], r[1])
	}
}

func (b *builder) labelValueHeight(w, labelW float64, value string) float64 {
	b.font("", 9, ink)
	return textLine * float64(max(1, len(b.pdf.SplitLines([]byte(pdftext.Encode(value)), w-labelW))))
}

func (b *builder) labelValue(x, w, labelW float64, label, value string) {
	p := b.pdf
	b.font("", 9, ink)
	lines := p.SplitLines([]byte(pdftext.Encode(value)), w-labelW)
	h := textLine * float64(max(1, len(lines)))
	if p.GetY()+h > breakY {
		p.AddPage()
	}
	y := p.GetY()
	p.SetXY(x, y)
	b.font("", 9, greyInk)
	p.CellFormat(labelW, textLine, pdftext.Encode(label), "", 0, "L", false, 0, "")
	b.font("", 9, ink)
	for i, l := range lines {
		p.SetXY(x+labelW, y+textLine*float64(i))
		p.CellFormat(w-labelW, textLine, string(l), "", 0, "L", false, 0, "")
	}
	p.SetXY(x, y+h)
}

// column is a table column: its title, width (mm) and alignment ("L", "C", "R").
type column struct {
	title string
	width float64
	align string
}

// errWidth reports a programming error: columns wider than the page.
var errWidth = errors.New("statement: table wider than the page")

// table writes rows under a header row that repeats at the top of every page
// the table runs onto. Cells wrap; a row is never split across pages.
func (b *builder) table(cols []column, rows [][]string) error {
	total := 0.0
	for _, c := range cols {
		total += c.width
	}
	if total > contentW+0.01 {
		return errWidth
	}
	head := headings(cols)
	first := b.rowHeight(cols, head, true)
	if len(rows) > 0 {
		first += b.rowHeight(cols, rows[0], false)
	}
	if b.pdf.GetY()+first > breakY {
		b.pdf.AddPage()
	}
	b.row(cols, head, true)
	for _, r := range rows {
		if b.rowHeight(cols, r, false)+b.pdf.GetY() > breakY {
			b.pdf.AddPage()
			b.row(cols, head, true)
		}
		b.row(cols, r, false)
	}
	b.pdf.Ln(1)
	return nil
}

func headings(cols []column) []string {
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.title
	}
	return head
}

const (
	cellLine = 4.0 // line height in table cells
	cellPad  = 1.0 // space above and below a cell's text
)

func (b *builder) cellFont(header bool) {
	if header {
		b.font("B", 8, ink)
		return
	}
	b.font("", 8.5, ink)
}

func (b *builder) splitRow(cols []column, cells []string) ([][][]byte, int) {
	lines := make([][][]byte, len(cols))
	n := 1
	for i, c := range cols {
		if i < len(cells) && cells[i] != "" {
			lines[i] = b.pdf.SplitLines([]byte(pdftext.Encode(cells[i])), c.width)
		}
		n = max(n, len(lines[i]))
	}
	return lines, n
}

func (b *builder) rowHeight(cols []column, cells []string, header bool) float64 {
	b.cellFont(header)
	_, n := b.splitRow(cols, cells)
	return float64(n)*cellLine + 2*cellPad
}

// row writes one table row line by line, left to right, so that text read in
// drawing order follows the visual rows.
func (b *builder) row(cols []column, cells []string, header bool) {
	p := b.pdf
	b.cellFont(header)
	lines, n := b.splitRow(cols, cells)
	h := float64(n)*cellLine + 2*cellPad
	y := p.GetY()
	if header {
		p.SetFillColor(tableFill[0], tableFill[1], tableFill[2])
		p.Rect(margin, y, contentW, h, "F")
	}
	for i := 0; i < n; i++ {
		x := margin
		for c, col := range cols {
			if i < len(lines[c]) {
				p.SetXY(x, y+cellPad+float64(i)*cellLine)
				p.CellFormat(col.width, cellLine, string(lines[c][i]), "", 0, col.align, false, 0, "")
			}
			x += col.width
		}
	}
	b.hline(y + h)
	p.SetXY(margin, y+h)
}
