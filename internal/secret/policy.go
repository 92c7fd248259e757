package secret

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"permis/internal/apperr"
)

// Password length bounds, in characters. NIST SP 800-63B: at least 8, and
// allow at least 64; we ask 12 (ANSSI's advice for a password alone) and
// accept long passphrases.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// Messages of the password policy, shown to the person choosing a password.
const (
	msgPasswordShort   = "Votre mot de passe doit contenir au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner."
	msgPasswordLong    = "Votre mot de passe ne doit pas dépasser 256 caractères."
	msgPasswordOneKind = "Votre mot de passe ne contient qu'un seul type de caractères (par exemple uniquement des chiffres ou uniquement des minuscules). Ajoutez-y un autre type de caractère (majuscule, chiffre, espace ou symbole), ou allongez-le jusqu'à 20 caractères au moins."
	msgPasswordRepeat  = "Votre mot de passe est trop répétitif. Choisissez-en un qui comporte des caractères plus variés."
	msgPasswordCommon  = "Ce mot de passe fait partie des plus courants et serait deviné facilement. Choisissez-en un autre."
	msgPasswordEmail   = "Votre mot de passe ne doit pas reprendre votre adresse électronique."
)

// oneKindMinLen is the length from which a password made of one kind of
// character (a passphrase in lower case without spaces) is long enough.
const oneKindMinLen = 20

// minDistinct is the fewest different characters a password must hold, to
// refuse "aaaaaaaaaaaa" and "abababababab".
const minDistinct = 5

// commonPasswords are among the most used passwords, in France and
// elsewhere (published yearly from leaked password lists). Most are shorter
// than 12 characters: they matter once the digits and symbols people add
// around them ("Azerty123456!") are stripped, see core.
var commonPasswords = map[string]bool{
	"password": true, "motdepasse": true, "azerty": true, "azertyuiop": true, "qwerty": true,
	"qwertyuiop": true, "iloveyou": true, "jetaime": true, "soleil": true, "doudou": true,
	"loulou": true, "chouchou": true, "marseille": true, "bonjour": true, "admin": true,
	"abc": true, "welcome": true, "football": true, "dragon": true, "monkey": true,
}

// CheckPasswordPolicy returns an invalid error with a French message when pw
// is not acceptable as a new password, nil otherwise. It follows NIST SP
// 800-63B (length rather than composition rules): at least 12 characters,
// not made of a single kind of character unless it has 20 or more, at least
// 5 different characters, not one of the most common passwords (once the
// digits and symbols around it are removed), and not containing the local
// part of email (the part before @; the whole string when there is no @).
func CheckPasswordPolicy(pw, email string) error {
	pw = string(normalizePassword(pw))
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return apperr.New(apperr.Invalid, msgPasswordShort)
	case n > MaxPasswordLen:
		return apperr.New(apperr.Invalid, msgPasswordLong)
	case distinct(pw) < minDistinct:
		return apperr.New(apperr.Invalid, msgPasswordRepeat)
	case kinds(pw) < 2 && n < oneKindMinLen:
		return apperr.New(apperr.Invalid, msgPasswordOneKind)
	case commonPasswords[core(pw)] || isSequence(strings.ToLower(pw)):
		return apperr.New(apperr.Invalid, msgPasswordCommon)
	case containsEmail(pw, email):
		return apperr.New(apperr.Invalid, msgPasswordEmail)
	}
	return nil
}

func distinct(pw string) int {
	seen := map[rune]bool{}
	for _, r := range strings.ToLower(pw) {
		seen[r] = true
	}
	return len(seen)
}

// kinds counts the kinds of character in pw among lower-case letters,
// upper-case letters, digits and everything else (spaces, punctuation,
// symbols).
func kinds(pw string) int {
	var lower, upper, digit, other int
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}

// core is pw in lower case without the non-letters at either end:
// "Azerty123456!" → "azerty".
func core(pw string) string {
	return strings.TrimFunc(strings.ToLower(pw), func(r rune) bool { return !unicode.IsLetter(r) })
}

// sequences are runs a password must not be a piece of.
var sequences = []string{
	"0123456789012345678901234567890123456789",
	"9876543210987654321098765432109876543210",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
	"azertyuiopqsdfghjklmwxcvbn", "qwertyuiopasdfghjklzxcvbnm",
}

func isSequence(lower string) bool {
	for _, s := range sequences {
		if strings.Contains(s, lower) {
			return true
		}
	}
	return false
}

// containsEmail reports whether pw contains the local part of email, letters
// and digits only, case ignored ("Jean.Dupont-2024" contains
// "jean.dupont@example.fr"). Local parts under 4 letters and digits are
// ignored: "jo" would refuse too many good passwords.
func containsEmail(pw, email string) bool {
	local, _, _ := strings.Cut(email, "@")
	l := alnum(local)
	return utf8.RuneCountInString(l) >= 4 && strings.Contains(alnum(pw), l)
}

func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
