package twoddoc

import (
	"fmt"
	"strings"
)

// Encode returns the data a signer signs: the header, then each field as ID
// and value, with the terminators the spec asks for. A field whose End is
// Auto gets <GS> when it has a variable length, is shorter than its maximum
// and is not the last one; a decoded field keeps the terminator it was read
// with, so that Encode(doc.Header, doc.Fields) gives back doc.Signed().
// Values must already be 2D-Doc text (see Clean, TextField, DateField); a
// value that does not fit its identifier is refused with the same message
// Decode would give, positioned in the text being built.
func Encode(h Header, fields []Field) (string, error) {
	head, err := h.Encode()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(head)
	if err := encodeFields(&b, fields, ErrField); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Encode writes the header: 22, 24 or 26 characters by version.
func (h Header) Encode() (string, error) {
	n := HeaderLen(h.Version)
	if n == 0 {
		return "", fmt.Errorf("en-tête : version %d inconnue (1 à 4)", h.Version)
	}
	for _, p := range []struct{ name, v string }{{"autorité de certification", h.CA}, {"certificat", h.Cert}} {
		if len(p.v) != 4 || !isIDString(p.v) {
			return "", fmt.Errorf("en-tête : %s « %s » : 4 caractères A à Z ou 0 à 9 attendus", p.name, p.v)
		}
	}
	if len(h.DocType) != 2 || !isIDString(h.DocType) {
		return "", fmt.Errorf("en-tête : type de document « %s » : 2 caractères A à Z ou 0 à 9 attendus", h.DocType)
	}
	switch {
	case h.Version >= 3 && (len(h.Perimeter) != 2 || !isIDString(h.Perimeter)):
		return "", fmt.Errorf("en-tête : périmètre « %s » : 2 caractères attendus en version %02d", h.Perimeter, h.Version)
	case h.Version < 3 && h.Perimeter != "":
		return "", fmt.Errorf("en-tête : pas de périmètre avant la version 03")
	case h.Version == 4 && (len(h.Country) != 2 || !isLetters(h.Country)):
		return "", fmt.Errorf("en-tête : pays « %s » : 2 lettres attendues en version 04", h.Country)
	case h.Version < 4 && h.Country != "":
		return "", fmt.Errorf("en-tête : pas de pays avant la version 04")
	}
	issue, err := formatHexDate(h.IssueDate)
	if err != nil {
		return "", fmt.Errorf("en-tête : date d'émission : %w", err)
	}
	signed, err := formatHexDate(h.SignatureDate)
	if err != nil {
		return "", fmt.Errorf("en-tête : date de signature : %w", err)
	}
	return fmt.Sprintf("DC%02d%s%s%s%s%s%s%s", h.Version, h.CA, h.Cert, issue, signed, h.DocType, h.Perimeter, h.Country), nil
}

func isIDString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIDByte(s[i]) {
			return false
		}
	}
	return true
}

// encodeFields appends fields to b, checking each as Decode would.
func encodeFields(b *strings.Builder, fields []Field, zone error) error {
	for n, f := range fields {
		i := b.Len()
		def, ok := Lookup(f.ID)
		if !ok {
			return fieldErr(zone, CodeUnknownID, f.ID, i, "identifiant « %s » inconnu", show(f.ID))
		}
		if err := checkField(zone, def, f.Value, i, i+2); err != nil {
			return err
		}
		last := n == len(fields)-1
		open := !def.Fixed() && (def.Max == Unbounded || len(f.Value) < def.Max)
		end := f.End
		if end == Auto {
			end = None
			if open && !last {
				end = EndGS
			}
		}
		switch {
		case end == None && open && !last:
			return fieldErr(zone, CodeLength, f.ID, i, "<GS> obligatoire après un champ de longueur variable qui n'est ni au maximum ni le dernier")
		case end == EndRS && def.Fixed():
			return fieldErr(zone, CodeCharacter, f.ID, i, "<RS> (troncature) impossible après un champ de longueur fixe")
		}
		b.WriteString(f.ID)
		b.WriteString(f.Value)
		switch end {
		case EndGS:
			b.WriteByte(GS)
		case EndRS:
			b.WriteByte(RS)
		}
	}
	return nil
}

// AppendAnnex adds an annex zone (version 04 only; not signed) to a signed
// code that has none: <GS> then the fields.
func AppendAnnex(code string, fields []Field) (string, error) {
	doc, err := Decode(code)
	if err != nil {
		return "", err
	}
	if doc.Header.Version != 4 {
		return "", fmt.Errorf("annexe : réservée à la version 04, le code est en version %02d", doc.Header.Version)
	}
	if len(doc.Annex) > 0 {
		return "", fmt.Errorf("annexe : le code en a déjà une")
	}
	if len(fields) == 0 {
		return "", fmt.Errorf("annexe : aucun champ")
	}
	var b strings.Builder
	b.WriteString(code)
	b.WriteByte(GS)
	if err := encodeFields(&b, fields, ErrAnnex); err != nil {
		return "", err
	}
	return b.String(), nil
}
