package secret

import (
	"crypto/rand"
	"math"
	"strings"
)

// CodeAlphabet is the alphabet of readable codes: Crockford's base32 without
// 0 and 1 as well (so without 0/O, 1/I/L and U). No two of its symbols are
// easily confused on screen, on paper or when read aloud.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewCode returns a random code of n symbols from CodeAlphabet, each drawn
// uniformly (see CodeEntropyBits).
func NewCode(n int) string {
	const (
		size = byte(len(CodeAlphabet))
		// Bytes at or above limit are dropped so that every symbol is
		// equally likely (256 is not a multiple of 30).
		limit = 256 / int(size) * int(size)
	)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		rand.Read(buf) // never fails (crypto/rand panics rather than return an error)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, CodeAlphabet[b%size])
			}
		}
	}
	return string(out)
}

// CodeEntropyBits returns the entropy of a code of n symbols made by NewCode:
// n × log2(30) ≈ 4.9 bits per symbol. An 8-symbol code has about 39 bits, a
// 16-symbol code about 78.
func CodeEntropyBits(n int) float64 {
	return float64(n) * math.Log2(float64(len(CodeAlphabet)))
}

// FormatCode returns code in groups of group symbols separated by dashes, to
// be shown: FormatCode("K7QM4XWD", 4) = "K7QM-4XWD". group ≤ 0 leaves it
// as it is.
func FormatCode(code string, group int) string {
	if group <= 0 || len(code) <= group {
		return code
	}
	var b strings.Builder
	for i, r := range []rune(code) {
		if i > 0 && i%group == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormalizeCode turns what a person typed into the form NewCode makes, to be
// compared with the code issued: letters in upper case; spaces, dashes
// (including typographic ones), dots and underscores removed; and U read as
// V.
//
// Why so few substitutions: Crockford's base32 reads O as 0 and I, L as 1,
// but this alphabet has neither 0 nor 1; the whole groups {0, O} and
// {1, I, L} were left out precisely because their members look alike, and
// nothing left in the alphabet resembles them. Mapping them to some other
// symbol would be a guess, right no more often than wrong, so they are kept
// and the code simply does not match. U is different: its only look-alike, V,
// is in the alphabet, so a U is a misread V.
func NormalizeCode(input string) string {
	var b strings.Builder
	b.Grow(len(input))
	for _, r := range input {
		switch r {
		case ' ', '\t', '\u00a0', '\u202f', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '.', '_':
			continue
		}
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		if r == 'U' {
			r = 'V'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// IsCode reports whether code is made only of CodeAlphabet's symbols and has
// n of them (n ≤ 0: any length but at least one). Use it on the result of
// NormalizeCode to tell "mistyped" from "unknown" before a lookup.
func IsCode(code string, n int) bool {
	if code == "" || (n > 0 && len(code) != n) {
		return false
	}
	for i := 0; i < len(code); i++ {
		if strings.IndexByte(CodeAlphabet, code[i]) < 0 {
			return false
		}
	}
	return true
}
