package designation

import (
	"regexp"
	"strings"
)

// The two French plate formats: the SIV's AB-123-CD since 2009 (arrêté du
// 9 février 2009, annexe: no I, O or U, which read like 1, 0 and V) and the
// former FNI's 123 ABC 34, still on vehicles never sold since.
var (
	sivPlate = regexp.MustCompile(`^([A-HJ-NP-TV-Z]{2})([0-9]{3})([A-HJ-NP-TV-Z]{2})$`)
	fniPlate = regexp.MustCompile(`^([0-9]{1,4})([A-Z]{1,3})([0-9]{2}|2A|2B|97[1-6])$`)
)

// NormalPlate reads a French registration as people type it (upper or lower
// case, with or without spaces and hyphens) and writes it the one way it is
// printed: "AB-123-CD" or "123 ABC 34". ok is false for anything else.
func NormalPlate(s string) (plate string, ok bool) {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, s))
	if m := sivPlate.FindStringSubmatch(s); m != nil && m[2] != "000" {
		return m[1] + "-" + m[2] + "-" + m[3], true
	}
	if m := fniPlate.FindStringSubmatch(s); m != nil {
		return m[1] + " " + m[2] + " " + m[3], true
	}
	return "", false
}

var noticeNumber = regexp.MustCompile(`^[0-9]{6,32}$`)

// NormalNotice reads a notice's number as people copy it from the paper
// (spaces, dots and hyphens between groups ignored). ok is false unless 6
// to 32 digits remain (the service's notices have 14).
func NormalNotice(s string) (number string, ok bool) {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' || r == '.' {
			return -1
		}
		return r
	}, s))
	if !noticeNumber.MatchString(s) {
		return "", false
	}
	return s, true
}
