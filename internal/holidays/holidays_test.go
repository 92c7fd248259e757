package holidays

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
)

func TestEasterKnownDates(t *testing.T) {
	tests := []string{
		"1583-04-10", // first Gregorian Easter
		"1818-03-22", // earliest possible date
		"1886-04-25", // latest possible date
		"1943-04-25",
		"1961-04-02",
		"2000-04-23",
		"2008-03-23",
		"2011-04-24",
		"2019-04-21",
		"2022-04-17",
		"2023-04-09",
		"2024-03-31",
		"2025-04-20",
		"2026-04-05",
		"2027-03-28",
		"2028-04-16",
		"2029-04-01",
		"2030-04-21",
		"2038-04-25",
		"2100-03-28",
		"2285-03-22",
	}
	for _, want := range tests {
		d := date.MustParse(want)
		y, wm, wd := d.Civil()
		m, day := Easter(y)
		if m != wm || day != wd {
			t.Errorf("Easter(%d) = %s %d, want %s", y, m, day, want)
		}
	}
}

// computus is an independent check of Easter: the Gregorian epact method
// (Lilius/Clavius tables, as in Knuth TAOCP 1.3.2 exercise 14).
func computus(y int) (time.Month, int) {
	g := y%19 + 1
	c := y/100 + 1
	x := 3*c/4 - 12
	z := (8*c+5)/25 - 5
	d := 5*y/4 - x - 10
	e := (11*g + 20 + z - x) % 30
	if e < 0 {
		e += 30
	}
	if (e == 25 && g > 11) || e == 24 {
		e++
	}
	n := 44 - e
	if n < 21 {
		n += 30
	}
	n = n + 7 - (d+n)%7
	if n > 31 {
		return time.April, n - 31
	}
	return time.March, n
}

func TestEasterAgainstComputusAndCalendar(t *testing.T) {
	for y := MinYear; y <= 4099; y++ {
		m, d := Easter(y)
		if cm, cd := computus(y); cm != m || cd != d {
			t.Fatalf("Easter(%d) = %s %d, the epact method says %s %d", y, m, d, cm, cd)
		}
		e := date.Of(y, m, d)
		if wd := e.Time().Weekday(); wd != time.Sunday {
			t.Fatalf("Easter(%d) = %s, a %s", y, e, wd)
		}
		if e < date.Of(y, time.March, 22) || e > date.Of(y, time.April, 25) {
			t.Fatalf("Easter(%d) = %s, outside 22 March–25 April", y, e)
		}
	}
}

func format(hs []Holiday) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%s %s\n", h.Date, h.Name)
	}
	return b.String()
}

const herault2026 = `2026-01-01 Jour de l'an
2026-04-06 Lundi de Pâques
2026-05-01 Fête du Travail
2026-05-08 Victoire 1945
2026-05-14 Ascension
2026-05-25 Lundi de Pentecôte
2026-07-14 Fête nationale
2026-08-15 Assomption
2026-11-01 Toussaint
2026-11-11 Armistice 1918
2026-12-25 Noël
`

const basRhin2026 = `2026-01-01 Jour de l'an
2026-04-03 Vendredi saint
2026-04-06 Lundi de Pâques
2026-05-01 Fête du Travail
2026-05-08 Victoire 1945
2026-05-14 Ascension
2026-05-25 Lundi de Pentecôte
2026-07-14 Fête nationale
2026-08-15 Assomption
2026-11-01 Toussaint
2026-11-11 Armistice 1918
2026-12-25 Noël
2026-12-26 Saint-Étienne
`

func TestInYear2026(t *testing.T) {
	tests := []struct {
		dep  string
		want string
	}{
		{"34", herault2026},
		{"", herault2026},
		{"75", herault2026},
		{"2A", herault2026},
		{"67", basRhin2026},
		{"68", basRhin2026},
		{" 57 ", basRhin2026},
	}
	for _, tt := range tests {
		if got := format(InYear(2026, tt.dep)); got != tt.want {
			t.Errorf("InYear(2026, %q):\n%s\nwant:\n%s", tt.dep, got, tt.want)
		}
	}
}

