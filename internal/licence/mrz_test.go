package licence

import (
	"testing"

	"permis/internal/date"
)

// REFERENCE §1.2: ICAO 9303 check digit, weights 7-3-1, A=10…Z=35, '<'=0.
func TestCheckDigit(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"", 0, true},
		{"1", 7, true},              // 1×7
		{"A", 0, true},              // 10×7 = 70
		{"Z<1", 6, true},            // 35×7 + 0×3 + 1×1 = 246
		{"D1FRA13AA00002", 6, true}, // §1.2 specimen, positions 0–13
		{"D1FRA13AA000026181231MARTIN<<", 9, true},
		{"d1", 0, false},
		{"A B", 0, false},
	}
	for _, tt := range tests {
		got, ok := CheckDigit(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CheckDigit(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// REFERENCE §1.2 and §1.3: the four specimens verify, and BuildMRZ writes
// them back from their parts.
func TestMRZSpecimens(t *testing.T) {
	tests := []struct {
		line    string
		number  TitleNumber
		expiry  string
		surname string
	}{
		{"D1FRA13AA000026181231MARTIN<<9", "13AA00002", "2018-12-31", "MARTIN"},
		{"D1FRA13AA000026180915MARTIN<<5", "13AA00002", "2018-09-15", "MARTIN"},
		{"D1FRA24AB123458390315DUPONT<<5", "24AB12345", "2039-03-15", "DUPONT"},
		{"D1FRA19CK008718340702LEFEBVRE7", "19CK00871", "2034-07-02", "LEFEBVRE"},
	}
	for _, tt := range tests {
		m, err := ParseMRZ(tt.line)
		if err != nil {
			t.Errorf("ParseMRZ(%q): %v", tt.line, err)
			continue
		}
		if m.DocumentCode != "D1" || m.Country != "FRA" || m.Number != tt.number ||
			m.Expiry != d(tt.expiry) || m.Surname != tt.surname || m.Line != tt.line {
			t.Errorf("ParseMRZ(%q) = %+v", tt.line, m)
		}
		if got := BuildMRZ(tt.number, d(tt.expiry), tt.surname); got != tt.line {
			t.Errorf("BuildMRZ(%q, %s, %q) = %q, want %q", tt.number, tt.expiry, tt.surname, got, tt.line)
		}
	}
}

// REFERENCE §1.2: errors say which check digit failed, where, expected and
// found, or which part is malformed.
func TestParseMRZErrors(t *testing.T) {
	tests := []struct {
		in, field, code string
		pos             int
		expected, found string
		fragment        string
	}{
		{"D1FRA13AA000027181231MARTIN<<9", "number_check_digit", CodeCheckDigit, 15, "6", "7", "attendu 6, trouvé 7"},
		{"D1FRA13AA000026181231MARTIN<<4", "composite_check_digit", CodeCheckDigit, 30, "9", "4", "global"},
		// a changed surname letter breaks only the composite digit
		{"D1FRA13AA000026181231MARTIM<<9", "composite_check_digit", CodeCheckDigit, 30, "", "9", "position 30"},
		{"D1FRA13AA000026181231MARTIN<<", "length", CodeLength, 0, "", "", "29 caractères"},
		{"D1FRA13AA000026181231MARTIN<<9X", "length", CodeLength, 0, "", "", "31 caractères"},
		{"D1FRA13AA00002-181231MARTIN<<9", "format", CodeFormat, 15, "", "", "position 15"},
		{"P1FRA13AA000026181231MARTIN<<9", "document_code", CodeFormat, 1, "", "", "D1"},
		{"D2FRA13AA000026181231MARTIN<<9", "document_code", CodeFormat, 1, "", "", "\"D2\""},
		{"D1BEL13AA000026181231MARTIN<<9", "country", CodeFormat, 3, "", "", "FRA"},
		{"D1FRA13AA00002X181231MARTIN<<9", "number_check_digit", CodeFormat, 15, "", "", "position 15"},
		{"D1FRA13AA0000261812A1MARTIN<<9", "expiry", CodeFormat, 20, "", "", "date d'expiration"},
		{"D1FRA13AA000026181331MARTIN<<9", "expiry", CodeDate, 16, "", "", "n'existe pas"},
		{"D1FRA13AA000026180230MARTIN<<9", "expiry", CodeDate, 16, "", "", "180230"},
		{"D1FRA13AA000026181231MART1N<<9", "surname", CodeFormat, 26, "", "", "chiffre"},
		{"D1FRA13AA000026181231MARTIN<<<", "composite_check_digit", CodeFormat, 30, "", "", "position 30"},
	}
	for _, tt := range tests {
		_, err := ParseMRZ(tt.in)
		ce := mustCheckErr(t, err, ErrMRZ, tt.field, tt.code, tt.fragment)
		if ce.Position != tt.pos {
			t.Errorf("ParseMRZ(%q): position %d, want %d", tt.in, ce.Position, tt.pos)
		}
		if tt.code == CodeCheckDigit && (ce.Found != tt.found || (tt.expected != "" && ce.Expected != tt.expected)) {
			t.Errorf("ParseMRZ(%q): expected %q found %q, want %q %q", tt.in, ce.Expected, ce.Found, tt.expected, tt.found)
		}
	}
}

// REFERENCE §1.2 (regex): the document code is D then 1, P, N or '<'; input
// is trimmed and upper-cased.
func TestParseMRZLenient(t *testing.T) {
	for _, code := range []string{"DP", "DN", "D<"} {
		line := code + "FRA13AA00002"
		c1, _ := CheckDigit(line)
		line += string(rune('0'+c1)) + "181231MARTIN<<"
		c2, _ := CheckDigit(line)
		line += string(rune('0' + c2))
		m, err := ParseMRZ("  " + toLower(line) + "\n")
		if err != nil || m.DocumentCode != code {
			t.Errorf("ParseMRZ(%q) = %+v, %v", line, m, err)
		}
	}
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// §1.2: BuildMRZ upper-cases, removes accents, turns other characters into
// '<', pads or cuts the surname to 8.
func TestBuildMRZSurname(t *testing.T) {
	tests := []struct{ in, field, parsed string }{
		{"Martin", "MARTIN<<", "MARTIN"},
		{"Lefèbvre", "LEFEBVRE", "LEFEBVRE"},
		{"Le Brun", "LE<BRUN<", "LE BRUN"},
		{"D'Aubigné-Lœuvre", "D<AUBIGN", "D AUBIGN"},
		{"  Ø ", "O<<<<<<<", "O"},
		{"Müller3", "MULLER<<", "MULLER"},
		{"", "<<<<<<<<", ""},
	}
	for _, tt := range tests {
		if got := MRZSurname(tt.in); got != tt.field {
			t.Errorf("MRZSurname(%q) = %q, want %q", tt.in, got, tt.field)
		}
		line := BuildMRZ("13AA00002", d("2030-01-31"), tt.in)
		m, err := ParseMRZ(line)
		if err != nil || m.Surname != tt.parsed {
			t.Errorf("ParseMRZ(BuildMRZ(…, %q)) = %q, %v; want %q", tt.in, m.Surname, err, tt.parsed)
		}
	}
}

// §1.2: the expiry's century is 20YY.
func TestMRZCentury(t *testing.T) {
	line := BuildMRZ("24AB12345", date.Of(2099, 12, 31), "X")
	m, err := ParseMRZ(line)
	if err != nil || m.Expiry != d("2099-12-31") {
		t.Errorf("ParseMRZ(%q) = %s, %v", line, m.Expiry, err)
	}
}
