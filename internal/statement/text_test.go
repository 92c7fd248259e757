package statement

import (
	"permis/internal/pdftext"
	"permis/internal/pdftext/pdftest"
	"testing"
	"time"
)

func TestEncode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Dupont", "Dupont"},
		{"Élodie Françoise", "\xc9lodie Fran\xe7oise"},
		{"D’Argençon", "D\x92Argen\xe7on"},
		{"Lefèvre-Cœur", "Lef\xe8vre-C\x9cur"},
		{"« 12 € »", "\xab 12 \x80 \xbb"},
		{"Service — démo", "Service \x97 d\xe9mo"},
		{"Bőr", "Bor"},                       // a Hungarian letter outside the code page loses its accent
		{"Łukasz", "?ukasz"},                 // a letter with no base letter cannot be printed
		{"12\u202f%", "12\xa0%"},             // narrow no-break space
		{"a\x1db\tc", "a b c"},               // control characters
		{"\u2212" + "3 points", "-3 points"}, // minus sign
	}
	for _, tt := range tests {
		if got := pdftext.Encode(tt.in); got != tt.want {
			t.Errorf("pdftext.Encode(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := pdftest.Decode1252(pdftext.Encode(tt.in)); len([]rune(back)) != len([]rune(tt.in)) {
			t.Errorf("pdftext.Encode(%q) does not keep one byte per character: %q", tt.in, back)
		}
	}
}

func TestFrenchDateTime(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 3, 12, 13, 5, 0, 0, time.UTC), "12/03/2025 à 14 h 05"}, // winter: UTC+1
		{time.Date(2025, 7, 1, 22, 30, 0, 0, time.UTC), "02/07/2025 à 00 h 30"}, // summer: UTC+2, next day
	}
	for _, tt := range tests {
		if got := pdftext.FrenchDateTime(tt.at); got != tt.want {
			t.Errorf("pdftext.FrenchDateTime(%v) = %q, want %q", tt.at, got, tt.want)
		}
	}
}
