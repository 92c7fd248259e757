package booking

import (
	"fmt"
	"time"
)

var (
	frenchWeekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frenchMonths   = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}
)

// FrenchDay writes the day of t in Paris as a mail or a page says it:
// "mardi 1er décembre 2026", "mercredi 2 décembre 2026".
func FrenchDay(t time.Time) string {
	t = t.In(paris)
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", frenchWeekdays[t.Weekday()], day, frenchMonths[t.Month()-1], t.Year())
}

// FrenchClock writes the time of t in Paris: "9 h 30", "14 h 00".
func FrenchClock(t time.Time) string {
	t = t.In(paris)
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// FrenchWhen writes a slot: "mardi 1er décembre 2026 de 9 h 30 à 10 h 00".
func FrenchWhen(start, end time.Time) string {
	return FrenchDay(start) + " de " + FrenchClock(start) + " à " + FrenchClock(end)
}
