package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/payment"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
)

// The fiscal stamp bought inside the request (issue 4 item 4, REFERENCE
// §8). The citizen starts a payment from the draft's stamp step and is
// sent to the payment provider; the provider's signed server-to-server
// callback (never the browser's return) says the outcome. On a paid
// outcome ONE transaction registers the new stamp (available, valid 12
// months, refundable 18) and records its number on the draft; the same
// callback received twice changes nothing. A refused or cancelled payment
// records nothing on the draft.

// stampRules are the stamp's delays (§8: valid 12 months, refundable 18).
// The figures live in stamp.Config, whose defaults are the law as
// REFERENCE §8 states it.
var stampRules = stamp.DefaultConfig()

// StampStepPath is the draft's stamp step, where the provider sends the
// browser back (the portal serves it).
func StampStepPath(id int64) string { return fmt.Sprintf("/mes-demarches/%d/etape/timbre", id) }

// PaymentCallbackPath is where the provider posts its signed outcome.
const PaymentCallbackPath = "/paiement/notification"

// orderRef is the payment's order reference, echoed by the provider: the
// request's reference and its id ("DEM-2026-7KQ4XM/42"), so that the
// callback finds the draft without a look-up by reference.
func orderRef(r store.Request) string { return r.Reference + "/" + strconv.FormatInt(r.ID, 10) }

func parseOrderRef(s string) (ref string, id int64, ok bool) {
	ref, ids, found := strings.Cut(s, "/")
	if !found || !strings.HasPrefix(ref, "DEM-") {
		return "", 0, false
	}
	id, err := strconv.ParseInt(ids, 10, 64)
	return ref, id, err == nil && id > 0
}

var errNoPayments = apperr.New(apperr.Unavailable,
	"L'achat du timbre fiscal en ligne est momentanément indisponible. Achetez-le sur timbres.impots.gouv.fr ou chez un buraliste agréé, puis saisissez son numéro.")

// Payments returns the payment provider (nil when none is configured).
func (a *App) Payments() payment.Provider { return a.payments }

// StartStampPurchase starts the payment of the stamp the owner's draft
// needs (its amount per Requirements) and returns where to send the
// browser. A draft that already holds a usable stamp is not charged twice.
func (a *App) StartStampPurchase(ctx context.Context, req Request, id int64) (payment.Session, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return payment.Session{}, err
	}
	if a.payments == nil {
		return payment.Session{}, errNoPayments
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return payment.Session{}, err
	}
	if r.Status != requests.StatusDraft {
		return payment.Session{}, apperr.New(apperr.Conflict, "Cette demande est déjà envoyée : son timbre fiscal ne peut plus changer.")
	}
	need, err := a.requirements(ctx, r)
	if err != nil {
		return payment.Session{}, err
	}
	if !need.Stamp {
		return payment.Session{}, apperr.New(apperr.Invalid, "Cette démarche ne demande pas de timbre fiscal.")
	}
	if r.StampNumber != "" {
		st, err := a.store.FindStamp(ctx, stamp.Number(r.StampNumber))
		if err == nil && st.State == stamp.Available && !st.Expired(a.today()) && st.Amount >= need.Fee {
			return payment.Session{}, apperr.New(apperr.Conflict, "Votre demande a déjà un timbre fiscal valable (n° "+
				st.Number.Grouped()+") : inutile d'en acheter un autre.")
		}
	}
	s, err := a.payments.Start(ctx, payment.Purchase{
		Reference:   orderRef(r),
		Amount:      int(need.Fee),
		Label:       "Timbre fiscal électronique — " + kindLabel(r.Kind),
		Email:       r.Email,
		ReturnURL:   a.publicURL + StampStepPath(r.ID),
		CallbackURL: a.publicURL + PaymentCallbackPath,
	})
	if err != nil {
		a.log.Error("timbre fiscal : paiement impossible à démarrer", "demande", r.Reference, "error", err)
		return payment.Session{}, apperr.New(apperr.Unavailable, "Le paiement n'a pas pu démarrer. Réessayez dans quelques minutes.")
	}
	_ = a.audit.Record(ctx, a.entry(req, "request.stamp_purchase", "request", r.Reference))
	return s, nil
}

// StampPurchase is where a stamp payment stands, as the return page shows it.
type StampPurchase struct {
	Status payment.Status // "" while the provider's notice has not arrived
	Number stamp.Number   // the stamp bought, when Paid
}

// Pending reports whether the provider's notice has not arrived yet.
func (p StampPurchase) Pending() bool { return p.Status == "" }

// errBadNotice answers a notice that names no draft of ours: the provider
// must not retry it.
var errBadNotice = apperr.New(apperr.Invalid, "Notification de paiement : commande inconnue.")

