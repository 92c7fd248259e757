package licence

import (
	"testing"

	"permis/internal/date"
)

// §1.1: whatever the input, ParseNEPH never panics and accepts only 10 to
// 19 digits.
func FuzzParseNEPH(f *testing.F) {
	for _, s := range []string{"230334100123", "190759200457", "121201200001", "156985632", "12 12 01-20.0001", "1234567890123456789", "12345678901A", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNEPH(s)
		if err != nil {
			if _, ok := err.(*CheckError); !ok {
				t.Fatalf("ParseNEPH(%q): error %T, want *CheckError", s, err)
			}
			return
		}
		if len(n) < NEPHMinLen || len(n) > NEPHMaxLen {
			t.Fatalf("ParseNEPH(%q) = %q: %d digits", s, n, len(n))
		}
		for i := 0; i < len(n); i++ {
			if n[i] < '0' || n[i] > '9' {
				t.Fatalf("ParseNEPH(%q) = %q: not digits", s, n)
			}
		}
		if n.Standard() != (len(n) == 12) {
			t.Fatalf("Standard(%q) = %v", n, n.Standard())
		}
	})
}

// §1.2: ParseTitleNumber never panics, accepts only YY + 2 letters + 5
// digits, and is idempotent.
func FuzzParseTitleNumber(f *testing.F) {
	for _, s := range []string{"13AA00002", "24AB12345", "19ck00871", " 13 AA 00002 ", "13AÉ00002", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseTitleNumber(s)
		if err != nil {
			return
		}
		if len(n) != 9 || n.Year()+n.Letters()+n.Serial() != string(n) {
			t.Fatalf("ParseTitleNumber(%q) = %q", s, n)
		}
		for i, c := range []byte(n) {
			if (i < 2 || i >= 4) != (c >= '0' && c <= '9') || (i >= 2 && i < 4) != (c >= 'A' && c <= 'Z') {
				t.Fatalf("ParseTitleNumber(%q) = %q: wrong character at %d", s, n, i)
			}
		}
		if again, err := ParseTitleNumber(string(n)); err != nil || again != n {
			t.Fatalf("ParseTitleNumber(%q) = %q, %v", n, again, err)
		}
	})
}

// §1.2: ParseMRZ never panics on any line, and BuildMRZ's output always
// parses back to the parts it was built from.
func FuzzParseMRZ(f *testing.F) {
	specimens := []struct {
		line, number, surname string
		expiry                int32
	}{
		{"D1FRA13AA000026181231MARTIN<<9", "13AA00002", "Martin", int32(date.MustParse("2018-12-31"))},
		{"D1FRA13AA000026180915MARTIN<<5", "13AA00002", "MARTIN", int32(date.MustParse("2018-09-15"))},
		{"D1FRA24AB123458390315DUPONT<<5", "24AB12345", "Dupont", int32(date.MustParse("2039-03-15"))},
		{"D1FRA19CK008718340702LEFEBVRE7", "19CK00871", "Lefèbvre-Duc", int32(date.MustParse("2034-07-02"))},
	}
	for _, s := range specimens {
		f.Add(s.line, s.number, s.surname, s.expiry)
	}
	f.Fuzz(func(t *testing.T, line, number, surname string, days int32) {
		if m, err := ParseMRZ(line); err == nil {
			if len(m.Line) != MRZLen || m.NumberCheck != m.NumberCheckExpected() || m.CompositeCheck != m.CompositeCheckExpected() {
				t.Fatalf("ParseMRZ(%q) accepted %+v", line, m)
			}
		}

		n, err := ParseTitleNumber(number)
		if err != nil {
			return
		}
		// Any day of the 21st century, the MRZ's century.
		lo, hi := int32(date.MustParse("2000-01-01")), int32(date.MustParse("2099-12-31"))
		expiry := date.Date(lo + abs32(days%(hi-lo+1)))
		built := BuildMRZ(n, expiry, surname)
		m, err := ParseMRZ(built)
		if err != nil {
			t.Fatalf("ParseMRZ(BuildMRZ(%q, %s, %q) = %q): %v", n, expiry, surname, built, err)
		}
		if m.Number != n || m.Expiry != expiry || m.Surname != surnameFromField(MRZSurname(surname)) {
			t.Fatalf("BuildMRZ(%q, %s, %q) = %q parsed as %+v", n, expiry, surname, built, m)
		}
	})
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}
