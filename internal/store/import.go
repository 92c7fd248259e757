package store

import (
	"permis/internal/licence"
	"permis/internal/points"
)

// OffenceRow is one established offence arriving from the fines system, with
// the line of the file it came from (for the report of bad rows).
type OffenceRow struct {
	Line    int
	NEPH    licence.NEPH
	Offence points.Offence // Offence.ID is the fines system's event id: the idempotency key
	Nature  string         // short description or NATINF code, optional

	// licenceID is the row's licence, found by SortByLicence; 0 when not
	// looked up yet or unknown, and ImportOffences then looks it up itself.
	// Unexported, so only the store sets it: the NEPH of a licence never
	// changes and licences are not deleted, so the id stays right from the
	// look-up to the row's transaction.
	licenceID int64
}

// ImportOutcome says what became of one imported row.
type ImportOutcome int

// Import outcomes.
const (
	Inserted             ImportOutcome = iota // new event, now in the ledger
	AlreadyPresent                            // same event id with the same content: nothing to do
	UnknownNEPH                               // no licence with that NEPH
	ConflictingDuplicate                      // same event id with different content: rejected
)

// RowResult is the outcome of one row; Detail explains a rejection.
type RowResult struct {
	Line    int
	EventID string
	Outcome ImportOutcome
	Detail  string
}
