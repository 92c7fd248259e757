package fines

import (
	"context"
	"fmt"

	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/points"
	"permis/internal/store"
)

// EventID is the points ledger's event id of notice number's offence: the
// idempotency key of the register link, the same one the bulk import of
// offences uses (store.ImportOffences), so an offence established here and
// imported again from the fines system is recorded once.
func EventID(number string) string { return "AMD-" + number }

// establish records in the points ledger that notice n's offence was
// established on day on (L223-1: the payment, the deposit kept as payment,
// the conviction's final date), through the same path as the bulk import
// of offences: an offence event, once whatever the retries, whose letters
// (48, 48N, 48M, 48SI) the points engine derives when it replays the
// ledger. A company's notice, a notice without points, or one whose
// holder's licence the register does not know withdraws nothing.
func establish(ctx context.Context, tx *store.Store, n store.Notice, on date.Date) error {
	if n.Holder.Kind != contest.Person || n.Holder.LicenceID == 0 || n.Points == 0 {
		return nil
	}
	l, err := tx.FindLicence(ctx, n.Holder.LicenceID)
	if err != nil {
		return err
	}
	res, err := tx.ImportOffences(ctx, []store.OffenceRow{{Line: 1, NEPH: l.NEPH, Nature: n.Nature,
		Offence: points.Offence{ID: EventID(n.Number), Committed: n.Committed, Established: on, Points: n.Points,
			Class: points.Class(n.Class)}}})
	if err != nil {
		return err
	}
	if o := res[0].Outcome; o != store.Inserted && o != store.AlreadyPresent {
		return apperr.Wrap(apperr.Internal, "Le retrait de points n'a pas pu être enregistré.",
			fmt.Errorf("fines: register link of %s: outcome %d: %s", n.Number, o, res[0].Detail))
	}
	return nil
}
