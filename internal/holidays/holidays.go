// Package holidays computes the French public holidays ("jours fériés") of a
// year, for metropolitan France, Alsace-Moselle and the overseas
// départements. Nothing is typed in per year: fixed dates come from the
// tables below and the movable feasts from Easter, computed by the anonymous
// Gregorian algorithm (Meeus/Jones/Butcher).
//
// # What is a holiday here
//
// The eleven days of the Code du travail, art. L3133-1, for everyone:
//
//	1 January                 Jour de l'an
//	Easter + 1                Lundi de Pâques
//	1 May                     Fête du Travail
//	8 May                     Victoire 1945
//	Easter + 39 (a Thursday)  Ascension
//	Easter + 50               Lundi de Pentecôte
//	14 July                   Fête nationale
//	15 August                 Assomption
//	1 November                Toussaint
//	11 November               Armistice 1918
//	25 December               Noël
//
// Whit Monday (Lundi de Pentecôte) is listed although it is often the
// "journée de solidarité" (loi n° 2004-626 of 30 June 2004): since the loi
// n° 2008-351 of 16 April 2008 each employer or agreement chooses the day,
// and Whit Monday stays a public holiday of the calendar (L3133-1). Some
// offices therefore open that day and others do not. This package reports
// the calendar; a help point that opens on Whit Monday says so in its own
// opening hours (a dated rule after "PH off").
//
// Alsace-Moselle (départements 57, 67, 68) adds Good Friday and 26 December
// (Code du travail, art. L3134-13). The law gives Good Friday only to the
// communes that have a Protestant church or a mixed one; in practice the
// whole of the three départements observes it, and so does this package.
//
// Each overseas département and Saint-Barthélemy and Saint-Martin add the
// commemoration of the abolition of slavery (loi n° 83-550 of 30 June 1983;
// dates set by décret n° 83-1003 of 23 November 1983, as amended), see
// [AbolitionDays]. Customary days off (carnival days in the Antilles and
// Guiana, Victor Schœlcher day, Good Friday outside Alsace-Moselle) are not
// public holidays by law and are not listed.
//
// The rules of today are applied to every year: this is a calendar for
// opening hours and appointments, not a history of French holidays (8 May,
// for instance, was not a holiday from 1959 to 1981).
//
// Départements are given by their INSEE code as text ("34", "2A", "971").
// An empty or unknown code gives the national list only.
package holidays

import (
	"slices"
	"strings"
	"time"

	"permis/internal/date"
)

// Holiday is a public holiday: its date and its French name.
type Holiday struct {
	Date date.Date
	Name string
}

// MinYear and MaxYear bound the years InYear and Is answer for: the
// Gregorian calendar (Easter's rule) starts in 1583, and date.Date stops
// at 9999.
const (
	MinYear = 1583
	MaxYear = 9999
)

// Easter returns the date of Easter Sunday in the Gregorian calendar, by
// the anonymous algorithm published by Meeus (Astronomical Algorithms,
// after Jones and Butcher). It is meaningful from 1583 on.
func Easter(year int) (month time.Month, day int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}

// easterDate is Easter Sunday of year as a date.
func easterDate(year int) date.Date {
	m, d := Easter(year)
	return date.Of(year, m, d)
}

// A rule is one holiday of the tables: either a fixed day of the year
// (Month, Day) or an offset from Easter Sunday (Month == 0).
type rule struct {
	Month      time.Month
	Day        int
	FromEaster int
	Name       string
}

func (r rule) in(year int) date.Date {
	if r.Month == 0 {
		return easterDate(year).AddDays(r.FromEaster)
	}
	return date.Of(year, r.Month, r.Day)
}

