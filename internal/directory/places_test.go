package directory

import (
	"testing"
)

func TestLookupPlace(t *testing.T) {
	tests := []struct{ query, want string }{
		{"Montpellier", "Montpellier"},
		{"montpellier", "Montpellier"},
		{"34000", "Montpellier"},
		{"34090", "Montpellier"},
		{"34172", "Montpellier"},
		{"34000 Montpellier", "Montpellier"},
		{"Montpellier (34000)", "Montpellier"},
		{"Montpellier Cedex 2", "Montpellier"},
		{"beziers", "Béziers"},
		{"BÉZIERS", "Béziers"},
		{"Sete", "Sète"},
		{"st gely du fesc", "Saint-Gély-du-Fesc"},
		{"Saint-Gély-du-Fesc", "Saint-Gély-du-Fesc"},
		{"clermont l herault", "Clermont-l'Hérault"},
		{"Clermont", "Clermont-l'Hérault"},
		{"Lunel", "Lunel"},
		{"Lunel-Viel", "Lunel-Viel"},
		{"34400", "Lunel"},
		{"Montpel", "Montpellier"},
		{"Saint", ""}, // ambiguous
		{"Paris", ""}, // not in the table
		{"75001", ""}, // not in the table
		{"", ""},      // nothing
		{"Lu", ""},    // too short to be a prefix, and ambiguous
		{"Lodeve", "Lodève"},
	}
	for _, tt := range tests {
		p, ok := LookupPlace(tt.query)
		if ok != (tt.want != "") || p.Name != tt.want {
			t.Errorf("LookupPlace(%q) = %q, %v; want %q", tt.query, p.Name, ok, tt.want)
		}
	}
}

// TestPlaces checks the table: codes of the Hérault, names unique once
// folded, positions in the département's rough box.
func TestPlaces(t *testing.T) {
	herault := Box{MinLat: 43.2, MaxLat: 44.0, MinLon: 2.5, MaxLon: 4.25}
	seen := map[string]bool{}
	ps := Places()
	if len(ps) < 25 {
		t.Fatalf("%d places, want at least 25", len(ps))
	}
	for _, p := range ps {
		key := FoldCommune(p.Name)
		if seen[key] {
			t.Errorf("%s twice", p.Name)
		}
		seen[key] = true
		if DepartementOfINSEE(p.INSEE) != "34" || len(p.PostalCodes) == 0 {
			t.Errorf("%s: INSEE %s, postal codes %v", p.Name, p.INSEE, p.PostalCodes)
		}
		for _, pc := range p.PostalCodes {
			if DepartementOfPostalCode(pc) != "34" {
				t.Errorf("%s: postal code %s", p.Name, pc)
			}
		}
		if !herault.Contains(p.Point) {
			t.Errorf("%s: %v is outside the Hérault", p.Name, p.Point)
		}
	}
}
