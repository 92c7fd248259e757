package pdftext

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// cp1252 maps the non-ASCII characters of Windows-1252, the code page of the
// PDF core fonts, to their byte. It is built once and only read afterwards.
//
// fpdf's own UnicodeTranslatorFromDescriptor("cp1252") gives the same bytes,
// but its translator reuses one buffer between calls, so it cannot be shared
// by concurrent requests, and building one per document parses the map file
// each time.
var cp1252 = func() map[rune]byte {
	m := make(map[rune]byte, 128)
	for b := 0x80; b <= 0xFF; b++ {
		r := charmap.Windows1252.DecodeByte(byte(b))
		if r == utf8.RuneError || r < 0xA0 && r >= 0x80 {
			continue // the five unassigned positions
		}
		m[r] = byte(b)
	}
	return m
}()

// encode turns UTF-8 text into the Windows-1252 bytes the core font draws.
// A letter outside the code page loses its accent when it has one (ő → o);
// anything else becomes "?". Control characters become spaces.
func Encode(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteByte(EncodeRune(r))
	}
	return b.String()
}

func EncodeRune(r rune) byte {
	switch {
	case r < 0x20:
		return ' '
	case r < 0x80:
		return byte(r)
	case r == '\u202f' || r == '\u2009': // narrow and thin spaces, as French typography puts before « : ; »
		return 0xA0
	case r == '\u2212' || r == '\u2010' || r == '\u2011':
		return '-'
	}
	if c, ok := cp1252[r]; ok {
		return c
	}
	if d := norm.NFD.String(string(r)); d != "" {
		base, _ := utf8.DecodeRuneInString(d)
		if base != r {
			if base < 0x80 {
				return byte(base)
			}
			if c, ok := cp1252[base]; ok {
				return c
			}
		}
	}
	return '?'
}

// Paris is the legal time of the register: times of issue are printed in it.
var Paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		// internal/date embeds the time-zone database: unreachable.
		return time.UTC
	}
	return loc
}()

// frenchDateTime formats t as "12/03/2025 à 14 h 05", Paris time.
func FrenchDateTime(t time.Time) string {
	t = t.In(Paris)
	return t.Format("02/01/2006") + " à " + t.Format("15") + " h " + t.Format("04")
}
