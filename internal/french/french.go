// Package french writes the small pieces of French grammar that pages,
// mails and PDFs assemble around data: elision before a name ("d'Inès"),
// agreement with the person's sex ("née le"), relative days
// ("aujourd'hui", "il y a 3 jours") and the one date format people read
// and type (JJ/MM/AAAA).
//
// The rules are those of the French administration's writing guides
// (Lexique des règles typographiques en usage à l'Imprimerie nationale;
// "Écrire pour être lu", DILA): elision of "de" before a vowel or a mute h,
// dates written 05/03/2026 in forms and lists. The package does no I/O.
package french

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Of writes "de" before a name, elided before a vowel or an h:
// "de Léa", "d'Inès", "d'Hélène", "de Yann". An empty name gives "".
//
// A name beginning with an aspirated h (Hugues, Hervé…) is rare enough in
// first names that the elision is kept, as most administrations do.
func Of(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if Elides(name) {
		return "d'" + name
	}
	return "de " + name
}

// Elides tells whether a word takes an elided article or preposition (le →
// l', de → d', que → qu'): it begins with a vowel, accented or not, or an h.
// Y is a consonant before a vowel ("de Yann", "de Yolande") and a vowel
// otherwise ("d'Yves").
func Elides(word string) bool {
	r, size := utf8.DecodeRuneInString(word)
	if r == utf8.RuneError {
		return false
	}
	switch base(unicode.ToLower(r)) {
	case 'a', 'e', 'i', 'o', 'u', 'h':
		return true
	case 'y':
		next, _ := utf8.DecodeRuneInString(word[size:])
		switch base(unicode.ToLower(next)) {
		case 'a', 'e', 'i', 'o', 'u':
			return false
		}
		return true
	}
	return false
}

// base strips the accent of a lower-case Latin vowel.
func base(r rune) rune {
	switch r {
	case 'à', 'â', 'ä', 'á':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'î', 'ï', 'í':
		return 'i'
	case 'ô', 'ö', 'ó':
		return 'o'
	case 'ù', 'û', 'ü', 'ú':
		return 'u'
	case 'ÿ':
		return 'y'
	}
	return r
}

// Agree gives a participle or adjective agreed with the person's sex as the
// civil status records it ("F" or "M", or the identity provider's "female"
// or "male"): Agree("né", "F") is "née", Agree("né", "M") is "né", and an
// unknown sex gives the inclusive form "né(e)" that forms use when they
// cannot know. sex may be any string type (licence.Sex).
func Agree[S ~string](word string, sex S) string {
	switch strings.ToLower(string(sex)) {
	case "f", "female":
		return word + "e"
	case "m", "male":
		return word
	}
	return word + "(e)"
}

// Pronoun is the subject pronoun of a person of that sex ("F", "M",
// "female", "male"): "elle", "il", or "il ou elle" when it is not known.
func Pronoun[S ~string](sex S) string {
	switch strings.ToLower(string(sex)) {
	case "f", "female":
		return "elle"
	case "m", "male":
		return "il"
	}
	return "il ou elle"
}

// Since says how long ago something happened, in whole days counted by the
// calendar: "aujourd'hui", "hier", "il y a 2 jours". A negative count (a
// date in the future, a clock skew) is "aujourd'hui".
func Since(days int) string {
	switch {
	case days <= 0:
		return "aujourd'hui"
	case days == 1:
		return "hier"
	}
	return "il y a " + strconv.Itoa(days) + " jours"
}

// Plural writes a count with its noun, singular for 0 and 1 as French
// writes it: Plural(0, "jour", "jours") is "0 jour", Plural(3, …) "3 jours".
func Plural(n int, one, many string) string {
	if n >= 2 || n <= -2 {
		return strconv.Itoa(n) + " " + many
	}
	return strconv.Itoa(n) + " " + one
}

// Weekday is the French name of a day of the week, in lower case as it is
// written inside a sentence: "lundi".
func Weekday(d time.Weekday) string {
	return [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}[d]
}
