package stamp

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"permis/internal/apperr"
)

// NumberLen is the number of digits of an electronic stamp's identifier (§8).
const NumberLen = 16

// Number is the 16-digit identifier of an electronic fiscal stamp, as the
// buyer receives it by email or SMS (REFERENCE §8).
type Number string

// ParseNumber reads a stamp number as people type it: spaces (ordinary or
// non-breaking), dots and dashes between groups are dropped, and exactly 16
// digits must remain.
//
// It checks no check digit: REFERENCE §8 documents none, and the DGFiP
// interface that would say whether a number exists is not public
// (UNCONFIRMED). A well-formed number may still be unknown; only the
// issuer (here, the stamps table) can tell. The error is an Invalid
// *apperr.Error of class ErrNumber, naming the first wrong character.
func ParseNumber(s string) (Number, error) {
	var b strings.Builder
	b.Grow(NumberLen)
	pos := 0
	for _, r := range s {
		pos++
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' || r == '\u202f' || r == '.' || r == '-':
			// separators people type between groups
		default:
			return "", fail(apperr.Invalid, ErrNumber, fmt.Sprintf(
				"Le numéro de timbre fiscal ne doit contenir que des chiffres : caractère « %c » en position %d.", r, pos))
		}
	}
	if n := b.Len(); n != NumberLen {
		if n == 0 {
			return "", fail(apperr.Invalid, ErrNumber, "Saisissez le numéro de timbre fiscal (16 chiffres).")
		}
		return "", fail(apperr.Invalid, ErrNumber, fmt.Sprintf(
			"Le numéro de timbre fiscal compte %d chiffres ; il en faut %d.", n, NumberLen))
	}
	return Number(b.String()), nil
}

// String returns the 16 digits.
func (n Number) String() string { return string(n) }

// Grouped returns the number in four groups of four digits separated by
// non-breaking spaces, easier to read aloud and to compare with a receipt.
func (n Number) Grouped() string {
	if len(n) != NumberLen {
		return string(n)
	}
	return string(n[0:4]) + "\u00a0" + string(n[4:8]) + "\u00a0" + string(n[8:12]) + "\u00a0" + string(n[12:16])
}

// NewNumber returns a random 16-digit number, for the built-in test payment
// provider and for tests. Real numbers are issued by DGFiP with the stamp.
func NewNumber() Number {
	n, err := rand.Int(rand.Reader, new(big.Int).Exp(big.NewInt(10), big.NewInt(NumberLen), nil))
	if err != nil {
		panic("stamp: crypto/rand: " + err.Error()) // crypto/rand does not fail on supported platforms
	}
	return Number(fmt.Sprintf("%016d", n))
}

// Masked returns the number with only its last four digits shown
// ("•••• •••• •••• 1234"). A stamp number is a bearer value — whoever
// types it into a request uses the stamp — so it is shown in full only to
// its owner, in their own request (issue 10, finding 11).
func (n Number) Masked() string {
	if len(n) != NumberLen {
		return "••••"
	}
	return n[12:16].maskedTail()
}

// sixteenDigits matches a stamp number written in a text, grouped or not
// (four groups of four digits separated by ordinary or non-breaking
// spaces, dots or dashes).
var sixteenDigits = regexp.MustCompile(`\d{4}(?:[ \x{00a0}\x{202f}.\-]?\d{4}){3}`)

// MaskNumbers masks every stamp number found in s (see Masked): texts
// written for the owner (a request's history) become safe to show to
// anyone who knows the request's reference.
func MaskNumbers(s string) string {
	return sixteenDigits.ReplaceAllStringFunc(s, func(m string) string {
		return Number(m[len(m)-4:]).maskedTail()
	})
}

func (n Number) maskedTail() string {
	return "••••\u00a0••••\u00a0••••\u00a0" + string(n)
}
