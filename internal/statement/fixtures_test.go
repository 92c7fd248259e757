package statement

import (
	"fmt"
	"time"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/twoddoc"
)

// Test fixtures: invented people, values shaped like REFERENCE §1.3.

var issuedAt = time.Date(2025, time.March, 12, 13, 5, 0, 0, time.UTC) // 14 h 05 in Paris

// testCode is the 2D-Doc of the fixtures: shaped like the service's (an AB
// code with a P-256 signature), not signed by any key.
const testCode = "DC04FR0000011E471E47AB01FR6HM\x1d6GDUMONT\x1d60JEAN/PIERRE\x1d69120519856ALYON\x1dAC230334100123\x1dE4APCE550\x1fZJMDY3LOABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ23456"

// testSymbol is testCode's DataMatrix, as the service computes it.
var testSymbol = func() twoddoc.Matrix {
	m, err := twoddoc.Modules(testCode)
	if err != nil {
		panic(err)
	}
	return m
}()

func testDocument(ref string) Document {
	return Document{
		Reference:    ref,
		IssuedAt:     issuedAt,
		Issuer:       "Service Permis — démonstration",
		ServiceURL:   "https://permis.example/",
		Barcode:      testSymbol,
		BarcodeText:  testCode,
		Uncompressed: true,
	}
}

func dupont() Holder {
	return Holder{
		FamilyName: "Dupont", GivenNames: []string{"Jean", "Pierre"},
		BirthDate: date.MustParse("1985-05-12"), BirthPlace: "Lyon", BirthCountry: "France",
		Address: []string{"3 rue des Lilas", "34000 Montpellier"},
	}
}

func validB(obtained string) []Category {
	return []Category{{Category: licence.CategoryB, Obtained: date.MustParse(obtained), Valid: true}}
}

// noOffences is a holder with a clean record.
func noOffences() Full {
	return Full{
		Document: testDocument("RII-7KM4-PQ2X"),
		Licence: Licence{
			NEPH: "230334100123", Holder: dupont(), Categories: validB("2004-06-15"),
			Right: Right{State: licence.StateValid, Since: date.MustParse("2004-06-15")},
		},
		Obtained: date.MustParse("2004-06-15"), Departement: "34", Probation: points.ProbationNone,
		Titles: []Title{{Number: "24AB12345", Issued: date.MustParse("2024-02-01"), Expires: date.MustParse("2039-02-01"), State: licence.TitleActive}},
		Points: Points{At: date.MustParse("2025-03-12"), Balance: 12, Ceiling: 12, Valid: true},
	}
}

// longHistory is a holder with many small offences over ten years, enough
// for a history of several pages.
func longHistory() Full {
	f := noOffences()
	f.Reference = "RII-9TR3-WX8H"
	f.Categories = append(f.Categories, Category{
		Category: licence.CategoryA2, Obtained: date.MustParse("2016-09-01"), Valid: true,
	})
	f.Restrictions = []Restriction{{Code: "01.01", Category: licence.CategoryB, Label: "Lunettes"}}
	f.Points.Movements, f.Points.Letters = history(date.MustParse("2015-04-02"), 48)
	f.Points.Balance = f.Points.Movements[len(f.Points.Movements)-1].Balance
	f.Points.Upcoming = []Movement{
		{Date: date.MustParse("2025-06-20"), Kind: points.KindRecovery6M, Delta: 1, Balance: f.Points.Balance + 1, Ref: "INF-0047"},
	}
	return f
}

// history makes n offences a little over two months apart, in cycles of
// five: four cost 1 point, the fifth 3 points and brings a letter 48; a
// course follows it, then the capital comes back to 12 before the next cycle.
func history(from date.Date, n int) ([]Movement, []Letter) {
	places := []string{"Lyon (69)", "Montpellier (34)", "Béziers (34)", "Nîmes (30)", "Sète (34)"}
	var ms []Movement
	var ls []Letter
	balance := 12
	d := from
	for i := 0; i < n; i++ {
		ref := fmt.Sprintf("INF-%04d", i)
		label := "Excès de vitesse inférieur à 20 km/h — " + places[i%len(places)]
		delta := -1
		if i%5 == 4 {
			label = "Usage d'un téléphone tenu en main — " + places[i%len(places)]
			delta = -3
		}
		balance += delta
		ms = append(ms, Movement{Date: d, Kind: points.KindOffence, Label: label, Delta: delta, Balance: balance, Ref: ref})
		if i%5 == 4 {
			ls = append(ls, Letter{Date: d, Type: points.Letter48, Ref: ref})
			ms = append(ms, Movement{Date: d.AddMonths(1), Kind: points.KindCourse, Label: "Centre agréé de Montpellier",
				Delta: 4, Balance: balance + 4, Ref: fmt.Sprintf("STG-%02d", i/5)})
			balance += 4
			ms = append(ms, Movement{Date: d.AddDays(60), Kind: points.KindRecoveryFull, Delta: 12 - balance, Balance: 12, Ref: ref})
			balance = 12
		}
		d = d.AddDays(68)
	}
	return ms, ls
}

