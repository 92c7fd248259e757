package openinghours

import (
	"slices"
	"testing"
)

// Issue 11 item 14: "Mo-Fr 08:30-12:00 ; 13:30-16:30" reads as the
// specification says (corpus.txt), with a warning that gives the likely
// intended value.
func TestWarnings(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"Mo-Fr 08:30-12:00 ; 13:30-16:30", []string{`après ";", la règle "13:30-16:30" vaut pour tous les jours et remplace "Mo-Fr 08:30-12:00" (ses horaires ne s'appliquent plus) ; vouliez-vous écrire "Mo-Fr 08:30-12:00,13:30-16:30" ?`}},
		{"Mo-Fr 08:30-12:00; 13:30-16:30; PH off", []string{`après ";", la règle "13:30-16:30" vaut pour tous les jours et remplace "Mo-Fr 08:30-12:00" (ses horaires ne s'appliquent plus) ; vouliez-vous écrire "Mo-Fr 08:30-12:00,13:30-16:30; PH off" ?`}},
		{"Mo-Fr 08:30-12:00,13:30-16:30", nil},
		{"Mo-Fr 08:30-12:00, 13:30-16:30", nil}, // additional rule: adds, as meant
		{"10:00-12:00; 14:00-16:00", nil},       // times only twice: nothing to merge into
		{"Mo-Fr 09:00-12:00; Sa 10:00-12:00", nil},
		{"Mo-Fr 09:00-12:00; 13:00-14:00 off", nil},
	} {
		if got := MustParse(tt.in).Warnings(); !slices.Equal(got, tt.want) {
			t.Errorf("Warnings(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if MustParse("Mo-Fr 08:30-12:00,13:30-16:30").String() != "Mo-Fr 08:30-12:00,13:30-16:30" {
		t.Error("the suggested value does not read back to itself")
	}
}