func TestInYearOverseas(t *testing.T) {
	tests := []struct {
		dep  string
		want string // the one extra day, in 2026
	}{
		{"971", "2026-05-27"},
		{"972", "2026-05-22"},
		{"973", "2026-06-10"},
		{"974", "2026-12-20"},
		{"976", "2026-04-27"},
		{"977", "2026-10-09"},
		{"978", "2026-05-28"},
	}
	for _, tt := range tests {
		hs := InYear(2026, tt.dep)
		if len(hs) != 12 {
			t.Errorf("InYear(2026, %q): %d holidays, want 12:\n%s", tt.dep, len(hs), format(hs))
			continue
		}
		h, ok := Is(date.MustParse(tt.want), tt.dep)
		if !ok || h.Name != "Abolition de l'esclavage" {
			t.Errorf("Is(%s, %q) = %v, %v; want the abolition of slavery", tt.want, tt.dep, h, ok)
		}
		if _, ok := Is(date.MustParse(tt.want), "34"); ok {
			t.Errorf("Is(%s, 34) = true: the overseas day leaked to metropolitan France", tt.want)
		}
		found := false
		for i, h := range hs {
			if i > 0 && hs[i-1].Date >= h.Date {
				t.Errorf("InYear(2026, %q) not sorted at %s", tt.dep, h.Date)
			}
			found = found || h.Date.String() == tt.want
		}
		if !found {
			t.Errorf("InYear(2026, %q) lacks %s:\n%s", tt.dep, tt.want, format(hs))
		}
	}
	// 975 (Saint-Pierre-et-Miquelon) has no such day.
	if n := len(InYear(2026, "975")); n != 11 {
		t.Errorf("InYear(2026, 975): %d holidays, want 11", n)
	}
}

func TestIs(t *testing.T) {
	tests := []struct {
		day  string
		dep  string
		want string // "" for not a holiday
	}{
		{"2026-01-01", "34", "Jour de l'an"},
		{"2026-04-03", "34", ""},
		{"2026-04-03", "67", "Vendredi saint"},
		{"2026-04-05", "34", ""}, // Easter Sunday is a Sunday, not a listed holiday
		{"2026-04-06", "34", "Lundi de Pâques"},
		{"2026-05-14", "34", "Ascension"},
		{"2026-05-25", "34", "Lundi de Pentecôte"},
		{"2026-12-26", "34", ""},
		{"2026-12-26", "57", "Saint-Étienne"},
		{"2027-03-29", "34", "Lundi de Pâques"},
		{"2027-05-06", "34", "Ascension"},
		{"2027-05-17", "34", "Lundi de Pentecôte"},
		{"2027-03-26", "68", "Vendredi saint"},
		{"2024-05-09", "34", "Ascension"},
		{"2024-05-08", "34", "Victoire 1945"},
		{"2024-05-20", "34", "Lundi de Pentecôte"},
		{"2026-07-13", "34", ""},
		{"1500-01-01", "34", ""}, // before the Gregorian calendar: not answered
	}
	for _, tt := range tests {
		h, ok := Is(date.MustParse(tt.day), tt.dep)
		if ok != (tt.want != "") || h.Name != tt.want {
			t.Errorf("Is(%s, %q) = %q, %v; want %q", tt.day, tt.dep, h.Name, ok, tt.want)
		}
		if ok && h.Date.String() != tt.day {
			t.Errorf("Is(%s, %q).Date = %s", tt.day, tt.dep, h.Date)
		}
	}
}

// Is and InYear must agree on every day of a range of years.
func TestIsMatchesInYear(t *testing.T) {
	for _, dep := range []string{"34", "67", "971", "974", "976"} {
		for y := 2020; y <= 2040; y++ {
			want := map[date.Date]string{}
			for _, h := range InYear(y, dep) {
				want[h.Date] = h.Name
			}
			for d := date.Of(y, 1, 1); d <= date.Of(y, 12, 31); d++ {
				h, ok := Is(d, dep)
				if name, listed := want[d]; listed != ok || h.Name != name {
					t.Fatalf("%s in %s: Is = %q, %v; InYear = %q, %v", d, dep, h.Name, ok, name, listed)
				}
			}
		}
	}
}

func TestInYearOutOfRange(t *testing.T) {
	for _, y := range []int{0, 1582, 10000} {
		if hs := InYear(y, "34"); hs != nil {
			t.Errorf("InYear(%d) = %v, want nil", y, hs)
		}
	}
	if hs := InYear(MaxYear, "67"); len(hs) != 13 {
		t.Errorf("InYear(%d, 67): %d holidays", MaxYear, len(hs))
	}
}

func TestIsDoesNotAllocate(t *testing.T) {
	d := date.MustParse("2026-05-27")
	n := testing.AllocsPerRun(100, func() { Is(d, "971") })
	if n != 0 {
		t.Errorf("Is allocates %v times a call", n)
	}
}
