package twoddoc

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"permis/internal/date"
)

// epoch is day 0 of the hexadecimal dates of the header and of HexDate fields.
var epoch = date.Of(2000, time.January, 1)

// noDate is the hexadecimal date that means "no date".
const noDate = "FFFF"

// hexDate reads 4 upper-case hexadecimal digits as a date; FFFF is none.
func hexDate(s string) (date.Null, bool) {
	if len(s) != 4 || !isHex(s) {
		return date.Null{}, false
	}
	if s == noDate {
		return date.Null{}, true
	}
	n, _ := strconv.ParseUint(s, 16, 16)
	return date.Some(epoch.AddDays(int(n))), true
}

// formatHexDate writes a date as 4 hexadecimal digits, FFFF for none.
func formatHexDate(d date.Null) (string, error) {
	if !d.Valid {
		return noDate, nil
	}
	n := int(d.Date - epoch)
	if n < 0 || n >= 0xFFFF {
		return "", fmt.Errorf("date %s hors de la plage 2000-01-01 à 2179-06-05", d.Date)
	}
	return fmt.Sprintf("%04X", n), nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// allowedByte reports whether c may stand in a value: printable ASCII, which
// DataMatrix C40 (with its shift sets) can carry. Control characters are the
// separators and never part of a value.
func allowedByte(c byte) bool { return c >= 0x20 && c <= 0x7e }

// dmy reads JJMMAAAA.
func dmy(s string) (date.Date, bool) {
	if len(s) != 8 || !isDigits(s) {
		return 0, false
	}
	d, err := date.Parse(s[4:8] + "-" + s[2:4] + "-" + s[0:2])
	return d, err == nil
}

// hhmm reads HHMM (and HHMMSS when sec).
func hhmm(s string, sec bool) bool {
	n := 4
	if sec {
		n = 6
	}
	if len(s) != n || !isDigits(s) {
		return false
	}
	h, _ := strconv.Atoi(s[0:2])
	m, _ := strconv.Atoi(s[2:4])
	if sec {
		if v, _ := strconv.Atoi(s[4:6]); v > 59 {
			return false
		}
	}
	return h < 24 && m < 60
}

// checkValue returns a French problem when v does not fit t, "" when it does.
// Characters are checked before, by allowedByte.
func checkValue(t ValueType, v string) string {
	ok := true
	var want string
	switch t {
	case Digits:
		ok, want = isDigits(v), "des chiffres"
	case Date:
		_, ok = dmy(v)
		want = "une date JJMMAAAA"
	case HexDate:
		_, ok = hexDate(v)
		want = "une date en jours hexadécimaux depuis le 01/01/2000"
	case DateTime:
		_, ok = dmy(v[:min(8, len(v))])
		ok = ok && len(v) == 12 && hhmm(v[8:], false)
		want = "une date et heure JJMMAAAAHHMM"
	case Time:
		ok, want = hhmm(v, false), "une heure HHMM"
	case TimeSec:
		ok, want = hhmm(v, true), "une heure HHMMSS"
	case Base36:
		_, err := strconv.ParseUint(v, 36, 8)
		ok, want = err == nil && len(v) == 1 && strings.ToUpper(v) == v, "un chiffre ou une lettre majuscule"
	case Boolean:
		ok, want = v == "0" || v == "1", "0 ou 1"
	case HexNumber:
		ok, want = v != "" && isHex(v), "un nombre hexadécimal"
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("« %s » n'est pas %s", show(v), want)
}

// Display formats a value of identifier d for people: dates as DD/MM/YYYY,
// times as HH:MM, points as numbers, known codes with their meaning.
func Display(d Identifier, v string) string {
	out := v
	switch d.Type {
	case Date:
		if t, ok := dmy(v); ok {
			out = t.French()
		}
	case HexDate:
		if t, ok := hexDate(v); ok {
			out = "aucune"
			if t.Valid {
				out = t.Date.French()
			}
		}
	case DateTime:
		if t, ok := dmy(v[:min(8, len(v))]); ok && len(v) == 12 {
			out = t.French() + " à " + v[8:10] + ":" + v[10:12]
		}
	case Time:
		if len(v) == 4 {
			out = v[0:2] + ":" + v[2:4]
		}
	case TimeSec:
		if len(v) == 6 {
			out = v[0:2] + ":" + v[2:4] + ":" + v[4:6]
		}
	case Base36, HexNumber:
		base := 36
		if d.Type == HexNumber {
			base = 16
		}
		if n, err := strconv.ParseUint(v, base, 64); err == nil {
			out = strconv.FormatUint(n, 10)
		}
	case Boolean:
		out = map[string]string{"0": "non", "1": "oui"}[v]
	}
	if m, ok := d.Codes[v]; ok {
		out += " (" + m + ")"
	}
	return out
}

// foldTable maps accented capitals to their base letters (the standard
// library has no decomposition tables; golang.org/x/text is not needed for
// the letters of French civil status).
var foldTable = func() map[rune]string {
	t := make(map[rune]string)
	for base, letters := range map[string]string{
		"A": "ÀÁÂÃÄÅĀĂĄ", "C": "ÇĆĈĊČ", "D": "ĎĐ", "E": "ÈÉÊËĒĔĖĘĚ", "G": "ĜĞĠĢ",
		"I": "ÌÍÎÏĨĪĬĮİ", "L": "ĹĻĽĿŁ", "N": "ÑŃŅŇ", "O": "ÒÓÔÕÖØŌŎŐ", "R": "ŔŖŘ",
		"S": "ŚŜŞŠȘ", "T": "ŢŤȚ", "U": "ÙÚÛÜŨŪŬŮŰŲ", "Y": "ÝŶŸ", "Z": "ŹŻŽ",
		"AE": "Æ", "OE": "Œ", "SS": "ẞ",
	} {
		for _, r := range letters {
			t[r] = base
		}
	}
	return t
}()

// Clean turns a person's text into C40-safe 2D-Doc text: upper case, accents
// removed (« Lætitia Gérôme » → "LAETITIA GEROME"), typographic apostrophes
// made plain, and any character other than A–Z, 0–9, space, / - . ' replaced
// by a space; runs of spaces are collapsed and the ends trimmed.
func Clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == 'ß' {
			b.WriteString("SS")
			continue
		}
		u := unicode.ToUpper(r)
		if base, ok := foldTable[u]; ok {
			b.WriteString(base)
			continue
		}
		switch {
		case u >= 'A' && u <= 'Z', u >= '0' && u <= '9', strings.ContainsRune(" /-.'", u):
			b.WriteRune(u)
		case u == '’' || u == '‘':
			b.WriteByte('\'')
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// FormatDate writes a date as JJMMAAAA, the form of Date fields.
func FormatDate(d date.Date) string {
	y, m, day := d.Civil()
	return fmt.Sprintf("%02d%02d%04d", day, int(m), y)
}

// ParseDate reads the value of a Date field (JJMMAAAA), as FormatDate
// writes it.
func ParseDate(s string) (date.Date, error) {
	if d, ok := dmy(s); ok {
		return d, nil
	}
	return 0, fmt.Errorf("date « %s » : JJMMAAAA attendu", s)
}

// DateField returns a field holding d in the form its identifier expects
// (JJMMAAAA or hexadecimal days).
func DateField(id string, d date.Date) (Field, error) {
	def, ok := Lookup(id)
	switch {
	case !ok:
		return Field{}, fmt.Errorf("identifiant « %s » inconnu", id)
	case def.Type == Date:
		return Field{ID: id, Value: FormatDate(d)}, nil
	case def.Type == HexDate:
		v, err := formatHexDate(date.Some(d))
		return Field{ID: id, Value: v}, err
	}
	return Field{}, fmt.Errorf("le champ %s (%s) n'est pas une date", id, def.Label)
}

// TextField returns a field holding s cleaned by Clean.
func TextField(id, s string) Field { return Field{ID: id, Value: Clean(s)} }
