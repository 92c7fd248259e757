package twoddoc

import (
	"encoding/base32"
	"strconv"
	"strings"
)

// Decode reads a 2D-Doc text whose separators are the real control
// characters (see Unescape for the <GS> notation of documentation). It checks
// the structure only — header, every field against the identifier table,
// Base32 signature of a known size, annex — and returns a *DecodeError for
// the first problem, with its position. Verifying the signature is
// Keyring.Verify's job.
func Decode(text string) (*Document, error) {
	h, hl, err := decodeHeader(text)
	if err != nil {
		return nil, err
	}
	end := len(text)
	if i := strings.IndexByte(text[hl:], US); i >= 0 {
		end = hl + i
	}
	fields, err := decodeFields(text, hl, end, ErrField)
	if err != nil {
		return nil, err
	}
	if end == len(text) {
		return nil, sigErr(CodeMissingSig, end, "séparateur <US> absent : le code n'est pas signé")
	}
	sigStart := end + 1
	sigEnd := len(text)
	if i := strings.IndexByte(text[sigStart:], GS); i >= 0 {
		sigEnd = sigStart + i
	}
	sig, err := decodeSignature(text, sigStart, sigEnd)
	if err != nil {
		return nil, err
	}
	doc := &Document{Text: text, Header: h, Fields: fields, Signature: sig, signedLen: end}
	if sigEnd < len(text) {
		if h.Version < 4 {
			return nil, fieldErr(ErrAnnex, CodeCharacter, "", sigEnd, "zone annexe non prévue en version %02d", h.Version)
		}
		if sigEnd+1 == len(text) {
			return nil, fieldErr(ErrAnnex, CodeTruncated, "", sigEnd+1, "zone annexe vide après <GS>")
		}
		if doc.Annex, err = decodeFields(text, sigEnd+1, len(text), ErrAnnex); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// decodeHeader reads the header and returns it with its length.
func decodeHeader(s string) (Header, int, error) {
	if s == "" {
		return Header{}, 0, headerErr(CodeMarker, 0, "texte vide, un code commence par « DC »")
	}
	if !strings.HasPrefix(s, "DC") {
		return Header{}, 0, headerErr(CodeMarker, 0, "le code doit commencer par « DC », et non « %s »", show(s[:min(2, len(s))]))
	}
	if len(s) < 4 {
		return Header{}, 0, headerErr(CodeTruncated, len(s), "version absente")
	}
	v := s[2:4]
	var h Header
	switch v {
	case "01", "02", "03", "04":
		h.Version = int(v[1] - '0')
	default:
		return Header{}, 0, headerErr(CodeVersion, 2, "version « %s » inconnue (01 à 04)", show(v))
	}
	n := HeaderLen(h.Version)
	for i := 4; i < n; i++ {
		if i >= len(s) {
			return Header{}, 0, headerErr(CodeTruncated, i, "%d caractères, %d attendus pour la version %s", len(s), n, v)
		}
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return Header{}, 0, headerErr(CodeCharacter, i, "caractère « %s » non autorisé (A à Z, 0 à 9)", show(s[i:i+1]))
		}
	}
	h.CA, h.Cert, h.DocType = s[4:8], s[8:12], s[20:22]
	var ok bool
	if h.IssueDate, ok = hexDate(s[12:16]); !ok {
		return Header{}, 0, headerErr(CodeFormat, 12, "date d'émission « %s » : 4 chiffres hexadécimaux attendus", s[12:16])
	}
	if h.SignatureDate, ok = hexDate(s[16:20]); !ok {
		return Header{}, 0, headerErr(CodeFormat, 16, "date de signature « %s » : 4 chiffres hexadécimaux attendus", s[16:20])
	}
	if h.Version >= 3 {
		h.Perimeter = s[22:24]
	}
	if h.Version >= 4 {
		h.Country = s[24:26]
		if !isLetters(h.Country) {
			return Header{}, 0, headerErr(CodeFormat, 24, "pays « %s » : deux lettres attendues", h.Country)
		}
	}
	return h, n, nil
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// decodeFields reads the fields of s[start:end] (the message or the annex).
func decodeFields(s string, start, end int, zone error) ([]Field, error) {
	var fields []Field
	for i := start; i < end; {
		f, next, err := decodeField(s, i, end, zone)
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
		i = next
	}
	return fields, nil
}

// decodeField reads the field at s[i] and returns it with the index after it.
func decodeField(s string, i, end int, zone error) (Field, int, error) {
	if end-i < 2 {
		return Field{}, 0, fieldErr(zone, CodeTruncated, "", i, "identifiant incomplet « %s »", show(s[i:end]))
	}
	id := s[i : i+2]
	if !isIDByte(id[0]) || !isIDByte(id[1]) {
		return Field{}, 0, fieldErr(zone, CodeCharacter, "", i, "identifiant « %s » invalide (deux caractères A à Z ou 0 à 9 attendus)", show(id))
	}
	def, ok := Lookup(id)
	if !ok {
		return Field{}, 0, fieldErr(zone, CodeUnknownID, id, i, "identifiant « %s » inconnu", id)
	}
	v0 := i + 2
	j := v0
	if def.Fixed() {
		for j < v0+def.Min && j < end && !isSeparator(s[j]) {
			j++
		}
		if j-v0 < def.Min {
			return Field{}, 0, fieldErr(zone, CodeLength, id, i, "longueur %d, %d caractères attendus", j-v0, def.Min)
		}
	} else {
		limit := end
		if def.Max != Unbounded {
			limit = min(end, v0+def.Max)
		}
		for j < limit && !isSeparator(s[j]) {
			j++
		}
	}
	f := Field{ID: id, Value: s[v0:j], End: None, Position: i + 1}
	if j < end && s[j] == GS {
		f.End, j = EndGS, j+1
	} else if j < end && s[j] == RS {
		if def.Fixed() {
			return Field{}, 0, fieldErr(zone, CodeCharacter, id, j, "<RS> (troncature) impossible après un champ de longueur fixe")
		}
		f.End, j = EndRS, j+1
	}
	if err := checkField(zone, def, f.Value, i, v0); err != nil {
		return Field{}, 0, err
	}
	return f, j, nil
}

// checkField checks a value's length, characters and type; i is the ID's
// index and v0 the value's, for the error positions.
func checkField(zone error, def Identifier, v string, i, v0 int) error {
	if len(v) < def.Min || def.Max != Unbounded && len(v) > def.Max {
		return fieldErr(zone, CodeLength, def.ID, i, "longueur %d hors limites (%s)", len(v), limits(def))
	}
	for k := 0; k < len(v); k++ {
		if !allowedByte(v[k]) {
			return fieldErr(zone, CodeCharacter, def.ID, v0+k, "caractère %s non autorisé", show(v[k:k+1]))
		}
	}
	if p := checkValue(def.Type, v); p != "" {
		return fieldErr(zone, CodeFormat, def.ID, v0, "%s", p)
	}
	return nil
}

// limits is "1 à 38", "8 caractères" or "au moins 0".
func limits(d Identifier) string {
	switch {
	case d.Fixed():
		return strconv.Itoa(d.Min) + " caractères"
	case d.Max == Unbounded:
		return "au moins " + strconv.Itoa(d.Min)
	}
	return strconv.Itoa(d.Min) + " à " + strconv.Itoa(d.Max)
}

func isIDByte(c byte) bool    { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }
func isSeparator(c byte) bool { return c == GS || c == RS || c == US }

// b32 is RFC 4648 Base32 without padding; decodeSignature re-pads.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// decodeSignature reads s[start:end] as Base32 (padding optional) and checks
// the size is one of an ECDSA r‖s on P-256, P-384 or P-521.
func decodeSignature(s string, start, end int) ([]byte, error) {
	t := s[start:end]
	if t == "" {
		return nil, sigErr(CodeMissingSig, start, "signature vide après <US>")
	}
	n := len(t)
	for n > 0 && t[n-1] == '=' {
		n--
	}
	for k := 0; k < n; k++ {
		if c := t[k]; !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') {
			return nil, sigErr(CodeBase32, start+k, "Base32 invalide : caractère %s hors de l'alphabet A–Z, 2–7", quoteByte(c))
		}
	}
	if pad := len(t) - n; pad > 0 && pad != (8-n%8)%8 {
		return nil, sigErr(CodeBase32, start+n, "Base32 invalide : %d caractères « = » de remplissage, %d attendus", pad, (8-n%8)%8)
	}
	raw, err := b32.DecodeString(t[:n])
	if r := n % 8; err != nil || r == 1 || r == 3 || r == 6 {
		return nil, sigErr(CodeBase32, start, "Base32 invalide : %d caractères ne forment pas un nombre entier d'octets", n)
	}
	if b32.EncodeToString(raw) != t[:n] {
		// Unused low bits of the last character must be zero: otherwise
		// several texts would carry the same signature.
		return nil, sigErr(CodeBase32, start+n-1, "Base32 invalide : bits inutilisés non nuls dans le dernier caractère")
	}
	if _, ok := curveForSigLen(len(raw)); !ok {
		return nil, sigErr(CodeSigLength, start, "%d octets, 64 (P-256), 96 (P-384) ou 132 (P-521) attendus", len(raw))
	}
	return raw, nil
}

func quoteByte(c byte) string { return "« " + show(string([]byte{c})) + " »" }

// Unescape turns the notation of documentation and of people typing a code
// into the real control characters: <GS>, <RS>, <US> (and the Unicode
// pictures ␝ ␞ ␟) become 0x1D, 0x1E, 0x1F. Other text is left as it is.
func Unescape(s string) string {
	return strings.NewReplacer(
		"<GS>", "\x1d", "<RS>", "\x1e", "<US>", "\x1f",
		"␝", "\x1d", "␞", "\x1e", "␟", "\x1f",
	).Replace(s)
}

// Escape writes a code with its control characters as <GS>, <RS>, <US>, the
// form printed in documentation.
func Escape(s string) string {
	return strings.NewReplacer("\x1d", "<GS>", "\x1e", "<RS>", "\x1f", "<US>").Replace(s)
}
