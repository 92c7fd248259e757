package ingest

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"permis/internal/store"
)

// The NDJSON decoder is written by hand rather than with encoding/json: the
// format is one flat object of eight known keys, and decoding it directly
// from the line (values are substrings of one string made from the line, so a
// row costs one allocation) is about 5 times faster than a json.Decoder with
// DisallowUnknownFields (see BenchmarkParseNDJSON*). The fuzz test checks
// that every row it accepts, encoding/json accepts with the same values.

// parseNDJSONLine decodes and validates one non-blank line.
func parseNDJSONLine(line int, s string) (store.OffenceRow, *RowError) {
	var raw rawRow
	if e := decodeObject(line, s, &raw); e != nil {
		return store.OffenceRow{}, e
	}
	return raw.validate(line)
}

func syntaxErr(line int, format string, args ...any) *RowError {
	return &RowError{Line: line, Kind: KindSyntax, Reason: "JSON invalide : " + fmt.Sprintf(format, args...)}
}

func skipWS(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// decodeObject reads one flat JSON object into raw. Values must be strings,
// except points, a number; null counts as absent. Unknown and repeated keys
// are refused (encoding/json would keep the last one silently).
func decodeObject(line int, s string, raw *rawRow) *RowError {
	var seen [nFields]bool
	i := skipWS(s, 0)
	if i >= len(s) || s[i] != '{' {
		return syntaxErr(line, "objet {…} attendu en début de ligne")
	}
	i = skipWS(s, i+1)
	if i < len(s) && s[i] == '}' {
		i++
	} else {
		for {
			if i >= len(s) || s[i] != '"' {
				return syntaxErr(line, "nom de champ attendu en position %d", i+1)
			}
			key, j, e := readString(line, s, i)
			if e != nil {
				return e
			}
			f, ok := lookupField(key)
			if !ok {
				return &RowError{Line: line, Field: show(key), Kind: KindUnknownField, Reason: "champ inconnu"}
			}
			if seen[f] {
				return rowErr(line, f, KindDuplicateField, "champ présent deux fois")
			}
			seen[f] = true
			i = skipWS(s, j)
			if i >= len(s) || s[i] != ':' {
				return syntaxErr(line, "« : » attendu après %q en position %d", key, i+1)
			}
			if i, e = readValue(line, s, skipWS(s, i+1), f, raw); e != nil {
				return e
			}
			i = skipWS(s, i)
			if i < len(s) && s[i] == ',' {
				i = skipWS(s, i+1)
				continue
			}
			if i < len(s) && s[i] == '}' {
				i++
				break
			}
			if i >= len(s) {
				return syntaxErr(line, "objet non terminé en fin de ligne")
			}
			return syntaxErr(line, "« , » ou « } » attendu en position %d", i+1)
		}
	}
	if i = skipWS(s, i); i != len(s) {
		return syntaxErr(line, "texte après la fin de l'objet en position %d", i+1)
	}
	return nil
}

// readValue reads the value of field f starting at i and returns the index
// after it.
func readValue(line int, s string, i int, f field, raw *rawRow) (int, *RowError) {
	if i >= len(s) {
		return i, syntaxErr(line, "valeur attendue après %q", f.name())
	}
	switch c := s[i]; {
	case c == '"':
		v, j, e := readString(line, s, i)
		if e != nil {
			return j, e
		}
		if f == fPoints {
			return j, rowErr(line, f, KindType, "nombre attendu, pas une chaîne (%s)", show(v))
		}
		raw.val[f], raw.set[f] = v, true
		return j, nil
	case c == '-' || c >= '0' && c <= '9':
		j, ok := scanNumber(s, i)
		if !ok {
			return j, syntaxErr(line, "nombre mal formé en position %d", i+1)
		}
		if f != fPoints {
			hint := ""
			if f == fNEPH {
				hint = ", les zéros initiaux seraient perdus"
			}
			return j, rowErr(line, f, KindType, "chaîne attendue, pas un nombre (%s)%s", show(s[i:j]), hint)
		}
		raw.val[f], raw.set[f] = s[i:j], true
		return j, nil
	case strings.HasPrefix(s[i:], "null"):
		return i + 4, nil
	case strings.HasPrefix(s[i:], "true"), strings.HasPrefix(s[i:], "false"):
		return i, rowErr(line, f, KindType, "booléen refusé")
	case c == '{' || c == '[':
		return i, rowErr(line, f, KindType, "objet ou tableau refusé")
	}
	return i, syntaxErr(line, "valeur illisible en position %d", i+1)
}

// scanNumber checks the JSON number grammar from i and returns its end.
func scanNumber(s string, i int) (int, bool) {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = scanDigits(s, i)
	default:
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		j := scanDigits(s, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := scanDigits(s, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func scanDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// readString reads the JSON string whose opening quote is at i and returns
// its value and the index after the closing quote. Without escapes (the
// usual case) the value is a substring of s.
func readString(line int, s string, i int) (string, int, *RowError) {
	end := strings.IndexByte(s[i+1:], '"')
	if end < 0 {
		return "", len(s), syntaxErr(line, "chaîne non terminée en position %d", i+1)
	}
	v := s[i+1 : i+1+end]
	ascii := true
	for j := 0; j < len(v); j++ {
		switch c := v[j]; {
		case c == '\\':
			return readEscaped(line, s, i)
		case c < 0x20:
			return "", i + 1 + j, syntaxErr(line, "caractère de contrôle non échappé en position %d", i+2+j)
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if !ascii && !utf8.ValidString(v) {
		return "", i + 1 + end, syntaxErr(line, "UTF-8 invalide dans la chaîne en position %d", i+1)
	}
	return v, i + 2 + end, nil
}

// readEscaped is readString's slow path for strings with backslashes. A lone
// UTF-16 surrogate becomes U+FFFD, as encoding/json does.
func readEscaped(line int, s string, i int) (string, int, *RowError) {
	var b strings.Builder
	j := i + 1
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			return b.String(), j + 1, nil
		case c < 0x20:
			return "", j, syntaxErr(line, "caractère de contrôle non échappé en position %d", j+1)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError && size == 1 {
				return "", j, syntaxErr(line, "UTF-8 invalide dans la chaîne en position %d", i+1)
			}
			b.WriteString(s[j : j+size])
			j += size
			continue
		case c != '\\':
			b.WriteByte(c)
			j++
			continue
		}
		if j+1 >= len(s) {
			break
		}
		switch e := s[j+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(s, j+2)
			if !ok {
				return "", j, syntaxErr(line, "échappement \\u mal formé en position %d", j+1)
			}
			j += 6
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(s, j+2); ok && j+1 < len(s) && s[j] == '\\' && s[j+1] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						b.WriteRune(dec)
						j += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
			continue
		default:
			return "", j, syntaxErr(line, "échappement %s inconnu en position %d", show(s[j:j+2]), j+1)
		}
		j += 2
	}
	return "", len(s), syntaxErr(line, "chaîne non terminée en position %d", i+1)
}

// hex4 reads four hexadecimal digits at i.
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
