package openinghours

import (
	"errors"
	"testing"
)

// syntaxErrorCases give, for values that must be refused, the exact column
// and French message.
var syntaxErrorCases = []struct {
	in  string
	pos int
	msg string
}{
	{"", 1, `horaires vides (au moins une règle attendue, par exemple "Mo-Fr 09:00-12:00")`},
	{"   ", 4, `horaires vides (au moins une règle attendue, par exemple "Mo-Fr 09:00-12:00")`},
	{"Mx 10:00-12:00", 1, `jour inconnu "Mx" (attendu : Mo, Tu, We, Th, Fr, Sa, Su ou PH)`},
	{"Mo-Mx 10:00-12:00", 4, `jour inconnu "Mx" (attendu : Mo, Tu, We, Th, Fr, Sa ou Su)`},
	{"Mo,Mx 10:00-12:00", 4, `jour inconnu "Mx" (attendu : Mo, Tu, We, Th, Fr, Sa, Su ou PH)`},
	{"Lu-Ve 09:00-12:00", 1, `jour inconnu "Lu" (attendu : Mo, Tu, We, Th, Fr, Sa, Su ou PH)`},
	{"Mo 25:00-26:00", 4, `heure de début impossible "25:00" (de 00:00 à 23:59)`},
	{"Mo 10:00-49:00", 10, `heure de fin impossible "49:00" (de 00:00 à 48:00)`},
	{"Mo 10:60-12:00", 4, `minutes impossibles "10:60" (de 00 à 59)`},
	{"Mo-Fr 8h30-12:00", 7, `heure attendue au format HH:MM, trouvé "8h30"`},
	{"Mo-Fr 0830-1200", 7, `heure attendue au format HH:MM, trouvé "0830"`},
	{"Mo 10:00:00-12:00", 4, `heure attendue au format HH:MM, trouvé "10:00:00"`},
	{"Mo-", 4, `jour de fin attendu après "-", trouvé la fin du texte`},
	{"Mo-Fr 10:00-", 13, `heure de fin attendue au format HH:MM après "-", trouvé la fin du texte`},
	{"Mo 10:00", 9, `"-" attendu après "10:00" pour une plage HH:MM-HH:MM, trouvé la fin du texte`},
	{"Mo 10:00 off", 10, `"-" attendu après "10:00" pour une plage HH:MM-HH:MM, trouvé "off"`},
	{"Mo 10:00-10:00", 4, `plage horaire vide "10:00-10:00"`},
	{`Mo 10:00-12:00 "sur rendez-vous`, 16, `commentaire non terminé (guillemet fermant " attendu)`},
	{"Mo 10:00-12:00 xyz", 16, `texte inattendu "xyz" (attendu : "off", un commentaire entre guillemets ou ";" avant la règle suivante)`},
	{"Mo-Fr fermé", 7, `texte inattendu "fermé" (attendu : une plage horaire HH:MM-HH:MM, "off", un commentaire entre guillemets ou ";" avant la règle suivante)`},
	{"Mo off 10:00-12:00", 8, `texte inattendu "10:00" (attendu : un commentaire entre guillemets ou ";" avant la règle suivante)`},
	{`Mo "a" "b"`, 8, `texte inattendu "\"b\"" (attendu : ";" avant la règle suivante)`},
	{"fermé", 1, `début de règle inattendu "fermé" (attendu : un jour Mo-Su ou PH, un mois Jan-Dec, une année, "week", une plage horaire HH:MM-HH:MM, "24/7", "off" ou un commentaire entre guillemets)`},
	{"Mo 10:00-12:00 | Tu", 16, `texte inattendu "|" (attendu : "off", un commentaire entre guillemets ou ";" avant la règle suivante)`},
	{"Aug 15-01 off", 8, `plage de dates à l'envers : Aug 01 avant Aug 15 (écrire par exemple "Aug 01-15")`},
	{"Jun 30-24", 8, `plage de dates à l'envers : Jun 24 avant Jun 30 (écrire par exemple "Jun 24-30")`},
	{"Aug 15-Aug 01 off", 8, `plage de dates à l'envers : Aug 01 avant Aug 15 (écrire par exemple "Aug 01-15")`},
	{"We, Aug Mo", 3, `"," ambigu après une règle sans plage horaire : écrire la liste sans rupture ("Mo,We") ou séparer les règles par ";"`},
	{";", 1, `règle vide avant ";"`},
	{"Mo;;Tu", 4, `règle vide avant ";"`},
	{"Mo ||", 6, `règle attendue après "||", trouvé la fin du texte`},
	{"Mo 10:00-12:00,", 16, `règle attendue après ",", trouvé la fin du texte`},
	{"24/7 Mo", 6, `texte inattendu "Mo" (attendu : "off", un commentaire entre guillemets ou ";" avant la règle suivante)`},
	{"Feb 30", 5, `jour impossible "30" pour Feb`},
	{"2027 Feb 29", 10, `jour impossible "29" pour 2027 Feb`},
	{"Dec 24th", 5, `jour du mois attendu, trouvé "24th"`},
	{"Dec 24-Jun", 11, `jour du mois attendu après Jun, trouvé la fin du texte`},
	{"Jan-Jux", 5, `mois inconnu "Jux" (attendu : Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov ou Dec)`},
	{"Jan-", 5, `mois de fin attendu, trouvé la fin du texte`},
	{"Dec 24-2027 Jan 02", 8, `année attendue aussi au début de la plage`},
	{"2027 Jan 02-2026 Dec 24", 13, `plage de dates à l'envers : 2026 Dec 24 avant 2027 Jan 02`},
	{"2028-2026", 6, `plage d'années à l'envers : 2026 avant 2028`},
	{"2026-12-24 off", 1, `date au format AAAA-MM-JJ non prise en charge (écrire par exemple "2026 Dec 24")`},
	{"week 54", 6, `numéro de semaine attendu de 01 à 53, trouvé "54"`},
	{"week 01-10/0", 12, `pas attendu de 1 à 53 après "/", trouvé "0"`},
	{"Sa[6]", 4, `rang attendu de 1 à 5 ou de -1 à -5, trouvé "6"`},
	{"Sa[1", 5, `"]" attendu pour fermer le rang, trouvé la fin du texte`},
	{"Mo-Fr[1]", 6, `rang ("[1]", "[-1]") permis seulement après un jour seul, pas après une plage`},
	{"PH PH", 4, `texte inattendu "PH" (attendu : une plage horaire HH:MM-HH:MM, "off", un commentaire entre guillemets ou ";" avant la règle suivante)`},
	{"Mo \"caf\xe9\"", 8, `caractère invalide (le texte doit être en UTF-8)`},
	// Refused on purpose (see the package documentation).
	{"SH off", 1, `vacances scolaires ("SH") non prises en charge`},
	{"Mo-Fr sunrise-sunset", 7, `heures solaires ("sunrise") non prises en charge (écrire une heure HH:MM)`},
	{"easter off", 1, `dates mobiles ("easter") non prises en charge`},
	{"PH +1 day off", 4, `décalage en jours ("+1 day") non pris en charge`},
	{"Mo 17:00+", 9, `heure de fin ouverte ("+") non prise en charge (écrire une plage HH:MM-HH:MM)`},
	{"Mo 10:00-16:00/01:00", 15, `plages répétées ("/") non prises en charge`},
	{"2026-2030/2", 10, `pas entre les années ("/") non pris en charge`},
	{"2026+", 5, `année ouverte ("+") non prise en charge`},
	{`"sur rendez-vous": Mo`, 18, `commentaire suivi de ":" non pris en charge`},
}

func TestParseErrors(t *testing.T) {
	for _, c := range syntaxErrorCases {
		_, err := Parse(c.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", c.in, err)
			continue
		}
		if se.Pos != c.pos || se.Msg != c.msg {
			t.Errorf("Parse(%q):\n got  position %d : %s\n want position %d : %s", c.in, se.Pos, se.Msg, c.pos, c.msg)
		}
	}
}

func TestSyntaxErrorText(t *testing.T) {
	_, err := Parse("Mo-Fr 8h30-12:00")
	if got, want := err.Error(), `position 7 : heure attendue au format HH:MM, trouvé "8h30"`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// Columns count characters, not bytes: "é" is one column.
	_, err = Parse(`"sur rendez-vous à l'accueil" xyz`)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Pos != 31 {
		t.Errorf("Parse with an accent before the error: %v, want position 31", err)
	}
}

func TestParseTooLong(t *testing.T) {
	long := make([]byte, MaxLen+1)
	for i := range long {
		long[i] = ' '
	}
	_, err := Parse(string(long))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Pos != 1 {
		t.Errorf("Parse(%d bytes) = %v, want a *SyntaxError at 1", len(long), err)
	}
}
