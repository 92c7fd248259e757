package french

import (
	"testing"
	"time"
)

// "de" is elided before a vowel or a mute h (Lexique de l'Imprimerie
// nationale, "Élision").
func TestOf(t *testing.T) {
	for in, want := range map[string]string{
		"Inès":       "d'Inès",
		"Léa":        "de Léa",
		"Émilie":     "d'Émilie",
		"Hélène":     "d'Hélène",
		"Yann":       "de Yann",
		"Yves":       "d'Yves",
		"Anaïs":      "d'Anaïs",
		"Karim":      "de Karim",
		"Orléans":    "d'Orléans",
		"Ulysse":     "d'Ulysse",
		"  Inès ":    "d'Inès",
		"":           "",
		"Élodie Roy": "d'Élodie Roy",
	} {
		if got := Of(in); got != want {
			t.Errorf("Of(%q) = %q, want %q", in, got, want)
		}
	}
}

type sex string

// The participle agrees with the sex the civil status records; the
// inclusive "né(e)" is only for when it is not known.
func TestAgree(t *testing.T) {
	for _, c := range []struct {
		word string
		sex  sex
		want string
	}{
		{"né", "F", "née"},
		{"né", "M", "né"},
		{"né", "", "né(e)"},
		{"délivré", "f", "délivrée"},
		{"né", "female", "née"},
		{"né", "male", "né"},
	} {
		if got := Agree(c.word, c.sex); got != c.want {
			t.Errorf("Agree(%q, %q) = %q, want %q", c.word, c.sex, got, c.want)
		}
	}
}

func TestPronoun(t *testing.T) {
	for in, want := range map[sex]string{"F": "elle", "male": "il", "": "il ou elle"} {
		if got := Pronoun(in); got != want {
			t.Errorf("Pronoun(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSince(t *testing.T) {
	for days, want := range map[int]string{
		-1: "aujourd'hui",
		0:  "aujourd'hui",
		1:  "hier",
		2:  "il y a 2 jours",
		31: "il y a 31 jours",
	} {
		if got := Since(days); got != want {
			t.Errorf("Since(%d) = %q, want %q", days, got, want)
		}
	}
}

// French puts the noun in the singular for 0 and 1.
func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 jour", 1: "1 jour", 2: "2 jours", -1: "-1 jour", -3: "-3 jours"} {
		if got := Plural(n, "jour", "jours"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestWeekday(t *testing.T) {
	// 2026-12-07 is a Monday.
	want := []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
	for i, w := range want {
		d := time.Date(2026, 12, 7+i, 12, 0, 0, 0, time.UTC)
		if got := Weekday(d.Weekday()); got != w {
			t.Errorf("Weekday(%s) = %q, want %q", d.Format("2006-01-02"), got, w)
		}
	}
}
