package twoddoc

// Report is the JSON form of a Verdict, the one shape that both
// `permis 2ddoc verify --json` and the public API (POST /api/v1/2ddoc/verify)
// answer, so that a script can move from one to the other. Every label and
// sentence in it is French; the keys and the codes are stable.
type Report struct {
	Status Status `json:"status"`
	// Verdict is the French sentence that explains the status.
	Verdict string `json:"verdict"`
	// Header, Signature and Fields are absent when the code is malformed.
	Header    *ReportHeader    `json:"header,omitempty"`
	Signature *ReportSignature `json:"signature,omitempty"`
	Fields    []ReportField    `json:"fields,omitempty"`
	// Annex is not signed: nothing in it is guaranteed.
	Annex []ReportField `json:"annex,omitempty"`
	// Error says what is malformed and where (zone, code, field, position).
	Error *DecodeError `json:"error,omitempty"`
}

// ReportHeader is the header with the French name of its document type.
type ReportHeader struct {
	Header
	DocTypeLabel string `json:"doc_type_label,omitempty"`
}

// ReportSignature names the signature scheme and its size in bytes.
type ReportSignature struct {
	Algorithm string `json:"algorithm"`
	Bytes     int    `json:"bytes"`
}

// ReportField is one field: its ID, its French meaning, its value type, the
// value as written and as shown to people, and the 1-based position of its
// ID in the text.
type ReportField struct {
	ID        string `json:"id"`
	Label     string `json:"label"`
	Type      string `json:"type"`
	Value     string `json:"value"`
	Display   string `json:"display"`
	Position  int    `json:"position"`
	Truncated bool   `json:"truncated,omitempty"`
}

// Report returns the verdict's JSON form.
func (v Verdict) Report() Report {
	out := Report{Status: v.Status, Verdict: v.Reason, Error: v.Err}
	if d := v.Doc; d != nil {
		out.Header = &ReportHeader{Header: d.Header, DocTypeLabel: DocTypeLabel(d.Header.DocType)}
		out.Signature = &ReportSignature{Algorithm: d.Algorithm(), Bytes: len(d.Signature)}
		out.Fields = reportFields(d.Fields)
		out.Annex = reportFields(d.Annex)
	}
	return out
}

func reportFields(fields []Field) []ReportField {
	out := make([]ReportField, 0, len(fields))
	for _, f := range fields {
		def := f.Identifier()
		out = append(out, ReportField{ID: f.ID, Label: def.Label, Type: def.Type.String(), Value: f.Value,
			Display: Display(def, f.Value), Position: f.Position, Truncated: f.Truncated()})
	}
	return out
}
