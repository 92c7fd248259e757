package requests

import (
	"strings"
	"testing"

	"permis/internal/licence"
)

// A duplicate or an attestation de perte says its holder may drive: none
// while the right is not valid (F1727, F1040, F14836, F21761, F1704 with
// Code de la route L223-5, F21774; issue 10, finding 3).
func TestDuplicateRefusal(t *testing.T) {
	for _, tc := range []struct {
		kind  Kind
		state licence.RightState
		want  string // "" allowed, else a part of the explanation
	}{
		{Loss, licence.StateValid, ""},
		{Theft, licence.StateValid, ""},
		{Damage, licence.StateValid, ""},
		{Loss, licence.StateRetained, "fin de la rétention"},
		{Loss, licence.StateSuspendedAdmin, "Restitution après suspension"},
		{Damage, licence.StateSuspendedCourt, "Restitution après suspension"},
		{Loss, licence.StateInvalidated, "Nouveau permis après invalidation"},
		{Loss, licence.StateAnnulled, "Nouveau permis après invalidation"},
		{Theft, licence.StateInvalidated, "déclarez quand même le vol"},
		{Restitution, licence.StateSuspendedAdmin, ""}, // the way back is not a duplicate
		{AfterInvalidation, licence.StateInvalidated, ""},
		{Renewal, licence.StateValid, ""},
	} {
		got := DuplicateRefusal(tc.kind, tc.state)
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s while %s refused: %q", tc.kind, tc.state, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s while %s: %q, want it to say %q", tc.kind, tc.state, got, tc.want)
		case tc.want != "" && !strings.Contains(got, "aucun nouveau permis ni aucune attestation"):
			t.Errorf("%s while %s: %q does not say why", tc.kind, tc.state, got)
		}
	}
}