// national is the list of L3133-1, valid in every département.
var national = []rule{
	{Month: time.January, Day: 1, Name: "Jour de l'an"},
	{FromEaster: 1, Name: "Lundi de Pâques"},
	{Month: time.May, Day: 1, Name: "Fête du Travail"},
	{Month: time.May, Day: 8, Name: "Victoire 1945"},
	{FromEaster: 39, Name: "Ascension"},
	{FromEaster: 50, Name: "Lundi de Pentecôte"},
	{Month: time.July, Day: 14, Name: "Fête nationale"},
	{Month: time.August, Day: 15, Name: "Assomption"},
	{Month: time.November, Day: 1, Name: "Toussaint"},
	{Month: time.November, Day: 11, Name: "Armistice 1918"},
	{Month: time.December, Day: 25, Name: "Noël"},
}

// alsaceMoselle is the local law of L3134-13, for départements 57, 67, 68.
var alsaceMoselle = []rule{
	{FromEaster: -2, Name: "Vendredi saint"},
	{Month: time.December, Day: 26, Name: "Saint-Étienne"},
}

// AbolitionDay is the commemoration of the abolition of slavery in one
// overseas territory: a public holiday there only.
type AbolitionDay struct {
	Departement string // INSEE code
	Territory   string
	Month       time.Month
	Day         int
}

// abolitionDays is the table of décret n° 83-1003 (as amended). Review it
// here: one line a territory.
var abolitionDays = []AbolitionDay{
	{"971", "Guadeloupe", time.May, 27},
	{"972", "Martinique", time.May, 22},
	{"973", "Guyane", time.June, 10},
	{"974", "La Réunion", time.December, 20},
	{"976", "Mayotte", time.April, 27},
	{"977", "Saint-Barthélemy", time.October, 9},
	{"978", "Saint-Martin", time.May, 28},
}

// AbolitionDays returns the abolition-of-slavery days by territory, in the
// order of their INSEE codes.
func AbolitionDays() []AbolitionDay { return slices.Clone(abolitionDays) }

const abolitionName = "Abolition de l'esclavage"

// local returns the extra rules of a département (nil for most).
func local(departement string) []rule {
	switch departement {
	case "57", "67", "68":
		return alsaceMoselle
	}
	for i, a := range abolitionDays {
		if a.Departement == departement {
			return abolitionRules[i : i+1]
		}
	}
	return nil
}

// abolitionRules is abolitionDays as rules, in the same order.
var abolitionRules = func() []rule {
	rules := make([]rule, len(abolitionDays))
	for i, a := range abolitionDays {
		rules[i] = rule{Month: a.Month, Day: a.Day, Name: abolitionName}
	}
	return rules
}()

// normalize trims the département code; INSEE codes are upper case ("2A").
func normalize(departement string) string {
	return strings.ToUpper(strings.TrimSpace(departement))
}

// InYear returns the public holidays of year in departement, sorted by
// date. It returns nil for a year outside [MinYear, MaxYear].
func InYear(year int, departement string) []Holiday {
	if year < MinYear || year > MaxYear {
		return nil
	}
	extra := local(normalize(departement))
	out := make([]Holiday, 0, len(national)+len(extra))
	for _, rules := range [][]rule{national, extra} {
		for _, r := range rules {
			out = append(out, Holiday{Date: r.in(year), Name: r.Name})
		}
	}
	slices.SortFunc(out, func(a, b Holiday) int { return int(a.Date) - int(b.Date) })
	return out
}

// Is reports whether d is a public holiday in departement, and which. It
// does not allocate, so an opening-hours evaluator can call it for every
// day it looks at.
func Is(d date.Date, departement string) (Holiday, bool) {
	year := d.Year()
	if year < MinYear || year > MaxYear {
		return Holiday{}, false
	}
	_, month, day := d.Civil()
	var easter date.Date
	haveEaster := false
	for _, rules := range [2][]rule{national, local(normalize(departement))} {
		for _, r := range rules {
			if r.Month != 0 {
				if r.Month == month && r.Day == day {
					return Holiday{Date: d, Name: r.Name}, true
				}
				continue
			}
			if !haveEaster {
				easter, haveEaster = easterDate(year), true
			}
			if easter.AddDays(r.FromEaster) == d {
				return Holiday{Date: d, Name: r.Name}, true
			}
		}
	}
	return Holiday{}, false
}
