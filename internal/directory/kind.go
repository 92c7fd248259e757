package directory

import "strings"

// Kind is what a directory entry is.
type Kind string

// The kinds of entry (GLOSSARY: ApprovedDoctor, MedicalCommission,
// HelpPoint).
const (
	Photographer      Kind = "photographer"       // photographer approved for ePhoto codes (§7)
	PhotoBooth        Kind = "photo_booth"        // photo booth approved for ePhoto codes (§7)
	ApprovedDoctor    Kind = "approved_doctor"    // médecin agréé for the medical check (§10.1)
	MedicalCommission Kind = "medical_commission" // commission médicale primaire (§10.1)
	HelpPoint         Kind = "help_point"         // point numérique, France Services, EPN… (§12)
)

// Kinds lists the kinds in display order.
func Kinds() []Kind {
	return []Kind{HelpPoint, Photographer, PhotoBooth, ApprovedDoctor, MedicalCommission}
}

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	switch k {
	case Photographer, PhotoBooth, ApprovedDoctor, MedicalCommission, HelpPoint:
		return true
	}
	return false
}

// Label is the kind in French, for a page or a report.
func (k Kind) Label() string {
	switch k {
	case Photographer:
		return "Photographe agréé (photo et signature numériques)"
	case PhotoBooth:
		return "Cabine photo agréée (photo et signature numériques)"
	case ApprovedDoctor:
		return "Médecin agréé (contrôle médical du permis)"
	case MedicalCommission:
		return "Commission médicale du permis de conduire"
	case HelpPoint:
		return "Lieu d'aide aux démarches en ligne"
	}
	return string(k)
}

// NeedsApproval reports whether entries of kind k carry an approval
// (agrément) number: approved photographers, booths and doctors. A
// commission is set up by the préfet and a help point needs none.
func (k Kind) NeedsApproval() bool {
	return k == Photographer || k == PhotoBooth || k == ApprovedDoctor
}

// kindNames are the values accepted in the CSV column "type", folded
// (lower case, no accents, "_" between words): our English codes and the
// French words a person would type.
var kindNames = map[string]Kind{
	"photographer": Photographer, "photographe": Photographer, "photographe_agree": Photographer,
	"photo_booth": PhotoBooth, "cabine": PhotoBooth, "cabine_photo": PhotoBooth,
	"cabine_photo_agreee": PhotoBooth, "photomaton": PhotoBooth,
	"approved_doctor": ApprovedDoctor, "medecin": ApprovedDoctor, "medecin_agree": ApprovedDoctor,
	"medical_commission": MedicalCommission, "commission": MedicalCommission,
	"commission_medicale": MedicalCommission, "commission_medicale_primaire": MedicalCommission,
	"help_point": HelpPoint, "point_aide": HelpPoint, "lieu_aide": HelpPoint,
	"lieu_mediation": HelpPoint, "lieu_de_mediation_numerique": HelpPoint, "point_numerique": HelpPoint,
}

// ParseKind reads a kind as written in the CSV column "type": the English
// code ("approved_doctor") or the French words ("médecin agréé",
// "Cabine photo"), in any case, with or without accents.
func ParseKind(s string) (Kind, bool) {
	k, ok := kindNames[foldKey(s)]
	return k, ok
}

// kindHint lists the accepted "type" values for an error message.
const kindHint = "photographe, cabine_photo, medecin_agree, commission_medicale ou point_aide"

// foldKey folds a column name or a keyword: lower case, accents removed,
// every run of other characters one "_": "Code postal" → "code_postal",
// "Médecin agréé" → "medecin_agree".
func foldKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(FoldName(s), " ", "_"))
}
