package licence

import "testing"

// REFERENCE §2.3: EU codes 01–99 with sub-codes, national codes 100+.
func TestParseRestriction(t *testing.T) {
	tests := []struct {
		in, code, detail, main string
	}{
		{"01", "01", "", "01"},
		{"01.01", "01.01", "", "01"},
		{" 10.02 ", "10.02", "", "10"},
		{"78", "78", "", "78"},
		{"96", "96", "", "96"},
		{"105", "105", "", "105"},
		{"106.24/06/13 - 24.06.16", "106", "24/06/13 - 24.06.16", "106"},
		{"70.0123456789.GB", "70", "0123456789.GB", "70"},
		{"95.01.01.20", "95", "01.01.20", "95"},
		{"01.01 ajouté en 2020", "01.01", "ajouté en 2020", "01"},
		{"118", "118", "", "118"},
	}
	for _, tt := range tests {
		r, err := ParseRestriction(tt.in)
		if err != nil || r.Code != tt.code || r.Detail != tt.detail || r.Main() != tt.main {
			t.Errorf("ParseRestriction(%q) = %+v (main %q), %v; want %q %q", tt.in, r, r.Main(), err, tt.code, tt.detail)
			continue
		}
		back, err := ParseRestriction(r.String())
		if err != nil || back != r {
			t.Errorf("ParseRestriction(%q) = %+v, %v; want %+v", r.String(), back, err, r)
		}
	}
}

func TestParseRestrictionErrors(t *testing.T) {
	tests := []struct{ in, code, fragment string }{
		{"", CodeFormat, "code chiffré"},
		{"A1", CodeFormat, "code chiffré"},
		{"1", CodeLength, "2 chiffres"},
		{"1234", CodeLength, "3 chiffres"},
		{"00", CodeUnknown, "00"},
		{"078", CodeFormat, "100"},
	}
	for _, tt := range tests {
		_, err := ParseRestriction(tt.in)
		mustCheckErr(t, err, ErrRestriction, "code", tt.code, tt.fragment)
	}
}

// §2.3 labels, with a fall-back from an unlisted sub-code to its main code.
func TestRestrictionLabel(t *testing.T) {
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"01", "Correction de la vue obligatoire", true},
		{"01.01", "Lunettes", true},
		{"01.03", "Correction de la vue obligatoire", true},
		{"78", "Limité aux véhicules à boîte de vitesses automatique", true},
		{"105", "Période probatoire après invalidation ou annulation", true},
		{"69", "Uniquement les véhicules équipés d'un éthylotest antidémarrage (EAD)", true},
		{"42", "", false},
		{"42.01", "", false},
	}
	for _, tt := range tests {
		got, ok := RestrictionLabel(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RestrictionLabel(%q) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
	if l := (Restriction{Code: "96"}).Label(); l == "" {
		t.Error("Label of 96 is empty")
	}
}
