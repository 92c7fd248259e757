package contest

import "slices"

// Ground is the reason given for a contest.
type Ground string

// The grounds of CPP 529-10 (and of a réclamation, CPP 530).
const (
	Stolen         Ground = "stolen"
	Destroyed      Ground = "destroyed"
	UsurpedPlate   Ground = "usurped_plate"
	Sold           Ground = "sold"
	OtherDriver    Ground = "other_driver"
	ContestOffence Ground = "contest_offence"
)

// Grounds lists every ground, the sold vehicle first (the path most people
// who write to the préfecture take).
func Grounds() []Ground {
	return []Ground{Sold, OtherDriver, Stolen, Destroyed, UsurpedPlate, ContestOffence}
}

// Document is a piece a contest sends with it.
type Document string

// The documents of CPP 529-10 1° and 2°.
const (
	TheftReport            Document = "theft_report"            // récépissé du dépôt de plainte (vol, usurpation)
	DestructionDeclaration Document = "destruction_declaration" // déclaration de destruction du véhicule
	SaleDeclaration        Document = "sale_declaration"        // déclaration de cession
	SaleAcknowledgement    Document = "sale_acknowledgement"    // son accusé d'enregistrement dans le SIV
	DriverDesignation      Document = "driver_designation"      // identité, adresse, référence du permis du conducteur
)

// Documents lists every document.
func Documents() []Document {
	return []Document{TheftReport, DestructionDeclaration, SaleDeclaration, SaleAcknowledgement, DriverDesignation}
}

// RequiredDocuments returns the documents ground g needs (CPP 529-10):
// 1° the complaint receipt for a theft or a usurped plate (L317-4-1), the
// destruction declaration, or the sale declaration and its registration
// acknowledgement; 2° the designation of the driver. Contesting the offence
// needs a deposit instead (3°, see DepositRequired).
func RequiredDocuments(g Ground) []Document {
	switch g {
	case Stolen, UsurpedPlate:
		return []Document{TheftReport}
	case Destroyed:
		return []Document{DestructionDeclaration}
	case Sold:
		return []Document{SaleDeclaration, SaleAcknowledgement}
	case OtherDriver:
		return []Document{DriverDesignation}
	}
	return nil
}

// MissingDocuments returns the documents ground g needs that are not
// among those given, in the order of RequiredDocuments.
func MissingDocuments(g Ground, given []Document) []Document {
	var missing []Document
	for _, d := range RequiredDocuments(g) {
		if !slices.Contains(given, d) {
			missing = append(missing, d)
		}
	}
	return missing
}

// DepositRequired returns the consignation a contest on ground g needs:
// the fine's amount when the offence itself is contested, the AFM's amount
// for a réclamation (CPP 529-10 3°, 530); nothing otherwise.
func DepositRequired(n Notice, g Ground) int {
	if g == ContestOffence {
		return n.Fine
	}
	return 0
}
