// Package contest decides, for a fine's notice and a contest of it, what the
// law of the amende forfaitaire says: the deadline, the documents and the
// deposit each ground needs, whether the contest is admissible, and the
// points the registration holder loses if nothing else happens. It does no
// I/O: the citizen pages, the prosecutor's back office and the public
// contract `permis contest evaluate` (docs/contest-evaluate.md) all call
// Evaluate, so each rule exists once. The rules and their sources are in
// docs/contest.md.
package contest

import "permis/internal/date"

// Kind is the notice being contested.
type Kind string

// The notices: the avis de contravention (amende forfaitaire) and the avis
// d'amende forfaitaire majorée.
const (
	ACO Kind = "aco" // contested by a requête en exonération (CPP 529-2)
	AFM Kind = "afm" // contested by a réclamation (CPP 530)
)

// Mail is how the notice was sent.
type Mail string

// The ways a notice is sent; only an AFM sent by registered letter to the
// registration's address changes a deadline (CPP 530).
const (
	Ordinary   Mail = "ordinary"
	Registered Mail = "registered"
)

// Holder is who holds the vehicle's registration.
type Holder string

// The holders: a company's representative designates the driver and the
// company loses no points (L121-2, L121-6).
const (
	Person  Holder = "person"
	Company Holder = "company"
)

// Notice is an avis de contravention or an avis d'AFM, as far as the
// contest's rules need it. Amounts are whole euros.
type Notice struct {
	Kind      Kind
	Sent      date.Date // the day the notice was sent: every deadline counts from it
	Mail      Mail
	Class     string // "1"–"5" or "delit"
	Fine      int    // the amount claimed by this notice (the AFM's amount for an AFM)
	Holder    Holder
	Committed date.Date
	Points    int // the points the offence costs
}

// Contest is a requête en exonération (ACO) or a réclamation (AFM).
type Contest struct {
	Filed                 date.Date
	Ground                Ground
	Documents             []Document
	Deposit               int       // consignation paid with the contest, euros
	Paid                  date.Null // the day the fine was paid, if it was
	PaymentDelayRequested bool      // a payment delay or a remission was asked of the Trésor (AFM)
}

// Reason says why a contest is admissible or not.
type Reason string

// The reasons, in the order Evaluate checks them.
const (
	OK                    Reason = "ok"
	AlreadyPaid           Reason = "already_paid"
	PaymentDelayRequested Reason = "payment_delay_requested"
	Late                  Reason = "late"
	DocumentsMissing      Reason = "documents_missing"
	DepositMissing        Reason = "deposit_missing"
)

// Decision is what the law says of a contest before the prosecutor reads it.
type Decision struct {
	Admissible      bool
	Reason          Reason
	Deadline        date.Date // last day to file, at midnight (CPP 801)
	DepositRequired int       // euros
	PointsWithdrawn int       // what the holder loses if nothing else happens
}

// Evaluate decides on contest c of notice n under cfg. n and c must pass
// Validate (Decode does it).
func Evaluate(cfg Config, n Notice, c Contest) Decision {
	d := Decision{
		Deadline:        Deadline(cfg, n),
		DepositRequired: DepositRequired(n, c.Ground),
	}
	d.Reason = admissibility(n, c, d)
	d.Admissible = d.Reason == OK
	d.PointsWithdrawn = PointsWithdrawn(n, d.Admissible)
	return d
}

// admissibility checks the conditions in a fixed order, so one contest has
// one reason: a payment ends the matter before anything else is looked at.
func admissibility(n Notice, c Contest, d Decision) Reason {
	switch {
	case c.Paid.Valid:
		// Paying extinguishes the public action: the offence is admitted
		// (CPP 529 for the forfait, L223-1 for the points).
		return AlreadyPaid
	case n.Kind == AFM && c.PaymentDelayRequested:
		// Asking the Trésor for a delay or a remission of the AFM rules
		// out a réclamation (service-public F34207).
		return PaymentDelayRequested
	case c.Filed.After(d.Deadline):
		return Late
	case len(MissingDocuments(c.Ground, c.Documents)) > 0:
		return DocumentsMissing
	case c.Deposit < d.DepositRequired:
		return DepositMissing
	}
	return OK
}
