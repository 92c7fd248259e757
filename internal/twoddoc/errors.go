package twoddoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Sentinel classes of decode errors, for errors.Is: which zone of the code is
// malformed. The error itself is a *DecodeError.
var (
	ErrHeader    = errors.New("en-tête")
	ErrField     = errors.New("champ")
	ErrSignature = errors.New("signature")
	ErrAnnex     = errors.New("annexe")
)

// Stable machine codes of a DecodeError, for JSON output and tests.
const (
	CodeMarker     = "marker"     // the text does not start with "DC"
	CodeVersion    = "version"    // version not 01–04
	CodeTruncated  = "truncated"  // the zone stops before its end
	CodeCharacter  = "character"  // a character not allowed where it stands
	CodeUnknownID  = "unknown_id" // a data identifier the table does not know
	CodeLength     = "length"     // a field value outside its length limits
	CodeFormat     = "format"     // a value that does not match its type (date…)
	CodeMissingSig = "missing"    // no <US> and so no signature
	CodeBase32     = "base32"     // the signature is not Base32
	CodeSigLength  = "sig_length" // the signature has an unexpected size
)

// DecodeError says what is malformed and where. Position is the 1-based
// character position in the whole text (the first "D" of "DC" is 1); it is
// also in the French Message, which the CLI prints as it is.
type DecodeError struct {
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"` // data identifier, for field and annex errors
	Position int    `json:"position"`
	Message  string `json:"message"`

	class error
}

// Error returns the French message.
func (e *DecodeError) Error() string { return e.Message }

// Unwrap returns the zone's class (ErrHeader, ErrField…).
func (e *DecodeError) Unwrap() error { return e.class }

// Zone is the stable name of the class: "header", "field", "signature" or
// "annex".
func (e *DecodeError) Zone() string {
	switch e.class {
	case ErrHeader:
		return "header"
	case ErrField:
		return "field"
	case ErrSignature:
		return "signature"
	}
	return "annex"
}

// MarshalJSON adds the zone to the error's fields. '<' stays itself, as in
// the message's "<US>".
func (e *DecodeError) MarshalJSON() ([]byte, error) {
	type plain DecodeError
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		Zone string `json:"zone"`
		*plain
	}{e.Zone(), (*plain)(e)})
	return bytes.TrimRight(b.Bytes(), "\n"), err
}

// headerErr is "en-tête, position 3 : …". pos is 0-based.
func headerErr(code string, pos int, format string, args ...any) *DecodeError {
	return &DecodeError{Code: code, Position: pos + 1, class: ErrHeader,
		Message: fmt.Sprintf("en-tête, position %d : ", pos+1) + fmt.Sprintf(format, args...)}
}

// fieldErr is "champ 6G à la position 41 : …" (or "annexe, champ …").
func fieldErr(zone error, code, id string, pos int, format string, args ...any) *DecodeError {
	prefix := "champ"
	if zone == ErrAnnex {
		prefix = "annexe, champ"
	}
	name := id
	if name == "" {
		name = "?"
	}
	return &DecodeError{Code: code, Field: id, Position: pos + 1, class: zone,
		Message: fmt.Sprintf("%s %s à la position %d : ", prefix, name, pos+1) + fmt.Sprintf(format, args...)}
}

// sigErr is "signature, position 212 : …".
func sigErr(code string, pos int, format string, args ...any) *DecodeError {
	return &DecodeError{Code: code, Position: pos + 1, class: ErrSignature,
		Message: fmt.Sprintf("signature, position %d : ", pos+1) + fmt.Sprintf(format, args...)}
}

// show writes s for an error message, with control characters as <GS>,
// <RS>, <US> or 0xNN so that the message stays on one line.
func show(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == GS:
			b.WriteString("<GS>")
		case c == RS:
			b.WriteString("<RS>")
		case c == US:
			b.WriteString("<US>")
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&b, "0x%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
