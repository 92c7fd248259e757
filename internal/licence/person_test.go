package licence

import "testing"

// "Names compared without accents or case" (REFERENCE §1.1, Candilib checks
// the NEPH against the surname).
func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Martin", "MARTIN"},
		{"Lefèbvre", "LEFEBVRE"},
		{"Jean-Pierre  d'Aubigné", "JEAN PIERRE D AUBIGNE"},
		{"  Lætitia   Œuvray ", "LAETITIA OEUVRAY"},
		{"Çelik–Straße", "CELIK STRASSE"},
		{"O’Neil", "O NEIL"},
		{"--", ""},
		{"Ἀλέξανδρος", "ἈΛΈΞΑΝΔΡΟΣ"}, // unlisted letters are kept, upper-cased
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !SameName("Éloïse DUPRÉ-LÉGER", "eloise dupre leger") || SameName("Dupont", "Dupond") {
		t.Error("SameName")
	}
}

func TestFullName(t *testing.T) {
	tests := []struct {
		p    Person
		want string
	}{
		{Person{GivenNames: []string{"Marie", "Claire"}, FamilyName: "Dupont"}, "Marie Claire DUPONT"},
		{Person{GivenNames: []string{"Marie"}, FamilyName: "Dupont", UsageName: "Martin"}, "Marie DUPONT (nom d'usage : MARTIN)"},
		{Person{GivenNames: []string{"Marie"}, FamilyName: "Dupont", UsageName: "dupont"}, "Marie DUPONT"},
		{Person{GivenNames: []string{" ", "Luc"}, FamilyName: " Léger "}, "Luc LÉGER"},
	}
	for _, tt := range tests {
		if got := tt.p.FullName(); got != tt.want {
			t.Errorf("FullName(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
