package directory

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

func checkText(add func(field, format string, args ...any), field, v string, limit int, what string) {
	if v == "" {
		add(field, "Indiquez %s.", what)
	} else if n := utf8.RuneCountInString(v); n > limit {
		add(field, "Texte trop long pour %s (%d caractères, %d au plus).", what, n, limit)
	}
}

// oneLine trims s and folds every run of white space (line breaks, tabs,
// no-break spaces) into one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// splitList splits s on any of seps, trimming each part and dropping empty ones.
func splitList(s, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = oneLine(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// cleanList trims the items, drops empty ones and repeats, and upper-cases
// them when upper is set.
func cleanList(items []string, upper bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range items {
		s = oneLine(s)
		if upper {
			s = strings.ToUpper(s)
		}
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// quote puts a value found in the data in French quotes, cut to 60
// characters so that a report stays readable.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:57]) + "…"
	}
	return "« " + s + " »"
}

func formatCoord(f float64) string { return fmt.Sprintf("%g", f) }

// formatPhone reads a French phone number and writes it as people do: ten
// digits in pairs ("04 67 61 61 61"). +33 or 0033, and the country codes
// of the overseas départements (+262, +590, +594, +596) followed by nine
// digits, become the national 0 form, which dials the same from anywhere
// in France; a four-digit service number stays as it is ("3400"); another
// country's number is kept as "+" and its digits. It reports false for
// anything else.
func formatPhone(s string) (string, bool) {
	s = strings.ReplaceAll(s, "(0)", "")
	var digits strings.Builder
	plus := false
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == '.' || r == '-' || r == '/' || r == '(' || r == ')' || unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	d := digits.String()
	if strings.HasPrefix(d, "00") && !plus {
		d, plus = d[2:], true
	}
	if plus {
		for _, cc := range []string{"33", "262", "590", "594", "596"} {
			if strings.HasPrefix(d, cc) && len(d) == len(cc)+9 {
				d, plus = "0"+d[len(cc):], false
				break
			}
		}
	}
	switch {
	case plus && len(d) >= 9 && len(d) <= 15 && d[0] != '0':
		return "+" + d, true
	case !plus && len(d) == 10 && d[0] == '0' && d[1] != '0':
		return pairs(d), true
	case !plus && len(d) == 4 && d[0] == '3':
		return d, true
	}
	return "", false
}

// pairs writes digits two by two, an odd first digit alone.
func pairs(d string) string {
	var b strings.Builder
	i := 0
	if len(d)%2 == 1 {
		b.WriteString(d[:1])
		i = 1
	}
	for ; i < len(d); i += 2 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d[i : i+2])
	}
	return b.String()
}

// plausibleEmail is a sanity check of one address, not a proof.
func plausibleEmail(s string) bool {
	if len(s) > 254 || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>(),;:"[]\`, r)
	}) >= 0 {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}