// suspended is a holder whose right the préfet suspended.
func suspended() Full {
	f := noOffences()
	f.Reference = "RII-4HN7-CD5V"
	f.Right = Right{State: licence.StateSuspendedAdmin, Since: date.MustParse("2025-02-20"), Until: date.Some(date.MustParse("2025-08-20"))}
	f.Categories[0].Valid = false
	f.Measures = []Measure{
		{Date: date.MustParse("2025-02-17"), Kind: licence.EventRetain, Until: date.Some(date.MustParse("2025-02-20")), Detail: "Gendarmerie de Lunel"},
		{Date: date.MustParse("2025-02-20"), Kind: licence.EventSuspendAdmin, Until: date.Some(date.MustParse("2025-08-20")), Detail: "Arrêté du préfet de l'Hérault n° 2025-0142"},
	}
	f.Points.Balance = 6
	f.Points.Movements = []Movement{{Date: date.MustParse("2025-02-28"), Kind: points.KindOffence,
		Label: "Conduite avec un taux d'alcool de 0,9 g/L — Lunel (34)", Delta: -6, Balance: 6, Ref: "INF-0900"}}
	f.Points.Letters = []Letter{
		{Date: date.MustParse("2025-02-28"), Type: points.Letter48, Ref: "INF-0900"},
		{Date: date.MustParse("2025-02-28"), Type: points.Letter48M, Ref: "INF-0900"},
	}
	return f
}

// accents is a holder whose names use É, ç, œ and the typographic
// apostrophe, on a probationary licence with restrictions.
func accents() Full {
	f := noOffences()
	f.Reference = "RII-2BF6-LM9Q"
	f.NEPH = "190759200457"
	f.Holder = Holder{
		FamilyName: "D’Argençon", UsageName: "Lefèvre-Cœur", GivenNames: []string{"Élodie", "Françoise"},
		BirthDate: date.MustParse("2003-11-30"), BirthPlace: "Saint-Étienne", BirthCountry: "France",
		Address: []string{"12, rue de l’Église", "59000 Lille"},
	}
	f.Obtained = date.MustParse("2023-07-04")
	f.Probation = points.ProbationAAC
	f.Training = date.Some(date.MustParse("2024-02-10"))
	f.Categories = []Category{
		{Category: licence.CategoryAM, Obtained: date.MustParse("2018-01-10"), Valid: true},
		{Category: licence.CategoryB, Obtained: date.MustParse("2023-07-04"), Valid: true},
	}
	f.Restrictions = []Restriction{
		{Code: "01.05", Category: licence.CategoryB},
		{Code: "106", Detail: "04/07/23 - 04/07/25"},
	}
	f.Points = Points{At: date.MustParse("2025-03-12"), Balance: 9, Ceiling: 12, Valid: true,
		ProbationEnd: date.Some(date.MustParse("2025-07-04")),
		Movements: []Movement{
			{Date: date.MustParse("2024-07-04"), Kind: points.KindProbation, Delta: 3, Balance: 9},
		},
		Upcoming: []Movement{
			{Date: date.MustParse("2025-07-04"), Kind: points.KindProbation, Delta: 3, Balance: 12},
		},
	}
	return f
}

// attestationOf is the attestation a holder of f downloads on the same day.
func attestationOf(f Full) RightsAttestation {
	d := f.Document
	d.Reference = "ADCS" + d.Reference[3:]
	return RightsAttestation{Document: d, Licence: f.Licence, ValidUntil: date.FromTime(d.IssuedAt).AddMonths(4)}
}
