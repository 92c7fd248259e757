package statement

// Outline is a document's content in reading order, without its layout:
// what the PDF says, section by section. The builder records it while it
// draws, so the accessible (HTML) version of a document that a person
// reads in their space says exactly what the PDF says (RGAA 13.3: a
// document to download has an accessible version).
type Outline struct {
	Title    string
	Subtitle string
	Issuer   string
	Facts    [][2]string // the title block's label–value lines: reference, dates
	Sections []Section
	Legal    string // the legal line printed at the foot of every page

	// How to verify it: the 2D-Doc's text as printed under the symbol
	// (separators written <GS>, <RS>, <US>) and the page that reads it.
	Code      string
	VerifyURL string
}

// Section is one titled part of a document: label–value lines, a table, or
// a paragraph (Emphasis when the PDF prints it in bold).
type Section struct {
	Title      string
	Fields     [][2]string
	Columns    []string
	Rows       [][]string
	Text       string
	Emphasis   bool
	Items      []string // a bulleted list
	Paragraphs []string // paragraphs after the rest
}

// Rendered is a document in both forms.
type Rendered struct {
	PDF     []byte
	Outline Outline
}

func (b *builder) record(s Section) {
	b.outline.Sections = append(b.outline.Sections, s)
}
