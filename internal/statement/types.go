package statement

import (
	"time"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/twoddoc"
)

// Document is what a statement says about itself: its number, when and by
// whom it was issued, and how a reader checks it. The caller makes the
// reference, the 2D-Doc and its modules; this package only lays them out.
type Document struct {
	Reference   string         // the statement's number, printed on every page
	IssuedAt    time.Time      // printed in Europe/Paris time; also the PDF's creation date
	Issuer      string         // e.g. "Service Permis — démonstration"; the PDF's author
	ServiceURL  string         // the service's address, e.g. "https://permis.example"; the caption adds "/verifier"
	Barcode     twoddoc.Matrix // the 2D-Doc's DataMatrix, twoddoc.Modules(BarcodeText); the zero Matrix prints the caption without a symbol
	BarcodeText string         // the 2D-Doc message, printed under the symbol (control characters as <GS>, <RS>, <US>)

	// Uncompressed writes the page contents in clear, for golden tests and
	// debugging. Production output compresses them.
	Uncompressed bool
}

// Holder is the holder's civil status and address.
type Holder struct {
	FamilyName   string   // birth name
	UsageName    string   // "" when none
	GivenNames   []string // in civil-status order
	BirthDate    date.Date
	BirthPlace   string
	BirthCountry string   // "" or "France" prints the place alone
	Address      []string // postal lines; printed on the full statement only
}

// Category is a category held, with its dates and its validity on the day of
// issue (app.CategoryView).
type Category struct {
	Category     licence.Category
	Obtained     date.Date
	ValidUntil   date.Null // the heavy categories' end of validity
	MedicalUntil date.Null // end of the medical fitness opinion
	Valid        bool      // valid on the day of issue: the right is valid and the dates are not passed
}

// Restriction is a field-12 code (app.RestrictionView). An empty Label is
// filled from licence.RestrictionLabel.
type Restriction struct {
	Code     string
	Category licence.Category // "" when it concerns every category
	Label    string
	Detail   string // what follows the code: dates of 105/106, origin of 70
}

// Right is the state of the driving right on the day of issue.
type Right struct {
	State licence.RightState
	Since date.Date
	Until date.Null // end of the retention, of the suspension, of the wait or ban
}

// Licence is what both documents say about the licence.
type Licence struct {
	NEPH         licence.NEPH
	Holder       Holder
	Categories   []Category
	Restrictions []Restriction
	Right        Right
}

// RightsAttestation is the input of Attestation, the attestation de droits à
// conduire (ADCS). It has no points, no history and no letters, by design:
// the law lets a third party see the rights, not the balance.
type RightsAttestation struct {
	Document
	Licence
	ValidUntil date.Date // the attestation's own end of validity, computed by the caller (4 months)
}

// Full is the input of FullStatement, the relevé d'information intégral.
type Full struct {
	Document
	Licence
	Obtained    date.Date        // first licence; the zero Date (1970-01-01) is not printed
	Departement string           // département that holds the file
	Probation   points.Probation // probationary path
	Training    date.Null        // complementary training attended
	Titles      []Title
	Points      Points
	Measures    []Measure // measures on the right, latest last
}

// Title is one card (app.TitleView).
type Title struct {
	Number  licence.TitleNumber
	Issued  date.Date
	Expires date.Date
	State   licence.TitleState
}

// Points is the balance with its history (app.PointsView).
type Points struct {
	At           date.Date // the day the balance is computed
	Balance      int
	Ceiling      int
	Valid        bool      // false once the balance reached zero
	ProbationEnd date.Null // end of the probationary period
	Movements    []Movement
	Upcoming     []Movement // recoveries to come if nothing new happens; Balance is the projected balance
	Letters      []Letter
}

// Movement is one change of the balance (app.MoveView), with what a reader
// needs to recognise it.
type Movement struct {
	Date    date.Date
	Kind    points.Kind
	Label   string // the offence's nature and place, the course's centre; "" prints Ref
	Delta   int    // points added (>0) or withdrawn (<0)
	Balance int    // balance after the movement
	Ref     string // the offence or course it concerns
}

// Letter is a ministry letter about points (app.LetterView).
type Letter struct {
	Date date.Date
	Type points.LetterType
	Ref  string // the offence that caused it
}

// Measure is a measure on the driving right: retention, suspension,
// invalidation, annulment, reinstatement.
type Measure struct {
	Date   date.Date
	Kind   licence.RightEventKind
	Until  date.Null
	Detail string // authority, decision number…
}
