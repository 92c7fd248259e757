package directory

import "strings"

// DepartementOfPostalCode returns the département (INSEE code: "34", "2A",
// "974") a postal code belongs to, or "" when it is not a French postal
// code. The first two digits give it, except that:
//
//   - Corsica's codes start with 20: 200xx and 201xx are Corse-du-Sud
//     (2A), the others Haute-Corse (2B);
//   - overseas codes start with 97 or 98 and take three digits (97411 →
//     974), and Saint-Barthélemy (97133) and Saint-Martin (97150), which
//     kept Guadeloupe's postal codes, are 977 and 978;
//   - 00, 96 and 99 are no département.
//
// A few communes have the postal code of a neighbouring département's
// sorting office; Entry.Departement prefers the INSEE code for that reason.
func DepartementOfPostalCode(pc string) string {
	if len(pc) != 5 || !allDigits(pc) {
		return ""
	}
	switch pc2 := pc[:2]; pc2 {
	case "00", "96", "99":
		return ""
	case "20":
		if pc[2] <= '1' {
			return "2A"
		}
		return "2B"
	case "97":
		switch pc {
		case "97133":
			return "977"
		case "97150":
			return "978"
		}
		return pc[:3]
	case "98":
		return pc[:3]
	default:
		return pc2
	}
}

// DepartementOfINSEE returns the département of an INSEE commune code
// ("34172" → "34", "2A004" → "2A", "97411" → "974"), or "" when code is
// not one.
func DepartementOfINSEE(code string) string {
	if !validINSEE(code) {
		return ""
	}
	if strings.HasPrefix(code, "97") || strings.HasPrefix(code, "98") {
		return code[:3]
	}
	return code[:2]
}

// Departement is the entry's département, for the public holidays of its
// opening hours: from the INSEE code when there is one (it is the
// commune's own), otherwise from the postal code.
func (e Entry) Departement() string {
	if d := DepartementOfINSEE(e.INSEE); d != "" {
		return d
	}
	return DepartementOfPostalCode(e.PostalCode)
}

// metropolitan reports whether a département is in metropolitan France
// (Corsica included), where a position must fall in metropolitanBox.
func metropolitan(dep string) bool {
	return dep != "" && !strings.HasPrefix(dep, "97") && !strings.HasPrefix(dep, "98")
}

// metropolitanBox holds metropolitan France and Corsica with a margin of
// some ten kilometres: a position outside it for a metropolitan postal code
// is a mistake, most often latitude and longitude swapped.
var metropolitanBox = Box{MinLat: 41.2, MaxLat: 51.2, MinLon: -5.3, MaxLon: 9.7}

// validINSEE reports whether code has the form of an INSEE commune code:
// five digits, or 2A/2B and three digits, not starting with 00.
func validINSEE(code string) bool {
	if len(code) != 5 || strings.HasPrefix(code, "00") {
		return false
	}
	if code[:2] == "2A" || code[:2] == "2B" {
		return allDigits(code[2:])
	}
	return allDigits(code)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
