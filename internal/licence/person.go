package licence

import (
	"strings"
	"unicode"
)

// NormalizeName returns the form in which names are compared ("names
// compared without accents or case"): upper case, accents removed, hyphens,
// apostrophes and any other character that is neither a letter nor a digit
// turned into a space, runs of spaces folded into one, no leading or trailing
// space. "Jean-Pierre  d'Aubigné" and "JEAN PIERRE D AUBIGNE" compare equal.
//
// It is a comparison key, not a display form: show the name as recorded.
func NormalizeName(s string) string {
	folded := foldUpper(s)
	var b strings.Builder
	b.Grow(len(folded))
	space := false
	for _, r := range folded {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// SameName reports whether two names are the same once normalised
// (NormalizeName).
func SameName(a, b string) bool { return NormalizeName(a) == NormalizeName(b) }

// FullName returns the name as a French reader expects it on a letter or a
// statement: given names, then the family (birth) name in capitals, then the
// usage name when there is one, e.g. "Marie Claire DUPONT (nom d'usage :
// MARTIN)". The birth name comes first because the card shows it (§5, change
// of civil status).
func (p Person) FullName() string {
	var parts []string
	for _, g := range p.GivenNames {
		if g = strings.TrimSpace(g); g != "" {
			parts = append(parts, g)
		}
	}
	if f := strings.TrimSpace(p.FamilyName); f != "" {
		parts = append(parts, strings.ToUpper(f))
	}
	name := strings.Join(parts, " ")
	usage := strings.TrimSpace(p.UsageName)
	if usage != "" && !SameName(usage, p.FamilyName) {
		name += " (nom d'usage : " + strings.ToUpper(usage) + ")"
	}
	return name
}
