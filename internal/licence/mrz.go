package licence

import (
	"strconv"
	"strings"

	"permis/internal/date"
)

// MRZLen is the length of the card's one-line MRZ (§1.2).
const MRZLen = 30

// Parts of the one-line MRZ, as 0-based [from, to) offsets (§1.2).
const (
	mrzNumberFrom, mrzNumberTo   = 5, 14  // document number
	mrzNumberCheck               = 14     // check digit over 0–13, D1FRA included
	mrzExpiryFrom, mrzExpiryTo   = 15, 21 // expiry YYMMDD
	mrzSurnameFrom, mrzSurnameTo = 21, 29 // surname, padded with '<'
	mrzComposite                 = 29     // check digit over 0–28
)

// MRZ is the one-line, 30-character machine-readable zone of a card (§1.2),
// e.g. D1FRA13AA000026181231MARTIN<<9.
type MRZ struct {
	Line           string      // the 30 characters as read
	DocumentCode   string      // "D1": D, then the BAP configuration 1, P, N or <
	Country        string      // "FRA"
	Number         TitleNumber // the 9 characters of the document number, as printed
	NumberCheck    int         // check digit found at position 14
	Expiry         date.Date   // YYMMDD read as 20YY-MM-DD
	Surname        string      // surname with the '<' fillers turned into spaces and trailing ones removed
	CompositeCheck int         // check digit found at position 29
}

// mrzValue is the ICAO 9303 value of an MRZ character: digits for
// themselves, A=10 … Z=35, the filler '<' 0; -1 for anything else.
func mrzValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c == '<':
		return 0
	}
	return -1
}

// CheckDigit computes the ICAO 9303 check digit of s: each character's value
// (digits, A=10 … Z=35, '<'=0) is multiplied by the weights 7, 3, 1 repeated,
// and the sum is taken modulo 10. ok is false when s holds a character that
// cannot appear in an MRZ.
func CheckDigit(s string) (digit int, ok bool) {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		v := mrzValue(s[i])
		if v < 0 {
			return 0, false
		}
		sum += v * weights[i%3]
	}
	return sum % 10, true
}

// ParseMRZ reads and verifies a card's one-line MRZ (§1.2). Surrounding
// spaces are removed and letters upper-cased. Errors are *CheckError of class
// ErrMRZ: a malformed part names the part and the position; a wrong check
// digit says which one, where, and the digit expected and found.
func ParseMRZ(s string) (MRZ, error) {
	m, err := splitMRZ(s)
	if err != nil {
		return MRZ{}, err
	}
	if err := m.verify(); err != nil {
		return MRZ{}, err
	}
	return m, nil
}

// splitMRZ checks the shape of the line and reads its parts, without
// verifying the check digits.
func splitMRZ(s string) (MRZ, error) {
	line := strings.ToUpper(strings.TrimSpace(s))
	if n := len([]rune(line)); n != MRZLen {
		return MRZ{}, checkErr(ErrMRZ, "length", CodeLength, 0, "%d caractères, la bande d'un permis en compte %d", n, MRZLen)
	}
	for i := 0; i < len(line); i++ {
		if mrzValue(line[i]) < 0 {
			return MRZ{}, checkErr(ErrMRZ, "format", CodeFormat, i+1,
				"caractère %q en position %d, seuls A à Z, 0 à 9 et < sont admis", rune(line[i]), i+1)
		}
	}
	if line[0] != 'D' || !strings.ContainsRune("1PN<", rune(line[1])) {
		return MRZ{}, checkErr(ErrMRZ, "document_code", CodeFormat, 1,
			"le code du document (positions 1 et 2) doit être D1, DP, DN ou D<, trouvé %q", line[:2])
	}
	if line[2:5] != "FRA" {
		return MRZ{}, checkErr(ErrMRZ, "country", CodeFormat, 3, "le pays (positions 3 à 5) doit être FRA, trouvé %q", line[2:5])
	}
	if e := mrzDigits(line, mrzNumberCheck, mrzNumberCheck+1, "number_check_digit", "le chiffre de contrôle du numéro (position 15)"); e != nil {
		return MRZ{}, e
	}
	if e := mrzDigits(line, mrzExpiryFrom, mrzExpiryTo, "expiry", "la date d'expiration (positions 16 à 21)"); e != nil {
		return MRZ{}, e
	}
	expiry, ok := mrzDate(line[mrzExpiryFrom:mrzExpiryTo])
	if !ok {
		return MRZ{}, checkErr(ErrMRZ, "expiry", CodeDate, mrzExpiryFrom+1,
			"la date d'expiration %q (positions 16 à 21, AAMMJJ) n'existe pas", line[mrzExpiryFrom:mrzExpiryTo])
	}
	for i := mrzSurnameFrom; i < mrzSurnameTo; i++ {
		if isDigit(rune(line[i])) {
			return MRZ{}, checkErr(ErrMRZ, "surname", CodeFormat, i+1,
				"le nom (positions 22 à 29) ne peut contenir de chiffre, trouvé %q en position %d", rune(line[i]), i+1)
		}
	}
	if e := mrzDigits(line, mrzComposite, mrzComposite+1, "composite_check_digit", "le chiffre de contrôle global (position 30)"); e != nil {
		return MRZ{}, e
	}
	return MRZ{
		Line:           line,
		DocumentCode:   line[0:2],
		Country:        line[2:5],
		Number:         TitleNumber(line[mrzNumberFrom:mrzNumberTo]),
		NumberCheck:    int(line[mrzNumberCheck] - '0'),
		Expiry:         expiry,
		Surname:        surnameFromField(line[mrzSurnameFrom:mrzSurnameTo]),
		CompositeCheck: int(line[mrzComposite] - '0'),
	}, nil
}

