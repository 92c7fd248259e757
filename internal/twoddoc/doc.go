// Package twoddoc reads, writes, signs and verifies 2D-Doc codes, the signed
// DataMatrix barcodes ("cachets électroniques visibles") that ANTS specified
// and that French administrations print on their documents — points letters
// (type A1), licence information statements (type AB), CEPC (type AD)…
//
// Only the C40 flavour is handled (REFERENCE §13):
//
//	[HEADER][MESSAGE] <US> [SIGNATURE in Base32] [<GS> ANNEX]
//
// The signed bytes are the header and the message exactly as read. The
// signature is ECDSA (P-256/SHA-256 in current codes; P-384 and P-521 are
// recognised by their length) over those bytes, written as raw r‖s in Base32.
//
// The package does no network I/O: keys come from the caller (Keyring, built
// from PEM files by LoadKeyring). Trust-list (TSL) download, certificate
// chains and revocation are out of scope; see docs/2ddoc.md.
package twoddoc

import "permis/internal/date"

// The control characters of the C40 format.
const (
	GS = 0x1D // ends a variable-length field; starts the annex after the signature
	RS = 0x1E // ends a field that was truncated
	US = 0x1F // separates the signed data from the signature
)

// Terminator is what ended a field in the text.
type Terminator int

// A field ends with nothing (fixed length, maximum reached, or last field),
// with <GS>, or with <RS> (truncated). Auto, for encoding only, lets Encode
// write what the spec requires.
const (
	Auto Terminator = iota
	None
	EndGS
	EndRS
)

// Header is the fixed-position start of a code.
type Header struct {
	Version       int       `json:"version"`             // 1 to 4
	CA            string    `json:"ca"`                  // certification authority, e.g. FR00 (test)
	Cert          string    `json:"cert"`                // certificate within the CA, e.g. 0001
	IssueDate     date.Null `json:"issue_date"`          // date the document was issued; none = FFFF
	SignatureDate date.Null `json:"signature_date"`      // date the code was signed; none = FFFF
	DocType       string    `json:"doc_type"`            // e.g. AB
	Perimeter     string    `json:"perimeter,omitempty"` // version 03 and later, e.g. 01
	Country       string    `json:"country,omitempty"`   // version 04, e.g. FR
}

// HeaderLen returns the length of the header of a version: 22 characters for
// versions 01 and 02, 24 for 03 and 26 for 04 (0 for an unknown version).
func HeaderLen(version int) int {
	switch version {
	case 1, 2:
		return 22
	case 3:
		return 24
	case 4:
		return 26
	}
	return 0
}

// Field is one data field of the message or of the annex.
type Field struct {
	ID    string     `json:"id"`
	Value string     `json:"value"` // as written in the code
	End   Terminator `json:"-"`     // as read; Auto when building a code
	// Position is the 1-based position of the field's ID in the text, set by
	// Decode.
	Position int `json:"position,omitempty"`
}

// Truncated reports whether the field ended with <RS>: the issuer cut it.
func (f Field) Truncated() bool { return f.End == EndRS }

// Identifier returns the table entry of the field's ID.
func (f Field) Identifier() Identifier {
	d, _ := Lookup(f.ID)
	return d
}

// Document is a decoded code.
type Document struct {
	Text      string  `json:"-"` // the whole text as decoded
	Header    Header  `json:"header"`
	Fields    []Field `json:"fields"`
	Signature []byte  `json:"-"` // raw r‖s
	Annex     []Field `json:"annex,omitempty"`

	signedLen int
}

// Signed returns the bytes the signature covers: header and message, up to
// but not including <US>.
func (d *Document) Signed() []byte { return []byte(d.Text[:d.signedLen]) }

// Field returns the first field with the ID in the message (not the annex).
func (d *Document) Field(id string) (Field, bool) {
	for _, f := range d.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// Algorithm names the signature scheme its length implies: "ECDSA P-256
// SHA-256", "ECDSA P-384 SHA-384" or "ECDSA P-521 SHA-512".
func (d *Document) Algorithm() string {
	if c, ok := curveForSigLen(len(d.Signature)); ok {
		return "ECDSA " + c.name + " " + c.hashName
	}
	return ""
}
