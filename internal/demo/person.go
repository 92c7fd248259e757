package demo

import (
	"strconv"
	"strings"

	"permis/internal/date"
	"permis/internal/licence"
)

// EmailDomain is the domain of every generated e-mail address. It is an
// example domain: nothing must ever be sent there from a real mailer.
const EmailDomain = "demo.permis.invalid" // .invalid is reserved (RFC 2606): it can never receive mail

// person draws the civil status of licence i's holder. The birth date makes
// the holder old enough for the licence (17 from 2024, 18 before) and at
// most 90 today; most people pass in their late teens, some much later.
func (g *Generator) person(i int, c core, r *rng) licence.Person {
	r.seed(g.cfg.Seed, i, streamPerson)
	today := g.cfg.Today
	p := licence.Person{ID: int64(i + 1), BirthCountry: "FR"}
	female := r.IntN(2) == 0
	if female {
		p.Sex = licence.SexFemale
	} else {
		p.Sex = licence.SexMale
	}
	p.FamilyName = familyNames[r.IntN(len(familyNames))]
	p.GivenNames = g.givenNames(female, r)

	minAge := licence.CategoryB.MinimumAge(c.obtained)
	age := minAge
	if r.IntN(100) >= 55 {
		age += min(int(r.ExpFloat64()*5), 45)
	}
	birth := c.obtained.AddYears(-age).AddDays(-r.IntN(365))
	if oldest := today.AddYears(-90).AddDays(1); birth < oldest {
		birth = r.between(oldest, c.obtained.AddYears(-minAge))
	}
	p.BirthDate = birth
	if female && date.YearsBetween(birth, today) >= 25 && r.chance(0.35) {
		p.UsageName = familyNames[r.IntN(len(familyNames))]
	}

	switch {
	case r.chance(0.06):
		f := foreignBirthPlaces[r.IntN(len(foreignBirthPlaces))]
		p.BirthPlace, p.BirthCountry = f.City, f.Country
	case r.chance(0.45):
		p.BirthPlace = communes[g.deskCommune(c.desk, r)].Name
	default:
		p.BirthPlace = communes[r.pick(g.communeCum)].Name
	}

	home := r.pick(g.communeCum)
	if r.chance(0.75) {
		home = g.deskCommune(c.desk, r)
	}
	p.Address = address(home, r)
	p.Email = email(p.GivenNames[0], p.FamilyName, i)
	return p
}

func (g *Generator) givenNames(female bool, r *rng) []string {
	list := givenNamesM[:]
	if female {
		list = givenNamesF[:]
	}
	n := 1
	switch x := r.IntN(100); {
	case x >= 85:
		n = 3
	case x >= 40:
		n = 2
	}
	names := make([]string, 0, n)
	for len(names) < n {
		name := list[r.IntN(len(list))]
		dup := false
		for _, have := range names {
			dup = dup || have == name
		}
		if !dup {
			names = append(names, name)
		}
	}
	return names
}

// deskCommune draws a commune of the desk's département.
func (g *Generator) deskCommune(d int, r *rng) int {
	return g.deskCommunes[d][r.pick(g.deskCommuneCum[d])]
}

func address(home int, r *rng) licence.Address {
	c := communes[home]
	a := licence.Address{PostalCode: c.PostalCode, City: c.Name, Country: "FR"}
	num := strconv.Itoa(1 + r.IntN(150))
	if r.chance(0.05) {
		num += " bis"
	}
	a.Line1 = num + " " + streets[r.IntN(len(streets))]
	if r.chance(0.2) {
		a.Line2 = addressLine2[r.IntN(len(addressLine2))]
	}
	return a
}

// email builds given.family.N@exemple.fr in lower-case ASCII; N is the
// licence's rank, so addresses are unique in the register.
func email(given, family string, i int) string {
	var b strings.Builder
	b.Grow(40)
	b.WriteString(emailPart(given))
	b.WriteByte('.')
	b.WriteString(emailPart(family))
	b.WriteByte('.')
	b.WriteString(strconv.Itoa(i + 1))
	b.WriteByte('@')
	b.WriteString(EmailDomain)
	return b.String()
}

func emailPart(name string) string {
	return strings.ReplaceAll(strings.ToLower(licence.NormalizeName(name)), " ", "-")
}

// minimumAge is Category.MinimumAge, also for days before 1970: the licence
// package reads its zero "from" date as 1970-01-01 and answers 0 before it.
// The age rules did not change before 1970, so the 1970 answer holds.
// oldEnough is Category.OldEnough.
func oldEnough(c licence.Category, born, on date.Date) bool { return c.OldEnough(born, on) }
