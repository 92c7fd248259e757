package booking

import (
	"fmt"
	"time"

	"permis/internal/french"
)

// FrenchDay writes the day of t in Paris as a mail or a page says it: its
// weekday, then the one date format of the service (JJ/MM/AAAA):
// "mardi 01/12/2026".
func FrenchDay(t time.Time) string {
	t = t.In(paris)
	return fmt.Sprintf("%s %02d/%02d/%04d", french.Weekday(t.Weekday()), t.Day(), int(t.Month()), t.Year())
}

// FrenchClock writes the time of t in Paris: "9 h 30", "14 h 00".
func FrenchClock(t time.Time) string {
	t = t.In(paris)
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// FrenchWhen writes a slot: "mardi 01/12/2026 de 9 h 30 à 10 h 00".
func FrenchWhen(start, end time.Time) string {
	return FrenchDay(start) + " de " + FrenchClock(start) + " à " + FrenchClock(end)
}