func mrzDigits(line string, from, to int, field, what string) *CheckError {
	for i := from; i < to; i++ {
		if !isDigit(rune(line[i])) {
			return checkErr(ErrMRZ, field, CodeFormat, i+1, "%s doit être en chiffres, trouvé %q en position %d", what, rune(line[i]), i+1)
		}
	}
	return nil
}

// mrzDate reads YYMMDD as a date of the 21st century: card licences exist
// since 2013 and expire at most 15 years later (§2.2).
func mrzDate(s string) (date.Date, bool) {
	v, err := date.Parse("20" + s[0:2] + "-" + s[2:4] + "-" + s[4:6])
	return v, err == nil
}

// NumberCheckExpected is the check digit the document number should have,
// computed over positions 0–13 (D1FRA included, §1.2).
func (m MRZ) NumberCheckExpected() int {
	d, _ := CheckDigit(m.Line[:mrzNumberCheck])
	return d
}

// CompositeCheckExpected is the composite check digit computed over
// positions 0–28.
func (m MRZ) CompositeCheckExpected() int {
	d, _ := CheckDigit(m.Line[:mrzComposite])
	return d
}

// verify compares both check digits with the computed ones; the number's is
// checked first, as a reader would.
func (m MRZ) verify() error {
	if want := m.NumberCheckExpected(); want != m.NumberCheck {
		return mrzCheckErr("number_check_digit", mrzNumberCheck, "du numéro du document (calculé sur les positions 1 à 14)", want, m.NumberCheck)
	}
	if want := m.CompositeCheckExpected(); want != m.CompositeCheck {
		return mrzCheckErr("composite_check_digit", mrzComposite, "global (calculé sur les positions 1 à 29)", want, m.CompositeCheck)
	}
	return nil
}

func mrzCheckErr(field string, offset int, what string, want, found int) *CheckError {
	e := checkErr(ErrMRZ, field, CodeCheckDigit, offset+1,
		"chiffre de contrôle %s faux en position %d : attendu %d, trouvé %d", what, offset+1, want, found)
	e.Expected, e.Found = strconv.Itoa(want), strconv.Itoa(found)
	return e
}

// BuildMRZ writes the one-line MRZ of a card (§1.2): document code D1,
// country FRA, the number, its check digit, the expiry as YYMMDD, the
// surname and the composite check digit. The number is upper-cased and any
// character other than A–Z or 0–9 becomes '<', padded or cut to 9. The
// surname is upper-cased, its accents removed, any other character (space,
// hyphen, apostrophe, digit) turned into '<', then padded or cut to 8. The
// expiry's year is written modulo 100: ParseMRZ reads it back as 20YY.
func BuildMRZ(number TitleNumber, expiry date.Date, surname string) string {
	var b strings.Builder
	b.Grow(MRZLen)
	b.WriteString("D1FRA")
	b.WriteString(mrzField(foldUpper(string(number)), mrzNumberTo-mrzNumberFrom, true))
	d, _ := CheckDigit(b.String())
	b.WriteByte(byte('0' + d))
	y, mo, day := expiry.Civil()
	b.WriteString(twoDigits(y % 100))
	b.WriteString(twoDigits(int(mo)))
	b.WriteString(twoDigits(day))
	b.WriteString(MRZSurname(surname))
	d, _ = CheckDigit(b.String())
	b.WriteByte(byte('0' + d))
	return b.String()
}

// MRZSurname returns the 8-character surname field of the MRZ for surname,
// as BuildMRZ writes it ("Le Brun" → "LE<BRUN<").
func MRZSurname(surname string) string {
	return mrzField(foldUpper(strings.TrimSpace(surname)), mrzSurnameTo-mrzSurnameFrom, false)
}

// mrzField keeps A–Z (and 0–9 when digits is set), turns every other rune
// into '<', and pads with '<' or cuts to n characters.
func mrzField(s string, n int, digits bool) string {
	out := make([]byte, 0, n)
	for _, r := range s {
		if len(out) == n {
			break
		}
		if isUpper(r) || (digits && isDigit(r)) {
			out = append(out, byte(r))
		} else {
			out = append(out, '<')
		}
	}
	for len(out) < n {
		out = append(out, '<')
	}
	return string(out)
}

func surnameFromField(f string) string {
	return strings.ReplaceAll(strings.TrimRight(f, "<"), "<", " ")
}

func twoDigits(n int) string {
	if n < 0 {
		n = -n
	}
	return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
}
