package requests

import "permis/internal/licence"

// A new card after a loss, a theft or damage (a duplicate) and the
// attestation de perte both tell whoever reads them that their holder may
// drive: the attestation "lets the holder drive" for two months
// (service-public F1727), the duplicate is a licence. Neither may be issued
// while the right to drive is not valid — retained (F1040), suspended
// (F14836, F21761), invalidated (F1704; driving anyway is a délit,
// Code de la route L223-5) or annulled (F21774) — issue 10, finding 3.
// The card itself stays with, or goes back to, the préfecture; what the
// holder does instead depends on the measure.

// IsDuplicate reports whether requests of kind k replace a card that was
// lost, stolen or damaged.
func IsDuplicate(k Kind) bool { return k == Loss || k == Theft || k == Damage }

// DuplicateRefusal returns, when the right to drive in state s forbids a
// request of kind k, the French explanation of why and what to do instead;
// "" when the request may be filed.
func DuplicateRefusal(k Kind, s licence.RightState) string {
	if !IsDuplicate(k) || s == licence.StateValid {
		return ""
	}
	why := "Votre droit à conduire est " + s.Label() + " : aucun nouveau permis ni aucune attestation vous autorisant à conduire ne peut être délivré tant qu'il l'est. "
	theft := ""
	if k == Theft {
		theft = " Si votre permis a été volé, déclarez quand même le vol à la police ou à la gendarmerie : le récépissé vous protège si quelqu'un s'en sert."
	}
	switch s {
	case licence.StateRetained:
		return why + "À la fin de la rétention (72 ou 120 heures), votre permis vous est rendu ou une suspension vous est notifiée ; faites votre demande ensuite si vous en avez encore besoin." + theft
	case licence.StateSuspendedAdmin, licence.StateSuspendedCourt:
		return why + "À la fin de la suspension, demandez la restitution de votre permis (démarche « Restitution après suspension », avec l'avis médical s'il est exigé) : un nouveau titre vous sera alors délivré." + theft
	case licence.StateInvalidated, licence.StateAnnulled:
		return why + "Après une invalidation ou une annulation, le permis doit être remis à la préfecture ; au terme du délai, demandez un nouveau permis (démarche « Nouveau permis après invalidation ou annulation »)." + theft
	}
	return why + "Contactez l'assistance (3400) pour connaître la démarche adaptée." + theft
}