// StampPaid records the outcome of a stamp payment, as the provider's
// authenticated callback states it. Paid: in ONE transaction, a new stamp
// (a random 16-digit number, as DGFiP issues them; bought now) is
// registered and its number recorded on the draft; the same notice twice
// changes nothing. Refused or cancelled: nothing is recorded on the draft.
func (a *App) StampPaid(ctx context.Context, res payment.Result) (StampPurchase, error) {
	ref, id, ok := parseOrderRef(res.Reference)
	if !ok || res.PaymentID == "" {
		return StampPurchase{}, errBadNotice
	}
	sys := Request{Actor: access.SystemActor("payment"), Reason: "paiement " + res.PaymentID}
	if res.Status != payment.Paid {
		outcomes.remember(res.PaymentID, res.Status, a.clock.Now())
		_ = a.audit.Record(ctx, a.entry(sys, "request.stamp_payment_"+string(res.Status), "request", ref))
		return StampPurchase{Status: res.Status}, nil
	}
	if res.Amount <= 0 {
		return StampPurchase{}, apperr.New(apperr.Invalid, "Notification de paiement : montant invalide.")
	}
	r, err := a.store.FindRequest(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && r.Reference != ref) {
		return StampPurchase{}, errBadNotice
	}
	if err != nil {
		return StampPurchase{}, err
	}
	var out StampPurchase
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		// An empty patch locks the draft's row first: of two notices of
		// one payment at the same instant, the second waits for the
		// first, then sees its stamp.
		cur, err := tx.UpdateDraft(ctx, r.ID, r.OwnerID, store.DraftPatch{})
		draft := err == nil
		if err != nil && !apperr.Is(err, apperr.Conflict) {
			return err
		}
		if !draft {
			cur = r
		}
		if done, n, err := paidAlready(ctx, tx, cur, draft, res.PaymentID); err != nil || done {
			out = StampPurchase{Status: payment.Paid, Number: n}
			return err
		}
		st, err := registerBought(ctx, tx, stamp.Amount(res.Amount), a.clock.Now(), res.PaymentID)
		if err != nil {
			return err
		}
		out = StampPurchase{Status: payment.Paid, Number: st.Number}
		if !draft {
			// Paid after the request was sent (with another stamp): the
			// stamp exists, available and refundable, attached to nothing.
			a.log.Warn("timbre fiscal payé après l'envoi de la demande", "demande", r.Reference, "paiement", res.PaymentID)
			return a.auditTx(ctx, tx, sys, "request.stamp_paid_unattached", "request", r.Reference)
		}
		n := string(st.Number)
		if _, err := tx.UpdateDraft(ctx, r.ID, r.OwnerID, store.DraftPatch{StampNumber: &n}); err != nil {
			return err
		}
		if err := a.event(ctx, tx, sys, r.ID, "system", "Timbre fiscal acheté",
			"Timbre n° "+st.Number.Grouped()+" de "+st.Amount.String()+", valable jusqu'au "+st.ValidUntil.French()+" inclus.", false); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, sys, "request.stamp_paid", "request", r.Reference)
	})
	if err != nil {
		return StampPurchase{}, err
	}
	return out, nil
}

// paidAlready reports whether the payment's stamp is already recorded: on
// the draft, or among the stamps of the sent request.
func paidAlready(ctx context.Context, tx *store.Store, cur store.Request, draft bool, paymentID string) (bool, stamp.Number, error) {
	if draft {
		if cur.StampNumber == "" {
			return false, "", nil
		}
		st, err := tx.FindStamp(ctx, stamp.Number(cur.StampNumber))
		if errors.Is(err, stamp.ErrUnknown) {
			return false, "", nil
		}
		if err != nil {
			return false, "", err
		}
		return st.TransactionRef == paymentID, st.Number, nil
	}
	sts, err := tx.ListStampsOfRequest(ctx, cur.Reference)
	if err != nil {
		return false, "", err
	}
	for _, st := range sts {
		if st.TransactionRef == paymentID {
			return true, st.Number, nil
		}
	}
	return false, "", nil
}

// registerBought registers a stamp bought at now with a new random number
// (drawn again in the unlikely case it is already known).
func registerBought(ctx context.Context, tx *store.Store, amount stamp.Amount, now time.Time, paymentID string) (stamp.Stamp, error) {
	var err error
	for range 3 {
		var st stamp.Stamp
		if st, err = stampRules.New(stamp.NewNumber(), amount, now, paymentID); err != nil {
			return st, err
		}
		st, err = tx.RegisterStamp(ctx, st)
		if !errors.Is(err, stamp.ErrExists) {
			return st, err
		}
	}
	return stamp.Stamp{}, err
}

// StampPurchaseStatus tells the owner where the payment paymentID of
// their draft stands: paid (with the stamp's number), refused or
// cancelled, or still being confirmed.
func (a *App) StampPurchaseStatus(ctx context.Context, req Request, id int64, paymentID string) (StampPurchase, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return StampPurchase{}, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return StampPurchase{}, err
	}
	if paymentID == "" {
		return StampPurchase{}, nil
	}
	if done, n, err := paidAlready(ctx, a.store, r, r.Status == requests.StatusDraft, paymentID); err != nil || done {
		return StampPurchase{Status: payment.Paid, Number: n}, err
	}
	if s, ok := outcomes.get(paymentID); ok {
		return StampPurchase{Status: s}, nil
	}
	return StampPurchase{}, nil
}

// BoughtStamp returns the stamp of the owner's draft when it was bought
// through the service (nil otherwise), for the stamp step.
func (a *App) BoughtStamp(ctx context.Context, req Request, id int64) (*stamp.Stamp, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return nil, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil || r.StampNumber == "" {
		return nil, err
	}
	st, err := a.store.FindStamp(ctx, stamp.Number(r.StampNumber))
	if errors.Is(err, stamp.ErrUnknown) || (err == nil && st.TransactionRef == "") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// outcomes remembers, for the return page only, the payments refused or
// cancelled in the last hour (nothing about them is stored). With several
// server instances, the page may say "being confirmed" instead.
var outcomes = &outcomeCache{m: map[string]outcome{}}

type outcome struct {
	status payment.Status
	at     time.Time
}

type outcomeCache struct {
	mu sync.Mutex
	m  map[string]outcome
}

const (
	outcomeTTL = time.Hour
	outcomeMax = 10000
)

func (c *outcomeCache) remember(id string, s payment.Status, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.m {
		if now.Sub(v.at) > outcomeTTL || len(c.m) >= outcomeMax {
			delete(c.m, k)
		}
	}
	c.m[id] = outcome{status: s, at: now}
}

func (c *outcomeCache) get(id string) (payment.Status, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[id]
	return v.status, ok
}
