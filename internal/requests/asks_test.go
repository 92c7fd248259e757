package requests

import "testing"

// The medical question is asked where a medical opinion may be needed
// (arrêté du 28 mars 2022, R. 221-10 et R. 226-1 à R. 226-4 du code de la
// route), not for a lost, stolen or damaged licence (R. 221-14).
func TestAsksHealth(t *testing.T) {
	for _, tc := range []struct {
		kind Kind
		want bool
	}{
		{FirstLicence, true}, {Renewal, true}, {ExchangeEU, true},
		{Loss, false}, {Theft, false}, {Damage, false},
	} {
		ty, err := Lookup(string(tc.kind))
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		if got := ty.AsksHealth(); got != tc.want {
			t.Errorf("%s asks the medical question: %v, want %v", tc.kind, got, tc.want)
		}
	}
}
