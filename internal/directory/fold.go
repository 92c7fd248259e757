package directory

import (
	"strings"

	"permis/internal/licence"
)

// FoldName is the comparison key of a name: upper case, accents removed,
// anything that is neither a letter nor a digit a single space
// (licence.NormalizeName). "Pézenas" and "PEZENAS" compare equal.
func FoldName(s string) string { return licence.NormalizeName(s) }

// FoldCommune is the comparison key of a commune, the one the store
// searches on: FoldName, with the abbreviations "St" and "Ste" written out
// and a postal "Cedex" suffix dropped. "St-Gély-du-Fesc", "SAINT GELY DU
// FESC" and "Saint-Gély-du-Fesc" give the same key, and so do "Montpellier
// Cedex 2" and "Montpellier".
func FoldCommune(s string) string {
	words := strings.Fields(FoldName(s))
	out := words[:0]
	for _, w := range words {
		switch w {
		case "CEDEX":
			return strings.Join(out, " ")
		case "ST":
			w = "SAINT"
		case "STE":
			w = "SAINTE"
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}
