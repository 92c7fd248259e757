package statement

import (
	"strings"
	"testing"

	"permis/internal/pdftext/pdftest"
)

// The outline says what the PDF says: every title, label, value, table
// cell and paragraph of the outline is in the PDF's text, in the same
// order, and every section of the PDF is in the outline. The accessible
// version of a document (RGAA 13.3) is drawn from the outline.
func TestOutlineSaysWhatThePDFSays(t *testing.T) {
	cases := map[string]func() (Rendered, error){
		"full_long_history":     func() (Rendered, error) { return RenderFull(longHistory()) },
		"full_suspended":        func() (Rendered, error) { return RenderFull(suspended()) },
		"attestation_accents":   func() (Rendered, error) { return RenderAttestation(attestationOf(accents())) },
		"attestation_suspended": func() (Rendered, error) { return RenderAttestation(attestationOf(suspended())) },
	}
	for name, render := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := render()
			if err != nil {
				t.Fatal(err)
			}
			o := r.Outline
			// The PDF's text, without line breaks and runs of spaces:
			// long values wrap there.
			text := strings.Join(strings.Fields(pdftest.PageText(t, r.PDF)), " ")
			flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
			at := 0
			inOrder := func(what, s string) {
				t.Helper()
				s = flat(s)
				if s == "" {
					return
				}
				i := strings.Index(text[at:], s)
				if i < 0 {
					if strings.Contains(text, s) {
						t.Errorf("%s %q is in the PDF, but not in the outline's order", what, s)
					} else {
						t.Errorf("%s %q is not in the PDF", what, s)
					}
					return
				}
				at += i + len(s)
			}
			if o.Title == "" || o.Code == "" || len(o.Facts) == 0 || len(o.Sections) < 4 {
				t.Fatalf("outline incomplete: %+v", o)
			}
			inOrder("title", o.Title)
			inOrder("subtitle", o.Subtitle)
			for _, f := range o.Facts {
				inOrder("label", f[0])
				inOrder("value", f[1])
			}
			for _, s := range o.Sections {
				inOrder("section", s.Title)
				for _, f := range s.Fields {
					inOrder("label", f[0])
					inOrder("value", f[1])
				}
				for _, row := range s.Rows {
					inOrder("first cell", row[0])
				}
				if len(s.Rows) == 0 {
					inOrder("text", s.Text)
				}
			}
			if !strings.Contains(text, flat(o.Legal)) {
				t.Errorf("legal line %q not in the PDF", o.Legal)
			}
			// The verification code: the printed text, wrapped over lines
			// in the PDF, is the outline's code.
			if !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(o.Code, " ", "")) {
				t.Errorf("code %q not printed in the PDF", o.Code)
			}
		})
	}
}
