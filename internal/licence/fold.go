package licence

import (
	"strings"
	"unicode"
)

// foldTable maps the accented Latin letters met in French and European civil
// status to their base letters. The domain imports only the standard
// library, which has no Unicode decomposition tables, so the letters are
// listed here; a letter missing from the table is kept as it is.
var foldTable = buildFoldTable(map[string]string{
	"A":  "ÀÁÂÃÄÅĀĂĄǍ",
	"C":  "ÇĆĈĊČ",
	"D":  "ĎĐ",
	"E":  "ÈÉÊËĒĔĖĘĚ",
	"G":  "ĜĞĠĢ",
	"H":  "ĤĦ",
	"I":  "ÌÍÎÏĨĪĬĮİ",
	"J":  "Ĵ",
	"K":  "Ķ",
	"L":  "ĹĻĽĿŁ",
	"N":  "ÑŃŅŇ",
	"O":  "ÒÓÔÕÖØŌŎŐǑ",
	"R":  "ŔŖŘ",
	"S":  "ŚŜŞŠȘ",
	"T":  "ŢŤŦȚ",
	"U":  "ÙÚÛÜŨŪŬŮŰŲǓ",
	"W":  "Ŵ",
	"Y":  "ÝŶŸ",
	"Z":  "ŹŻŽ",
	"AE": "Æ",
	"OE": "Œ",
	"SS": "ẞ",
	"TH": "Þ",
})

func buildFoldTable(groups map[string]string) map[rune]string {
	t := make(map[rune]string)
	for base, letters := range groups {
		for _, r := range letters {
			t[r] = base
		}
	}
	return t
}

// foldUpper returns s in upper case with accents removed: "Lætitia Gérôme" →
// "LAETITIA GEROME". Characters other than letters are kept.
func foldUpper(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == 'ß' { // no single upper-case form in common use
			b.WriteString("SS")
			continue
		}
		u := unicode.ToUpper(r)
		if base, ok := foldTable[u]; ok {
			b.WriteString(base)
			continue
		}
		b.WriteRune(u)
	}
	return b.String()
}
