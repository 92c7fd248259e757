package twoddoc

import (
	"testing"
	"time"

	"permis/internal/date"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"Lætitia Gérôme":           "LAETITIA GEROME",
		"  d’Artagnan  ":           "D'ARTAGNAN",
		"Saint-Étienne-du-Rouvray": "SAINT-ETIENNE-DU-ROUVRAY",
		"Œdipe, Straße":            "OEDIPE STRASSE",
		"78/01.04":                 "78/01.04",
		"Jean\tFrançois\n":         "JEAN FRANCOIS",
		"Zoë (née X)":              "ZOE NEE X",
		"":                         "",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// Each value type is shown the way a French reader expects.
func TestDisplay(t *testing.T) {
	for _, tc := range []struct{ id, v, want string }{
		{"69", "08051942", "08/05/1942"},
		{"69", "3105194", "3105194"}, // malformed values are shown as they are
		{"AD", "16D4", "01/01/2016"},
		{"08", "FFFF", "aucune"},
		{"E8", "020220211522", "02/02/2021 à 15:22"},
		{"AE", "0132", "01:32"},
		{"07", "153045", "15:30:45"},
		{"AG", "C", "12"},
		{"AF", "4", "4"},
		{"A7", "0FA", "250"},
		{"1G", "1", "oui"},
		{"E5", "50", "50 (valide)"},
		{"E5", "51", "51"},
		{"AB", "48SI", "48SI (lettre 48SI : invalidation pour solde nul)"},
		{"6G", "DUPONT", "DUPONT"},
	} {
		d, ok := Lookup(tc.id)
		if !ok {
			t.Fatalf("%s not in the table", tc.id)
		}
		if got := Display(d, tc.v); got != tc.want {
			t.Errorf("Display(%s, %q) = %q, want %q", tc.id, tc.v, got, tc.want)
		}
	}
}

func TestDateField(t *testing.T) {
	d := date.Of(2016, time.January, 1)
	for id, want := range map[string]string{"69": "01012016", "AD": "16D4", "D4": "01012016"} {
		f, err := DateField(id, d)
		if err != nil || f.Value != want {
			t.Errorf("DateField(%s) = %q, %v; want %q", id, f.Value, err, want)
		}
	}
	if _, err := DateField("6G", d); err == nil {
		t.Error("a date in a name field")
	}
	if _, err := DateField("ZZ", d); err == nil {
		t.Error("unknown id accepted")
	}
}

// The table holds what the brief and §13.3 require, with sane limits.
func TestIdentifierTable(t *testing.T) {
	for _, id := range []string{"10", "11", "12", "13", "14", "20", "24", "2D", "60", "62", "69", "6A", "6G", "6H",
		"AB", "AC", "AD", "AE", "AF", "AG", "D3", "D4", "E0", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9",
		"EA", "EB", "EC", "ED", "EE", "EF"} {
		if _, ok := Lookup(id); !ok {
			t.Errorf("%s missing", id)
		}
	}
	for _, d := range Identifiers() {
		if len(d.ID) != 2 || !isIDString(d.ID) || d.Label == "" || d.Min < 0 || d.Max != Unbounded && d.Max < d.Min || d.Max == 0 {
			t.Errorf("bad entry %+v", d)
		}
		if d.Type != Text && d.Type != Digits && !d.Fixed() {
			t.Errorf("%s: typed values have a fixed length in the spec", d.ID)
		}
	}
	if DocTypeLabel("AB") != "Relevé d'information permis de conduire" || DocTypeLabel("ZZ") != "" {
		t.Error("document types")
	}
}
