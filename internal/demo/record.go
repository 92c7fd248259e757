package demo

import (
	"slices"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// cardEra is when the EU card replaced the pink licence (§1.2, §2.2).
var cardEra = date.MustParse("2013-09-16")

// trainingEra is when the complementary training began (§3.1).
var trainingEra = date.MustParse("2019-01-01")

// fill builds record i in rec, reusing r for the draws.
func (g *Generator) fill(rec *Record, i int, r *rng) {
	*rec = Record{Index: i}
	if i < len(demoPeople) {
		g.fillDemo(rec, i)
		return
	}
	c := g.core(i, r)
	rec.Person = g.person(i, c, r)
	g.licence(rec, i, c, r)
	g.ledger(rec, i, r)
	g.title(rec, i, r)
}

// licence draws the licence proper: probation path, categories with their
// dates and medical limits, restrictions.
func (g *Generator) licence(rec *Record, i int, c core, r *rng) {
	r.seed(g.cfg.Seed, i, streamLicence)
	today := g.cfg.Today
	l := licence.Licence{
		ID: int64(i + 1), NEPH: c.neph, PersonID: int64(i + 1),
		Obtained: c.obtained, Probation: points.ProbationNone,
		Departement: desks[c.desk].Departement,
		State:       licence.StateValid, StateSince: c.obtained,
	}
	if c.obtained.After(today.AddYears(-3)) {
		l.Probation = points.ProbationStandard
		if r.chance(0.3) {
			l.Probation = points.ProbationAAC
		}
		if !c.obtained.Before(trainingEra.AddMonths(-6)) && r.chance(0.2) {
			from := c.obtained.AddMonths(6)
			if d := r.between(from, c.obtained.AddMonths(12)); d < today {
				l.ComplementaryTraining = date.Some(d)
			}
		}
	}
	l.Categories = g.categories(rec.Person.BirthDate, c.obtained, r)
	l.Restrictions = restrictions(rec.Person.BirthDate, l.Categories, today, r)
	rec.Licence = l
}

// catDraw is a category and the day it was obtained, before the card.
type catDraw struct {
	cat licence.Category
	on  date.Date
}

// categories draws what the licence holds: mostly B; some motorcycles (A2,
// then A two years later), BE, and a few heavy categories with a medical
// limit. Dates respect the minimum ages and prerequisites (§2.1). Validity
// dates are set by title, once the card's issue date is known.
func (g *Generator) categories(born, obtained date.Date, r *rng) []licence.CategoryEntry {
	today := g.cfg.Today
	var cs []catDraw
	add := func(c licence.Category, on date.Date) bool {
		if on >= today || !oldEnough(c, born, on) {
			return false
		}
		cs = append(cs, catDraw{c, on})
		return true
	}
	if r.chance(0.02) { // motorcycle only
		cs = append(cs, catDraw{licence.CategoryA2, obtained})
	} else {
		cs = append(cs, catDraw{licence.CategoryB, obtained})
		if r.chance(0.08) {
			a2 := r.between(obtained.AddMonths(6), obtained.AddYears(15))
			if add(licence.CategoryA2, a2) && r.chance(0.5) {
				add(licence.CategoryA, r.between(a2.AddYears(2), a2.AddYears(5)))
			}
		}
		if r.chance(0.04) {
			add(licence.CategoryBE, r.between(obtained.AddYears(1), obtained.AddYears(20)))
		}
		if r.chance(0.035) {
			on := r.between(obtained.AddYears(1), obtained.AddYears(10))
			if add(licence.CategoryC, on) && r.chance(0.55) {
				add(licence.CategoryCE, r.between(on.AddMonths(6), on.AddYears(4)))
			}
		} else if r.chance(0.01) {
			add(licence.CategoryC1, r.between(obtained.AddYears(1), obtained.AddYears(10)))
		}
		if r.chance(0.008) {
			add(licence.CategoryD, r.between(obtained.AddYears(3), obtained.AddYears(15)))
		}
	}
	order := licence.Categories()
	slices.SortFunc(cs, func(a, b catDraw) int {
		return slices.Index(order, a.cat) - slices.Index(order, b.cat)
	})
	out := make([]licence.CategoryEntry, len(cs))
	for k, d := range cs {
		out[k] = licence.CategoryEntry{Category: d.cat, Obtained: d.on}
	}
	return out
}

// restrictions draws field-12 codes: glasses (01.01) for about a fifth of
// holders, more with age; 78 (automatic gearbox) for some recent licences;
// 96 for a few B holders without BE.
func restrictions(born date.Date, cats []licence.CategoryEntry, today date.Date, r *rng) []licence.Restriction {
	var out []licence.Restriction
	age := date.YearsBetween(born, today)
	p := 0.10
	switch {
	case age >= 60:
		p = 0.36
	case age >= 40:
		p = 0.22
	}
	if r.chance(p) {
		out = append(out, licence.Restriction{Code: "01.01"})
	}
	b, hasB := entry(cats, licence.CategoryB)
	_, hasBE := entry(cats, licence.CategoryBE)
	if hasB {
		p78 := 0.01
		if b.Obtained.Year() >= 2010 {
			p78 = 0.07
		}
		if r.chance(p78) {
			out = append(out, licence.Restriction{Code: "78", Category: licence.CategoryB})
		}
		if !hasBE && r.chance(0.02) {
			out = append(out, licence.Restriction{Code: "96", Category: licence.CategoryB})
		}
	}
	return out
}

func entry(cats []licence.CategoryEntry, c licence.Category) (licence.CategoryEntry, bool) {
	for _, e := range cats {
		if e.Category == c {
			return e, true
		}
	}
	return licence.CategoryEntry{}, false
}

// title draws the current card and the validity of each category on it. A
// light card was issued with the first licence (from 2013), or later on an
// exchange of the pink licence, a duplicate or a new category, and is valid
// 15 years. A heavy holder's card was issued after the last medical check and
// its heavy categories end with that check's validity (§2.2); a few holders
// are past their medical date.
func (g *Generator) title(rec *Record, i int, r *rng) {
	r.seed(g.cfg.Seed, i, streamLicence+100)
	today := g.cfg.Today
	l := &rec.Licence
	born := rec.Person.BirthDate
	vr := licence.DefaultValidityRules()

	var issued date.Date
	if l.Obtained >= cardEra {
		issued = l.Obtained.AddDays(15 + r.IntN(45))
	} else {
		issued = r.between(cardEra, today)
	}
	if r.chance(0.12) { // duplicate after a loss or theft
		issued = r.between(issued, today)
	}
	heavy, lastHeavy := false, date.Date(0)
	for _, e := range l.Categories {
		if e.Obtained > issued {
			issued = e.Obtained.AddDays(15 + r.IntN(45))
		}
		if e.Category.Heavy() {
			heavy, lastHeavy = true, max(lastHeavy, e.Obtained)
		}
	}
	var medical date.Null
	if heavy {
		years := vr.Years(licence.CategoryC, date.YearsBetween(born, today))
		last := r.between(today.AddYears(-years).AddDays(1), today)
		if r.chance(0.06) {
			last = today.AddYears(-years).AddDays(-1 - r.IntN(700))
		}
		// The medical opinion comes before the heavy category is obtained.
		last = max(last, lastHeavy.AddDays(-r.IntN(60)))
		medical = date.Some(last.AddYears(vr.Years(licence.CategoryC, date.YearsBetween(born, last))))
		issued = max(issued, last.AddDays(15+r.IntN(45)))
	}
	issued = min(issued, today)
	expires := date.Date(0)
	for k, e := range l.Categories {
		var m date.Null
		if e.Category.Heavy() {
			m = medical
		}
		l.Categories[k] = vr.Entry(e.Category, e.Obtained, issued, born, m)
		if end := l.Categories[k].ValidUntil.Date; expires == 0 || end < expires {
			expires = end
		}
	}
	number := g.titleNumber(i, issued)
	t := licence.Title{
		ID: int64(i + 1), LicenceID: int64(i + 1), Number: number,
		MRZ:    licence.BuildMRZ(number, expires, rec.Person.FamilyName),
		Issued: issued, Expires: expires,
		State: licence.TitleActive, StateSince: issued,
	}
	if l.State == licence.StateInvalidated {
		// The card is handed in to the préfecture within 10 days of the 48SI.
		if handed := l.StateSince.AddDays(3 + r.IntN(8)); handed <= today {
			t.State, t.StateSince = licence.TitleSurrendered, handed
		}
	}
	rec.Title = t
}

// titleSerials is the number of generated card serials: two letters AA–ZY
// (ZZ is kept for the demo people) and five digits.
const titleSerials = (26*26 - 1) * 100_000

// titleNumber writes YYAA99999: the year of issue, then a serial that is an
// affine permutation of the licence index, so card numbers are unique
// across the register whatever the years.
func (g *Generator) titleNumber(i int, issued date.Date) licence.TitleNumber {
	s := (g.titleA*uint64(i) + g.titleB) % titleSerials
	letters, digits := int(s/100_000), int(s%100_000)
	var b [9]byte
	out := append2(b[:0], issued.Year()%100)
	out = append(out, byte('A'+letters/26), byte('A'+letters%26))
	out = append(out, byte('0'+digits/10000), byte('0'+digits/1000%10))
	out = append(out, byte('0'+digits/100%10), byte('0'+digits/10%10), byte('0'+digits%10))
	return licence.TitleNumber(out)
}
