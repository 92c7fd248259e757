package licence

import (
	"encoding/json"
	"strings"
	"testing"
)

// REFERENCE §1.1: 12 digits are standard and read as YY MM DD PP NNNN
// (layout UNCONFIRMED); 10–19 digits are accepted with a warning.
func TestCheckNEPH(t *testing.T) {
	tests := []struct {
		in       string
		digits   string
		standard bool
		layout   *NEPHLayout
		warning  string
	}{
		{"230334100123", "230334100123", true, &NEPHLayout{Year: "23", Month: "03", Departement: "34", Office: "10", Order: "0123"}, ""},
		{"12 12 01 20 0001", "121201200001", true, &NEPHLayout{Year: "12", Month: "12", Departement: "01", Office: "20", Order: "0001"}, ""},
		{"123456789012", "123456789012", true, &NEPHLayout{Year: "12", Month: "34", Departement: "56", Office: "78", Order: "9012"}, "ne sont pas un mois"},
		{"1569856320", "1569856320", false, nil, "10 chiffres au lieu de 12"},
		{"1234567890123456789", "1234567890123456789", false, nil, "19 chiffres au lieu de 12"},
	}
	for _, tt := range tests {
		r, err := CheckNEPH(tt.in)
		if err != nil {
			t.Errorf("CheckNEPH(%q): %v", tt.in, err)
			continue
		}
		if r.Digits != tt.digits || r.Length != len(tt.digits) || r.Standard != tt.standard {
			t.Errorf("CheckNEPH(%q) = %+v", tt.in, r)
		}
		if (r.Layout == nil) != (tt.layout == nil) || (r.Layout != nil && *r.Layout != *tt.layout) {
			t.Errorf("CheckNEPH(%q).Layout = %+v, want %+v", tt.in, r.Layout, tt.layout)
		}
		joined := strings.Join(r.Warnings, " | ")
		if (tt.warning == "") != (joined == "") || !strings.Contains(joined, tt.warning) {
			t.Errorf("CheckNEPH(%q).Warnings = %q, want one containing %q", tt.in, joined, tt.warning)
		}
	}
}

// §1.1: a NEPH holds digits only, 10 to 19 of them.
func TestCheckNEPHErrors(t *testing.T) {
	tests := []struct{ in, code, fragment string }{
		{"12345678901A", CodeFormat, "position 12"},
		{"123456789", CodeLength, "9 chiffres"},
		{"12345678901234567890", CodeLength, "20 chiffres"},
		{"", CodeLength, "0 chiffres"},
	}
	for _, tt := range tests {
		_, err := CheckNEPH(tt.in)
		mustCheckErr(t, err, ErrNEPH, "neph", tt.code, tt.fragment, "NEPH invalide")
	}
}

func TestCheckNEPHJSON(t *testing.T) {
	r, err := CheckNEPH("230334100123")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	for _, key := range []string{`"digits":"230334100123"`, `"length":12`, `"standard":true`, `"departement":"34"`, `"layout_confirmed":false`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
}

// §1.2: a card number or an MRZ, told apart by shape.
func TestCheckTitle(t *testing.T) {
	r, err := CheckTitle("13aa00002")
	if err != nil || r.Kind != KindTitleNumber || r.MRZ != nil ||
		*r.TitleNumber != (TitleNumberParts{Number: "13AA00002", Year: "13", Letters: "AA", Serial: "00002"}) {
		t.Errorf("CheckTitle(13aa00002) = %+v, %v", r, err)
	}

	r, err = CheckTitle("D1FRA19CK008718340702LEFEBVRE7")
	if err != nil || r.Kind != KindMRZ || r.TitleNumber == nil || r.TitleNumber.Serial != "00871" {
		t.Fatalf("CheckTitle(MRZ) = %+v, %v", r, err)
	}
	m := r.MRZ
	if m.DocumentCode != "D1" || m.Country != "FRA" || m.DocumentNumber != "19CK00871" || m.Surname != "LEFEBVRE" ||
		m.Expiry != d("2034-07-02") ||
		m.NumberCheckDigit != (CheckDigitReport{Position: 15, Expected: 8, Found: 8, Valid: true}) ||
		m.CompositeCheckDigit != (CheckDigitReport{Position: 30, Expected: 7, Found: 7, Valid: true}) {
		t.Errorf("CheckTitle(MRZ).MRZ = %+v", m)
	}
}

// §1.2: a wrong check digit gives both the filled report and the error.
func TestCheckTitleWrongDigit(t *testing.T) {
	r, err := CheckTitle("D1FRA13AA000026181231MARTIN<<8")
	mustCheckErr(t, err, ErrMRZ, "composite_check_digit", CodeCheckDigit, "attendu 9, trouvé 8")
	if r.MRZ == nil || !r.MRZ.NumberCheckDigit.Valid || r.MRZ.CompositeCheckDigit.Valid {
		t.Errorf("report = %+v", r.MRZ)
	}
}

func TestCheckTitleErrors(t *testing.T) {
	tests := []struct{ in, kind, field, code string }{
		{"13AA0002", KindTitleNumber, "length", CodeLength},
		{"AAAA00002", KindTitleNumber, "year", CodeFormat},
		{"D1FRA13AA0000261812", KindTitleNumber, "length", CodeLength},
		{"D1FRA13AA000026181231MARTIN<", KindMRZ, "length", CodeLength},
		{"D1FRA13AA000026181231MARTIN<<<<", KindMRZ, "length", CodeLength},
	}
	for _, tt := range tests {
		r, err := CheckTitle(tt.in)
		if r.Kind != tt.kind {
			t.Errorf("CheckTitle(%q).Kind = %q, want %q", tt.in, r.Kind, tt.kind)
		}
		class := ErrTitleNumber
		if tt.kind == KindMRZ {
			class = ErrMRZ
		}
		mustCheckErr(t, err, class, tt.field, tt.code)
	}
}

// An MRZ whose number does not look like YYAA99999 is still read, with a
// warning (the card-number rule is UNCONFIRMED, §1.2).
func TestCheckTitleOddNumber(t *testing.T) {
	line := BuildMRZ("AB1234567", d("2030-05-01"), "Durand")
	r, err := CheckTitle(line)
	if err != nil || r.TitleNumber != nil || len(r.Warnings) != 1 || r.MRZ.DocumentNumber != "AB1234567" {
		t.Errorf("CheckTitle(%q) = %+v, %v", line, r, err)
	}
}
