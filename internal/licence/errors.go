package licence

import (
	"errors"
	"fmt"
)

// Sentinel classes of parse errors, for errors.Is. The error itself is a
// *CheckError that says which part is wrong.
var (
	ErrTitleNumber = errors.New("numéro de titre invalide")
	ErrMRZ         = errors.New("bande MRZ invalide")
	ErrCategory    = errors.New("catégorie de permis inconnue")
	ErrRestriction = errors.New("code de mention restrictive invalide")
)

// Stable machine codes of a CheckError, for the CLI and API clients.
const (
	CodeLength     = "length"      // too short or too long
	CodeFormat     = "format"      // a character or a part has the wrong shape
	CodeCheckDigit = "check_digit" // an MRZ check digit does not match
	CodeDate       = "date"        // a date part is impossible
	CodeUnknown    = "unknown"     // well-formed but not a known value
)

// CheckError is a parse or check failure: the part that is wrong (Field), a
// stable Code and a French Message that names the part and, where it helps,
// the position. The CLI prints Message on one line and exits with status 2.
type CheckError struct {
	Field    string `json:"field"`              // part at fault: "neph", "year", "letters", "number_check_digit"…
	Code     string `json:"code"`               // CodeLength, CodeFormat, CodeCheckDigit…
	Message  string `json:"message"`            // French, safe to show
	Position int    `json:"position,omitempty"` // 1-based character position, 0 when it does not apply
	Expected string `json:"expected,omitempty"` // check digit expected, for CodeCheckDigit
	Found    string `json:"found,omitempty"`    // check digit found, for CodeCheckDigit

	class error // sentinel returned by Unwrap (ErrNEPH, ErrMRZ…)
}

// Error returns the French message.
func (e *CheckError) Error() string { return e.Message }

// Unwrap returns the error's class (ErrNEPH, ErrTitleNumber, ErrMRZ…).
func (e *CheckError) Unwrap() error { return e.class }

// checkErr builds a CheckError whose message is prefixed by its class, as in
// "numéro de titre invalide : …".
func checkErr(class error, field, code string, pos int, format string, args ...any) *CheckError {
	return &CheckError{
		Field:    field,
		Code:     code,
		Position: pos,
		Message:  class.Error() + " : " + fmt.Sprintf(format, args...),
		class:    class,
	}
}
