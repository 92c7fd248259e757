package demo

import (
	"strconv"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// DemoPerson is one of the fixed identities of the web demo, with a
// memorable situation. They are the first records of every register
// (indexes 0 to len-1) and their NEPHs never change: they use office code 11,
// which generated licences never use. Their dates are relative to the
// register's Today, so their situation stays the same whenever the demo runs.
type DemoPerson struct {
	Index     int
	Key       string // short stable handle, e.g. "probation"
	Name      string // given and family name
	NEPH      licence.NEPH
	Situation string // what the demo shows, in French
}

// demoPerson is the fixed part of a demo identity.
type demoPerson struct {
	DemoPerson
	desk              int // index in desks: Hérault, office 10
	ObtainedMonthsAgo int
	build             func(g *Generator, rec *Record)
}

var demoPeople = [...]demoPerson{
	{DemoPerson{0, "probation", "Léa Martin-Dubois", "240334110001",
		"Jeune conductrice en permis probatoire (formation complémentaire suivie), 1 point retiré il y a 2 mois"},
		0, 14, buildProbation},
	{DemoPerson{1, "twelve", "Jean-Pierre Lefèvre", "860334110002",
		"Titulaire à 12 points, B et A, lunettes ; un ancien retrait de 2 points entièrement récupéré"},
		0, 468, buildTwelve},
	{DemoPerson{2, "48m", "Camille Garnier", "030334110003",
		"Solde à 5 points après un feu rouge et un téléphone au volant : lettre 48M, stage conseillé"},
		0, 264, build48M},
	{DemoPerson{3, "invalidated", "Kévin Roux", "150334110004",
		"Permis invalidé pour solde nul (lettre 48SI notifiée il y a 3 mois), titre restitué"},
		0, 120, buildInvalidated},
	{DemoPerson{4, "heavy", "Karim Haddad", "960334110005",
		"Conducteur professionnel B, C, CE ; visite médicale à renouveler dans 5 mois"},
		0, 348, buildHeavy},
}

// DemoPeople returns the fixed demo identities, in register order.
func DemoPeople() []DemoPerson {
	out := make([]DemoPerson, len(demoPeople))
	for i, p := range demoPeople {
		out[i] = p.DemoPerson
	}
	return out
}

// fillDemo builds demo person i relative to Today.
func (g *Generator) fillDemo(rec *Record, i int) {
	p := &demoPeople[i]
	today := g.cfg.Today
	obtained := today.AddMonths(-p.ObtainedMonthsAgo)
	rec.Licence = licence.Licence{
		ID: int64(i + 1), NEPH: p.NEPH, PersonID: int64(i + 1),
		Obtained: obtained, Probation: points.ProbationNone, Departement: "34",
		State: licence.StateValid, StateSince: obtained,
		Categories: []licence.CategoryEntry{{Category: licence.CategoryB, Obtained: obtained}},
	}
	p.build(g, rec)
	rec.Person.ID = int64(i + 1)
	rec.Person.BirthCountry = "FR"
	rec.Person.Email = emailPart(rec.Person.GivenNames[0]) + "." + emailPart(rec.Person.FamilyName) + "@" + EmailDomain
	g.demoTitle(rec, i)
	led := rec.Ledger()
	res, err := g.rules.Replay(led, today)
	if err != nil {
		panic("demo: demo person " + p.Key + " refused by the points engine: " + err.Error())
	}
	rec.ExpectedBalance = res.Balance
}

// demoTitle issues the card: ZZ serials are reserved for demo people.
func (g *Generator) demoTitle(rec *Record, i int) {
	today := g.cfg.Today
	l := &rec.Licence
	issued := max(l.Obtained, cardEra).AddDays(30)
	for _, e := range l.Categories {
		issued = max(issued, e.Obtained.AddDays(30))
		if e.MedicalUntil.Valid {
			issued = max(issued, e.MedicalUntil.Date.AddYears(-5).AddDays(20))
		}
	}
	issued = min(issued, today)
	vr := licence.DefaultValidityRules()
	expires := date.Date(0)
	for k, e := range l.Categories {
		l.Categories[k] = vr.Entry(e.Category, e.Obtained, issued, rec.Person.BirthDate, e.MedicalUntil)
		if end := l.Categories[k].ValidUntil.Date; expires == 0 || end < expires {
			expires = end
		}
	}
	y := strconv.Itoa(100 + issued.Year()%100)[1:]
	number := licence.TitleNumber(y + "ZZ0000" + strconv.Itoa(i+1))
	rec.Title = licence.Title{
		ID: int64(i + 1), LicenceID: int64(i + 1), Number: number,
		MRZ:    licence.BuildMRZ(number, expires, rec.Person.FamilyName),
		Issued: issued, Expires: expires, State: licence.TitleActive, StateSince: issued,
	}
	if l.State == licence.StateInvalidated {
		rec.Title.State, rec.Title.StateSince = licence.TitleSurrendered, l.StateSince.AddDays(6)
	}
}

func demoOffence(i, n, kind int, committed, established date.Date) Offence {
	k := offenceKinds[kind]
	return Offence{
		Offence: points.Offence{ID: eventID("PV", uint64(i)*64+uint64(n)), Committed: committed,
			Established: established, Points: k.Points, Class: k.Class},
		Nature: k.Nature,
	}
}

func heraultAddress(city string) licence.Address {
	for _, c := range communes {
		if c.Name == city && c.Departement == "34" {
			return licence.Address{Line1: "12 rue de la République", PostalCode: c.PostalCode, City: c.Name, Country: "FR"}
		}
	}
	panic("demo: no commune " + city + " in Hérault")
}

func buildProbation(g *Generator, rec *Record) {
	today := g.cfg.Today
	l := &rec.Licence
	rec.Person = licence.Person{FamilyName: "Martin-Dubois", GivenNames: []string{"Léa", "Inès"},
		BirthDate: l.Obtained.AddYears(-18).AddDays(-40), BirthPlace: "Montpellier",
		Sex: licence.SexFemale, Address: heraultAddress("Montpellier")}
	l.Probation = points.ProbationStandard
	l.ComplementaryTraining = date.Some(l.Obtained.AddMonths(8))
	rec.Offences = []Offence{demoOffence(0, 0, 1, today.AddMonths(-3), today.AddMonths(-2))}
}

func buildTwelve(g *Generator, rec *Record) {
	today := g.cfg.Today
	l := &rec.Licence
	rec.Person = licence.Person{FamilyName: "Lefèvre", GivenNames: []string{"Jean-Pierre", "Michel"},
		BirthDate: l.Obtained.AddYears(-19).AddDays(-120), BirthPlace: "Béziers",
		Sex: licence.SexMale, Address: heraultAddress("Béziers")}
	l.Categories = append([]licence.CategoryEntry{
		{Category: licence.CategoryA, Obtained: l.Obtained.AddYears(6)},
	}, l.Categories...)
	l.Restrictions = []licence.Restriction{{Code: "01.01"}}
	rec.Offences = []Offence{demoOffence(1, 0, 3, today.AddMonths(-50), today.AddMonths(-48))}
}

func build48M(g *Generator, rec *Record) {
	today := g.cfg.Today
	l := &rec.Licence
	rec.Person = licence.Person{FamilyName: "Garnier", UsageName: "Teyssier", GivenNames: []string{"Camille"},
		BirthDate: l.Obtained.AddYears(-19).AddDays(-200), BirthPlace: "Sète",
		Sex: licence.SexFemale, Address: heraultAddress("Béziers")}
	rec.Offences = []Offence{
		demoOffence(2, 0, 11, today.AddMonths(-9), today.AddMonths(-8)), // red light, 4 points
		demoOffence(2, 1, 4, today.AddMonths(-4), today.AddMonths(-3)),  // phone, 3 points
	}
}

func buildInvalidated(g *Generator, rec *Record) {
	today := g.cfg.Today
	l := &rec.Licence
	rec.Person = licence.Person{FamilyName: "Roux", GivenNames: []string{"Kévin"},
		BirthDate: l.Obtained.AddYears(-18).AddDays(-75), BirthPlace: "Lunel",
		Sex: licence.SexMale, Address: heraultAddress("Sète")}
	rec.Offences = []Offence{
		demoOffence(3, 0, 18, today.AddMonths(-20), today.AddMonths(-17)), // alcohol ≥ 0.8 g/L, délit, 6 points
		demoOffence(3, 1, 11, today.AddMonths(-10), today.AddMonths(-9)),  // red light, 4 points
		demoOffence(3, 2, 4, today.AddMonths(-5), today.AddMonths(-4)),    // phone, 3 points: zero
	}
	notified := today.AddMonths(-3)
	l.State, l.StateSince = licence.StateInvalidated, notified
	l.StateUntil = date.Some(notified.AddDays(10).AddMonths(6))
}

func buildHeavy(g *Generator, rec *Record) {
	today := g.cfg.Today
	l := &rec.Licence
	rec.Person = licence.Person{FamilyName: "Haddad", GivenNames: []string{"Karim", "Yanis"},
		BirthDate: l.Obtained.AddYears(-18).AddDays(-300), BirthPlace: "Montpellier",
		Sex: licence.SexMale, Address: heraultAddress("Lunel")}
	medical := date.Some(today.AddMonths(5))
	l.Categories = append(l.Categories,
		licence.CategoryEntry{Category: licence.CategoryC, Obtained: l.Obtained.AddYears(3), MedicalUntil: medical},
		licence.CategoryEntry{Category: licence.CategoryCE, Obtained: l.Obtained.AddYears(5), MedicalUntil: medical},
	)
	l.Restrictions = []licence.Restriction{{Code: "01.01"}}
}
