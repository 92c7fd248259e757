package openinghours

import (
	"errors"
	"testing"
	"time"

	"permis/internal/date"
)

// Whatever the input, Parse never panics, fails only with a *SyntaxError
// whose position is inside the text (or just after it), and what it accepts
// prints to a normalised form that reads back to the same form. Evaluating
// an accepted schedule does not panic either.
func FuzzParse(f *testing.F) {
	for _, s := range validCases {
		f.Add(s)
	}
	for _, c := range syntaxErrorCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sch, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T, want *SyntaxError", s, err)
			}
			if n := len([]rune(s)); se.Pos < 1 || se.Pos > n+1 {
				t.Fatalf("Parse(%q): position %d outside 1…%d", s, se.Pos, n+1)
			}
			return
		}
		norm := sch.String()
		again, err := Parse(norm)
		if err != nil {
			t.Fatalf("Parse(%q) → %q, which does not parse: %v", s, norm, err)
		}
		if again.String() != norm {
			t.Fatalf("Parse(%q) → %q → %q: not stable", s, norm, again.String())
		}
		day := date.MustParse("2026-05-25")
		sch.Intervals(day, "67")
		sch.OpenAt(time.Date(2026, 12, 31, 23, 59, 0, 0, paris), "971")
		for _, iv := range sch.Intervals(day, "34") {
			if iv.From < 0 || iv.To > minutesPerDay || iv.From >= iv.To {
				t.Fatalf("Parse(%q).Intervals: bad interval %+v", s, iv)
			}
		}
	})
}
