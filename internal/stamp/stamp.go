// Package stamp is the electronic fiscal stamp (timbre fiscal électronique,
// REFERENCE §8) as a request uses it: its 16-digit number, its amount, its
// validity (12 months from purchase), the refund window (18 months) and the
// states a stamp goes through while a request is filed, accepted or
// rejected. It does no I/O: the store applies the same rules in single
// conditional statements, and calls these functions to explain a refusal.
//
//	available --Reserve (request filed)--> reserved --Consume (accepted)--> consumed
//	                                       reserved --Release (rejected)--> available
//	available --Refund (within 18 months of purchase)--> refunded
//
// "Expired" is not a stored state: an available stamp past ValidUntil can no
// longer be reserved, but may still be refunded until RefundableUntil.
package stamp

import (
	"errors"
	"fmt"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

// Amount is a sum of money in euro cents.
type Amount int64

// String formats the amount the French way: "25 €", "12,50 €" (with a
// non-breaking space before the euro sign).
func (a Amount) String() string {
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	if a%100 == 0 {
		return fmt.Sprintf("%s%d\u00a0€", sign, a/100)
	}
	return fmt.Sprintf("%s%d,%02d\u00a0€", sign, a/100, a%100)
}

// Config holds the delays of §8 that the law may change (CGI art. 900 for
// the validity). DefaultConfig is the law as REFERENCE §8 states it; a
// configuration file may override it (check it with Validate).
type Config struct {
	ValidityMonths int `json:"validity_months"` // a stamp may be used for 12 months after its purchase
	RefundMonths   int `json:"refund_months"`   // an unused stamp may be refunded for 18 months after its purchase
}

// DefaultConfig returns the figures of REFERENCE §8: valid 12 months,
// refundable 18 months.
func DefaultConfig() Config { return Config{ValidityMonths: 12, RefundMonths: 18} }

// Validate refuses figures that would make no sense, so a bad configuration
// fails at start-up.
func (c Config) Validate() error {
	if c.ValidityMonths <= 0 {
		return errors.New("timbre fiscal : la durée de validité doit être d'au moins un mois")
	}
	if c.RefundMonths < c.ValidityMonths {
		return errors.New("timbre fiscal : le délai de remboursement ne peut être plus court que la validité")
	}
	return nil
}

// State is the stored state of a stamp. Its values are stable: they are
// stored in the stamps table.
type State string

// The states of a stamp.
const (
	Available State = "available" // bought, not attached to any request (new, or released after a rejection)
	Reserved  State = "reserved"  // attached to a filed request that is not decided yet
	Consumed  State = "consumed"  // used by an accepted request: final
	Refunded  State = "refunded"  // refunded to the buyer: final
)

// Label returns the French name of the state.
func (s State) Label() string {
	switch s {
	case Available:
		return "disponible"
	case Reserved:
		return "rattaché à une demande en cours"
	case Consumed:
		return "utilisé"
	case Refunded:
		return "remboursé"
	}
	return "dans un état inconnu (« " + string(s) + " »)"
}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	switch s {
	case Available, Reserved, Consumed, Refunded:
		return true
	}
	return false
}

// Stamp is one electronic fiscal stamp known to the service: bought inside
// a request through the payment provider, or entered by its number.
type Stamp struct {
	ID              int64
	Number          Number
	Amount          Amount
	PurchasedAt     time.Time
	ValidUntil      date.Date // last day the stamp may be attached to a request
	RefundableUntil date.Date // last day a refund may be asked
	TransactionRef  string    // the payment's reference (needed to ask a refund)
	State           State
	RequestRef      string // the request it is reserved for or consumed by; "" otherwise
	ReservedAt      *time.Time
	ConsumedAt      *time.Time
	ReleasedAt      *time.Time // last release (a stamp may be reserved and released more than once)
	RefundedAt      *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// New returns an available stamp bought at purchasedAt, with its validity
// and refund window computed from the purchase day in Paris: the last day
// of validity is the same day ValidityMonths later (or the last day of a
// shorter month), likewise for the refund.
func (c Config) New(n Number, amount Amount, purchasedAt time.Time, transactionRef string) (Stamp, error) {
	if len(n) != NumberLen {
		return Stamp{}, fail(apperr.Invalid, ErrNumber, "")
	}
	if amount <= 0 {
		return Stamp{}, apperr.Field("amount", "Le montant d'un timbre fiscal doit être positif.")
	}
	bought := date.Today(purchasedAt)
	return Stamp{
		Number:          n,
		Amount:          amount,
		PurchasedAt:     purchasedAt,
		ValidUntil:      bought.AddMonths(c.ValidityMonths),
		RefundableUntil: bought.AddMonths(c.RefundMonths),
		TransactionRef:  transactionRef,
		State:           Available,
	}, nil
}

// Expired reports whether the stamp can no longer be attached to a request
// on day on because its validity has ended (whatever its state).
func (s Stamp) Expired(on date.Date) bool { return on.After(s.ValidUntil) }

// Refundable reports whether a refund may be asked on day on: the stamp is
// available (never used, or released) and the refund window is open.
func (s Stamp) Refundable(on date.Date) bool {
	return s.State == Available && !on.After(s.RefundableUntil)
}

// StatusLabel is the French status shown to the buyer on day on: the
// stored state, or "expiré" for an available stamp past its validity.
func (s Stamp) StatusLabel(on date.Date) string {
	if s.State == Available && s.Expired(on) {
		if s.Refundable(on) {
			return "expiré (remboursable jusqu'au " + s.RefundableUntil.French() + ")"
		}
		return "expiré"
	}
	return s.State.Label()
}
