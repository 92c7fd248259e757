package licence

import "testing"

// REFERENCE §1.2: the card number is YY + 2 letters + 5 digits (13AA00002).
func TestParseTitleNumber(t *testing.T) {
	tests := []struct {
		in                    string
		want                  TitleNumber
		year, letters, serial string
	}{
		{"13AA00002", "13AA00002", "13", "AA", "00002"}, // §1.2 specimen
		{"24AB12345", "24AB12345", "24", "AB", "12345"}, // §1.3
		{" 19ck 00871 ", "19CK00871", "19", "CK", "00871"},
	}
	for _, tt := range tests {
		got, err := ParseTitleNumber(tt.in)
		if err != nil {
			t.Errorf("ParseTitleNumber(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want || got.Year() != tt.year || got.Letters() != tt.letters || got.Serial() != tt.serial {
			t.Errorf("ParseTitleNumber(%q) = %q (%q %q %q), want %q (%q %q %q)",
				tt.in, got, got.Year(), got.Letters(), got.Serial(), tt.want, tt.year, tt.letters, tt.serial)
		}
	}
}

// REFERENCE §1.2: each malformed part is named.
func TestParseTitleNumberErrors(t *testing.T) {
	tests := []struct {
		in, field, code string
		pos             int
		fragment        string
	}{
		{"13AA0002", "length", CodeLength, 0, "8 caractères"},
		{"13AA000021", "length", CodeLength, 0, "10 caractères"},
		{"", "length", CodeLength, 0, "0 caractères"},
		{"1XAA00002", "year", CodeFormat, 2, "l'année"},
		{"131A00002", "letters", CodeFormat, 3, "lettres"},
		{"13AÉ00002", "letters", CodeFormat, 4, "'É'"},
		{"13AA0O002", "serial", CodeFormat, 6, "numéro d'ordre"},
		{"230334100123", "length", CodeLength, 0, "12 caractères"}, // a NEPH is not a card number (§1.1)
	}
	for _, tt := range tests {
		_, err := ParseTitleNumber(tt.in)
		ce := mustCheckErr(t, err, ErrTitleNumber, tt.field, tt.code, tt.fragment, "numéro de titre invalide")
		if ce.Position != tt.pos {
			t.Errorf("ParseTitleNumber(%q): position %d, want %d", tt.in, ce.Position, tt.pos)
		}
	}
}

func TestTitleNumberPartsOfUnparsed(t *testing.T) {
	if p := TitleNumber("13AA").Year(); p != "" {
		t.Errorf("Year of a short number = %q, want empty", p)
	}
}
