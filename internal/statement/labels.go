package statement

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// categoryVehicles says in a few words what each category lets one drive
// (§2.1), for a reader who does not know the codes: an insurer, an employer.
var categoryVehicles = map[licence.Category]string{
	licence.CategoryAM:  "Cyclomoteurs et voiturettes",
	licence.CategoryA1:  "Motocyclettes légères (125 cm³, 11 kW)",
	licence.CategoryA2:  "Motocyclettes de 35 kW au plus",
	licence.CategoryA:   "Toutes motocyclettes",
	licence.CategoryB1:  "Quadricycles lourds à moteur",
	licence.CategoryB:   "Voitures de 3,5 t au plus, 8 passagers au plus",
	licence.CategoryBE:  "Catégorie B avec remorque de plus de 750 kg",
	licence.CategoryC1:  "Camions de 3,5 à 7,5 t",
	licence.CategoryC1E: "Catégorie C1 avec remorque de plus de 750 kg",
	licence.CategoryC:   "Poids lourds de plus de 3,5 t",
	licence.CategoryCE:  "Catégorie C avec remorque de plus de 750 kg",
	licence.CategoryD1:  "Minibus : 16 passagers au plus, 8 m au plus",
	licence.CategoryD1E: "Catégorie D1 avec remorque de plus de 750 kg",
	licence.CategoryD:   "Autobus et autocars",
	licence.CategoryDE:  "Catégorie D avec remorque de plus de 750 kg",
}

// kindLabel names a movement of the balance (§3.3–§3.5).
func kindLabel(k points.Kind) string {
	switch k {
	case points.KindOffence:
		return "Retrait de points"
	case points.KindRecovery6M:
		return "Point restitué après 6 mois"
	case points.KindRecoveryFull:
		return "Reconstitution du capital de points"
	case points.KindRecovery10Y:
		return "Restitution au bout de 10 ans"
	case points.KindCourse:
		return "Stage de sensibilisation"
	case points.KindProbation:
		return "Majoration du permis probatoire"
	}
	return string(k)
}

// letterLabel names a ministry letter (§3.6).
func letterLabel(t points.LetterType) string {
	switch t {
	case points.Letter48:
		return "Information sur un retrait de points"
	case points.Letter48M:
		return "Avertissement : solde de 6 points ou moins"
	case points.Letter48N:
		return "Stage obligatoire du permis probatoire"
	case points.Letter48SI:
		return "Invalidation du permis : solde de points nul"
	}
	return ""
}

// probationLabel names the probationary path (§3.1).
func probationLabel(p points.Probation) string {
	switch p {
	case points.ProbationStandard:
		return "apprentissage traditionnel ou conduite supervisée"
	case points.ProbationAAC:
		return "apprentissage anticipé de la conduite (AAC)"
	}
	return ""
}

// restrictionLabel is r's label, from the register's list when the caller
// gave none.
func restrictionLabel(r Restriction) string {
	if r.Label != "" {
		return r.Label
	}
	l, _ := licence.RestrictionLabel(r.Code)
	return l
}

// rightSentence says the state of the right as a sentence, with its dates.
func rightSentence(r Right) string {
	s := "Le droit à conduire est " + r.State.Label()
	if r.State != licence.StateValid {
		s += " depuis le " + r.Since.French()
		if r.Until.Valid {
			s += ", jusqu'au " + r.Until.Date.French()
		}
	}
	return s + "."
}

// fullName is the name in the order the card prints it (licence.Person).
func fullName(h Holder) string {
	return licence.Person{FamilyName: h.FamilyName, UsageName: h.UsageName, GivenNames: h.GivenNames}.FullName()
}

// civilStatus is the holder's identity as label–value lines.
func civilStatus(h Holder) [][2]string {
	rows := [][2]string{{"Nom de naissance", strings.ToUpper(h.FamilyName)}}
	if u := strings.TrimSpace(h.UsageName); u != "" && !licence.SameName(u, h.FamilyName) {
		rows = append(rows, [2]string{"Nom d'usage", strings.ToUpper(u)})
	}
	rows = append(rows,
		[2]string{"Prénoms", strings.Join(h.GivenNames, ", ")},
		[2]string{"Date et lieu de naissance", h.BirthDate.French() + " à " + birthPlace(h)},
	)
	return rows
}

func birthPlace(h Holder) string {
	c := strings.TrimSpace(h.BirthCountry)
	if c == "" || strings.EqualFold(c, "France") {
		return h.BirthPlace
	}
	return h.BirthPlace + " (" + c + ")"
}

// categoryRows are the categories as table rows.
func categoryRows(cs []Category) [][]string {
	rows := make([][]string, len(cs))
	for i, c := range cs {
		state := "non valide"
		if c.Valid {
			state = "valide"
		}
		rows[i] = []string{string(c.Category), categoryVehicles[c.Category], c.Obtained.French(),
			nullDate(c.ValidUntil), nullDate(c.MedicalUntil), state}
	}
	return rows
}

var categoryColumns = []column{
	{"Catégorie", 17, "L"}, {"Véhicules", 69, "L"}, {"Obtenue le", 21, "L"},
	{"Valable jusqu'au", 25, "L"}, {"Avis médical jusqu'au", 28, "L"}, {"État", 20, "L"},
}

// restrictionRows are the restrictions as table rows.
func restrictionRows(rs []Restriction) [][]string {
	rows := make([][]string, len(rs))
	for i, r := range rs {
		cat := string(r.Category)
		if cat == "" {
			cat = "toutes"
		}
		rows[i] = []string{r.Code, cat, restrictionLabel(r), r.Detail}
	}
	return rows
}

var restrictionColumns = []column{
	{"Code", 18, "L"}, {"Catégorie", 22, "L"}, {"Signification", 90, "L"}, {"Précision", 50, "L"},
}

// nullDate prints an absent date as a dash.
func nullDate(n date.Null) string {
	if !n.Valid {
		return "—"
	}
	return n.Date.French()
}

// signed prints a points delta with its sign.
func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// capital puts the first letter in upper case.
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
