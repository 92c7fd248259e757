package licence

import "strings"

// TitleNumberLen is the length of a card's document number (§1.2).
const TitleNumberLen = 9

// ParseTitleNumber reads a card's document number (field 5, §1.2): spaces
// are removed and letters upper-cased, then it must be two digits (the year
// of issue), two letters and five digits, as in the official specimen
// 13AA00002.
//
// UNCONFIRMED: REFERENCE §1.2 knows this layout from one specimen only; the
// general rule (whether the first two characters are always a year, whether
// other letters or lengths exist) is not documented. Widen this parser if
// real cards disagree; it does not check any meaning of the parts.
//
// Errors are *CheckError of class ErrTitleNumber naming the part at fault:
// length, year, letters or serial.
func ParseTitleNumber(s string) (TitleNumber, error) {
	t := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	runes := []rune(t)
	if n := len(runes); n != TitleNumberLen {
		return "", checkErr(ErrTitleNumber, "length", CodeLength, 0,
			"%d caractères, il en faut %d (2 chiffres, 2 lettres, 5 chiffres, par exemple 13AA00002)", n, TitleNumberLen)
	}
	for i, c := range runes {
		switch {
		case i < 2 && !isDigit(c):
			return "", checkErr(ErrTitleNumber, "year", CodeFormat, i+1,
				"l'année (2 premiers caractères) doit être en chiffres, caractère %q en position %d", c, i+1)
		case i >= 2 && i < 4 && !isUpper(c):
			return "", checkErr(ErrTitleNumber, "letters", CodeFormat, i+1,
				"les 3e et 4e caractères doivent être des lettres, caractère %q en position %d", c, i+1)
		case i >= 4 && !isDigit(c):
			return "", checkErr(ErrTitleNumber, "serial", CodeFormat, i+1,
				"le numéro d'ordre (5 derniers caractères) doit être en chiffres, caractère %q en position %d", c, i+1)
		}
	}
	return TitleNumber(t), nil
}

// String returns the number as printed on the card.
func (n TitleNumber) String() string { return string(n) }

// Year returns the two digits of the year of issue ("13" for 13AA00002), or
// "" when n was not built by ParseTitleNumber.
func (n TitleNumber) Year() string { return n.part(0, 2) }

// Letters returns the two letters ("AA" for 13AA00002).
func (n TitleNumber) Letters() string { return n.part(2, 4) }

// Serial returns the five-digit serial ("00002" for 13AA00002).
func (n TitleNumber) Serial() string { return n.part(4, 9) }

func (n TitleNumber) part(from, to int) string {
	if len(n) != TitleNumberLen {
		return ""
	}
	return string(n[from:to])
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }
func isUpper(c rune) bool { return c >= 'A' && c <= 'Z' }
