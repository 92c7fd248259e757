package licence

import (
	"permis/internal/date"
	"permis/internal/points"
)

// Sex as recorded in civil status.
type Sex string

// Sexes.
const (
	SexFemale Sex = "F"
	SexMale   Sex = "M"
)

// Person is a licence holder's civil status.
type Person struct {
	ID           int64
	FamilyName   string // nom de naissance
	UsageName    string // nom d'usage, "" if none
	GivenNames   []string
	BirthDate    date.Date
	BirthPlace   string // commune, or city abroad
	BirthCountry string // ISO 3166-1 alpha-2, "FR" for France
	Sex          Sex
	Email        string
	Address      Address
}

// Address is a postal address in France or abroad.
type Address struct {
	Line1      string
	Line2      string
	PostalCode string
	City       string
	Country    string // ISO 3166-1 alpha-2
}

// Licence is one person's driving right: lifelong NEPH, categories,
// restrictions, probation and the state of the right. The cards that carry
// it are Titles.
type Licence struct {
	ID                    int64
	NEPH                  NEPH
	PersonID              int64
	Obtained              date.Date // first category obtained: start of the points capital
	Probation             points.Probation
	ComplementaryTraining date.Null
	Departement           string // département of the préfecture that holds the file, e.g. "34"
	State                 RightState
	StateSince            date.Date
	StateUntil            date.Null // end of a suspension, of a ban on re-applying…
	Categories            []CategoryEntry
	Restrictions          []Restriction
	// Reobtained: the licence was obtained again after an invalidation or an
	// annulment, which field-12 code 105 records (REFERENCE §2.3). Its
	// probation is not a first licence's, so the complementary training does
	// not shorten it (L223-1). Derived by the store from the restrictions.
	Reobtained bool
}

// CodeReobtained is the field-12 code of a probation after an invalidation
// or an annulment (REFERENCE §2.3).
const CodeReobtained = "105"

// CategoryEntry is one category held, with its dates (§2.2).
type CategoryEntry struct {
	Category     Category
	Obtained     date.Date
	ValidUntil   date.Null // end of administrative validity of that category on the current title
	MedicalUntil date.Null // end of the medical aptitude, for heavy categories or restricted licences
}

// Restriction is a code printed in field 12 (§2.3), for one category or all
// ("" Category).
type Restriction struct {
	Code     string // "01.01", "78", "105"…
	Category Category
	Detail   string // free text that follows some codes (dates for 105/106, origin for 70)
}

// Category is a licence category (AM … DE, §2.1).
type Category string

// RightState is the state of the driving right (§3.8).
type RightState string

// Driving-right states (§3.7, §3.8).
const (
	StateValid          RightState = "valid"
	StateRetained       RightState = "retained"           // rétention, 72 h / 120 h
	StateSuspendedAdmin RightState = "suspended_admin"    // suspension administrative (préfet)
	StateSuspendedCourt RightState = "suspended_judicial" // suspension judiciaire
	StateInvalidated    RightState = "invalidated"        // zero balance, 48SI notified
	StateAnnulled       RightState = "annulled"           // annulation judiciaire
)

// TitleState is the state of one card (§3.8, "Title states").
type TitleState string

// Title states.
const (
	TitleActive      TitleState = "active"
	TitleLost        TitleState = "declared_lost"
	TitleStolen      TitleState = "declared_stolen"
	TitleDamaged     TitleState = "damaged"
	TitleReplaced    TitleState = "replaced"
	TitleSurrendered TitleState = "surrendered" // restitué (handed in after invalidation, annulment…)
)

// Title is one physical card (§1.2): its per-card number and MRZ change with
// every new card, while the NEPH stays.
type Title struct {
	ID         int64
	LicenceID  int64
	Number     TitleNumber
	MRZ        string
	Issued     date.Date
	Expires    date.Date
	State      TitleState
	StateSince date.Date
}

// TitleNumber is a card's document number, YYAA99999 (§1.2).
type TitleNumber string
