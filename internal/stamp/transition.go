package stamp

import (
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

// The transitions of a stamp. Each returns the stamp in its new state, or
// the unchanged stamp and an *apperr.Error whose cause is one of the Err
// classes, with a French message that says what to do. The store's
// conditional UPDATEs accept exactly the stamps these functions accept.

// Reserve attaches an available stamp to the request ref when it is filed at
// now (§8: "reserved when the request is filed"). The stamp must still be
// valid on that day (Paris) and worth at least due, the fee the request
// asks. A larger stamp is accepted (UNCONFIRMED: whether DGFiP insists on
// the exact amount is not documented; refusing an overpayment would only
// send the buyer to a refund).
func (s Stamp) Reserve(ref string, now time.Time, due Amount) (Stamp, error) {
	if ref == "" {
		return s, apperr.New(apperr.Invalid, "Référence de demande manquante.")
	}
	if err := s.refuseUnavailable(ref); err != nil {
		return s, err
	}
	on := date.Today(now)
	if s.Expired(on) {
		return s, s.expired(on)
	}
	if s.Amount < due {
		return s, fail(apperr.Invalid, ErrAmount, "Ce timbre fiscal est de "+s.Amount.String()+
			" ; cette demande demande un timbre de "+due.String()+".")
	}
	s.State, s.RequestRef, s.ReservedAt, s.UpdatedAt = Reserved, ref, &now, now
	return s, nil
}

// Consume marks the stamp reserved for ref as used, when the request is
// accepted at now (§8: the receiving administration consumes it). Its
// validity is not checked again: it was valid when the request was filed.
func (s Stamp) Consume(ref string, now time.Time) (Stamp, error) {
	if err := s.refuseNotReservedFor(ref); err != nil {
		return s, err
	}
	s.State, s.ConsumedAt, s.UpdatedAt = Consumed, &now, now
	return s, nil
}

// Release makes the stamp reserved for ref available again, when the
// request is rejected at now: the buyer may attach it to a new request while
// it is valid, or ask for a refund.
func (s Stamp) Release(ref string, now time.Time) (Stamp, error) {
	if err := s.refuseNotReservedFor(ref); err != nil {
		return s, err
	}
	s.State, s.RequestRef, s.ReleasedAt, s.UpdatedAt = Available, "", &now, now
	return s, nil
}

// Refund marks an available stamp as refunded at now, within the refund
// window (§8: refundable within 18 months of purchase if unused).
func (s Stamp) Refund(now time.Time) (Stamp, error) {
	switch s.State {
	case Reserved:
		return s, fail(apperr.Conflict, ErrReserved,
			"Ce timbre fiscal est rattaché à une demande en cours : il ne peut être remboursé que si cette demande est refusée.")
	case Consumed, Refunded:
		return s, s.refuseUnavailable("")
	}
	on := date.Today(now)
	if !s.Refundable(on) {
		return s, fail(apperr.Conflict, ErrNotRefundable, "Ce timbre fiscal ne peut plus être remboursé : acheté le "+
			date.Today(s.PurchasedAt).French()+", il pouvait l'être jusqu'au "+s.RefundableUntil.French()+".")
	}
	s.State, s.RefundedAt, s.UpdatedAt = Refunded, &now, now
	return s, nil
}

// refuseUnavailable explains why a stamp that is not available cannot be
// attached to the request ref ("" when no request is involved).
func (s Stamp) refuseUnavailable(ref string) error {
	switch s.State {
	case Available:
		return nil
	case Reserved:
		if ref != "" && s.RequestRef == ref {
			return fail(apperr.Conflict, ErrReserved, "Ce timbre fiscal est déjà rattaché à cette demande.")
		}
		return fail(apperr.Conflict, ErrReserved, "")
	case Consumed:
		return fail(apperr.Conflict, ErrConsumed, "")
	case Refunded:
		return fail(apperr.Conflict, ErrRefunded, "")
	}
	return apperr.New(apperr.Internal, "État de timbre inconnu : « "+string(s.State)+" ».")
}

// refuseNotReservedFor explains why the stamp is not reserved for ref.
func (s Stamp) refuseNotReservedFor(ref string) error {
	if s.State == Reserved && ref != "" && s.RequestRef == ref {
		return nil
	}
	switch s.State {
	case Consumed:
		if s.RequestRef == ref {
			return fail(apperr.Conflict, ErrConsumed, "Ce timbre fiscal a déjà été utilisé pour cette demande.")
		}
		return fail(apperr.Conflict, ErrNotReserved, "")
	case Refunded:
		return fail(apperr.Conflict, ErrRefunded, "")
	}
	return fail(apperr.Conflict, ErrNotReserved, "")
}

// expired is the error for a stamp past its validity on day on, with the
// refund that is still possible.
func (s Stamp) expired(on date.Date) error {
	msg := "Ce timbre fiscal n'est plus valable : acheté le " + date.Today(s.PurchasedAt).French() +
		", il pouvait être utilisé jusqu'au " + s.ValidUntil.French() + "."
	if s.Refundable(on) {
		msg += " Vous pouvez en demander le remboursement jusqu'au " + s.RefundableUntil.French() + "."
	}
	return fail(apperr.Conflict, ErrExpired, msg)
}
