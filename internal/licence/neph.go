package licence

import (
	"errors"
	"strings"
)

// NEPH is the lifelong dossier number of a driver (REFERENCE §1.1): digits
// only, normally 12, accepted from 10 to 19 as the ministry's own Candilib
// does. It is never confused with a card's TitleNumber.
type NEPH string

// NEPH length bounds (§1.1).
const (
	NEPHMinLen      = 10
	NEPHMaxLen      = 19
	NEPHStandardLen = 12
)

// ErrNEPH is the class of NEPH parse errors.
var ErrNEPH = errors.New("NEPH invalide")

// ParseNEPH strips spaces (and the dots or dashes people type between
// groups) and accepts 10 to 19 digits. It does not check any checksum: none
// is documented (§1.1). Its errors are *CheckError of class ErrNEPH.
func ParseNEPH(s string) (NEPH, error) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '\t' || c == '.' || c == '-':
			// separators people type between groups
		default:
			return "", checkErr(ErrNEPH, "neph", CodeFormat, i+1, "caractère %q en position %d, seuls les chiffres sont admis", rune(s[i]), i+1)
		}
	}
	n := b.Len()
	if n < NEPHMinLen || n > NEPHMaxLen {
		return "", checkErr(ErrNEPH, "neph", CodeLength, 0, "%d chiffres, il en faut de %d à %d (12 en général)", n, NEPHMinLen, NEPHMaxLen)
	}
	return NEPH(b.String()), nil
}

// Standard reports whether the NEPH has the usual 12 digits; other lengths
// are accepted with a warning (§1.1).
func (n NEPH) Standard() bool { return len(n) == NEPHStandardLen }

// String returns the digits.
func (n NEPH) String() string { return string(n) }

// Last4 returns the last four digits, used to confirm a check code (§4).
func (n NEPH) Last4() string {
	if len(n) < 4 {
		return string(n)
	}
	return string(n[len(n)-4:])
}
