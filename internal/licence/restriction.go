package licence

import (
	"strings"
)

// restrictionLabels are the French labels of the field-12 codes of §2.3:
// EU harmonised codes 01–99 with their sub-codes, national codes 100 and up.
// The full list is Annex I of Directive 2006/126/CE and the arrêté of
// 20 April 2012 as amended on 14 December 2016; add codes here as needed.
var restrictionLabels = map[string]string{
	"01":    "Correction de la vue obligatoire",
	"01.01": "Lunettes",
	"01.02": "Lentilles de contact",
	"01.05": "Couvre-œil",
	"01.06": "Lunettes ou lentilles de contact",
	"02":    "Prothèse auditive",
	"05":    "Limitations de conduite pour raisons médicales",
	"05.01": "Conduite de jour uniquement",
	"10":    "Boîte de vitesses adaptée",
	"10.02": "Boîte de vitesses automatique pour raisons médicales",
	"69":    "Uniquement les véhicules équipés d'un éthylotest antidémarrage (EAD)",
	"70":    "Permis obtenu par échange",
	"78":    "Limité aux véhicules à boîte de vitesses automatique",
	"79":    "Usage restreint",
	"96":    "B avec remorque, ensemble de 3 500 à 4 250 kg",
	"105":   "Période probatoire après invalidation ou annulation",
	"106":   "Période probatoire du premier permis",
	"108":   "Mention liée à la catégorie AM", // wording UNCONFIRMED (§2.3)
}

// RestrictionLabel returns the French label of a field-12 code (§2.3). An
// unlisted sub-code falls back to its main code's label ("01.03" → the label
// of 01). ok is false for a code that is not listed at all.
func RestrictionLabel(code string) (label string, ok bool) {
	if l, ok := restrictionLabels[code]; ok {
		return l, true
	}
	if main, _, found := strings.Cut(code, "."); found {
		l, ok := restrictionLabels[main]
		return l, ok
	}
	return "", false
}

// ParseRestriction reads a field-12 mention (§2.3): a two-digit EU code
// (01 to 99) with an optional two-digit sub-code ("01.01", "10.02"), or a
// three-digit national code (100 and up). Whatever follows the code is its
// detail: the dates of 105 and 106 ("106.24/06/13 - 24.06.16"), the origin
// of 70. Codes need not be listed in RestrictionLabel to be accepted: the
// list is open. Errors are *CheckError of class ErrRestriction.
func ParseRestriction(s string) (Restriction, error) {
	s = strings.TrimSpace(s)
	n := 0
	for n < len(s) && isDigit(rune(s[n])) {
		n++
	}
	main, rest := s[:n], s[n:]
	switch {
	case n == 0:
		return Restriction{}, checkErr(ErrRestriction, "code", CodeFormat, 1, "%q ne commence pas par un code chiffré (01, 78, 105…)", s)
	case n == 1 || n > 3:
		return Restriction{}, checkErr(ErrRestriction, "code", CodeLength, 0, "le code %q doit avoir 2 chiffres (01 à 99) ou 3 chiffres (100 et plus)", main)
	case main == "00":
		return Restriction{}, checkErr(ErrRestriction, "code", CodeUnknown, 0, "le code 00 n'existe pas")
	case n == 3 && main[0] == '0':
		return Restriction{}, checkErr(ErrRestriction, "code", CodeFormat, 0, "un code national à 3 chiffres commence à 100, trouvé %q", main)
	}
	code := main
	// An EU code's sub-code is exactly two digits after a dot, ending the
	// mention; anything else after the code is detail.
	if n == 2 && len(rest) >= 3 && rest[0] == '.' && isDigit(rune(rest[1])) && isDigit(rune(rest[2])) && (len(rest) == 3 || rest[3] == ' ') {
		code, rest = main+rest[:3], rest[3:]
	}
	detail := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "."))
	return Restriction{Code: code, Detail: detail}, nil
}

// Main returns the main code without its sub-code ("01" for "01.01").
func (r Restriction) Main() string {
	main, _, _ := strings.Cut(r.Code, ".")
	return main
}

// Label returns the French label of the restriction's code, or "" when the
// code is not listed.
func (r Restriction) Label() string {
	l, _ := RestrictionLabel(r.Code)
	return l
}

// String writes the mention as printed in field 12: the code, then its
// detail after a dot ("105.01/03/2025 - 01/03/2028"), or after a space when
// the code has a sub-code ("01.01 …"), so that ParseRestriction reads it back.
func (r Restriction) String() string {
	switch {
	case r.Detail == "":
		return r.Code
	case strings.Contains(r.Code, "."):
		return r.Code + " " + r.Detail
	}
	return r.Code + "." + r.Detail
}
