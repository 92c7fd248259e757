package app

import (
	"context"

	"permis/internal/apperr"
	"permis/internal/requests"
	"permis/internal/store"
)

// Issue 10, finding 3: a loss request on an invalidated licence yielded an
// attestation saying its holder may drive, and three loss requests filed at
// once each got one. The right to drive is read when the document is
// issued (in the transaction that issues it), and the database keeps at
// most one open request of a kind per licence.

// ReasonRightNotValid (no duplicate nor attestation while the right is not
// valid) and ReasonRequestOpen (another request of the kind is open on the
// licence) are the stable sub-codes of the two refusals.
var (
	ReasonRightNotValid = &apperr.Reason{Code: "right_not_valid"}
	ReasonRequestOpen   = &apperr.Reason{Code: "request_open"}
)

// duplicateAllowed refuses a loss, theft or damage request, and any
// attestation de perte, while the licence's right to drive is not valid,
// reading the licence through st (a transaction when issuing).
func duplicateAllowed(ctx context.Context, st *store.Store, kind requests.Kind, licenceID int64) error {
	if !requests.IsDuplicate(kind) || licenceID == 0 {
		return nil
	}
	l, err := st.FindLicence(ctx, licenceID)
	if err != nil {
		return err
	}
	if msg := requests.DuplicateRefusal(kind, l.State); msg != "" {
		return &apperr.Error{Code: apperr.Conflict, Message: msg, Cause: &apperr.Reason{Code: ReasonRightNotValid.Code, Message: msg}}
	}
	return nil
}

// openRequestConflict turns a refused submission into the refusal people
// understand when another request of the same kind is open on the licence
// (the partial unique index decided); any other error is returned as is.
func (a *App) openRequestConflict(ctx context.Context, r store.Request, err error) error {
	if !apperr.Is(err, apperr.Conflict) || r.LicenceID == 0 {
		return err
	}
	open, ferr := a.store.FindOpenRequest(ctx, r.LicenceID, string(r.Kind), r.ID)
	if ferr != nil {
		return err
	}
	msg := "Une demande du même type est déjà en cours pour ce permis (" + open.Reference +
		") : suivez-la dans « Mes démarches ». Vous pourrez en faire une autre quand elle sera terminée."
	return &apperr.Error{Code: apperr.Conflict, Message: msg, Cause: &apperr.Reason{Code: ReasonRequestOpen.Code, Message: msg}}
}
