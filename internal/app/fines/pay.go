package fines

import (
	"context"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/payment"
	"permis/internal/store"
)

// Payment references echoed by the provider: "AMD-<notice number>" for a
// fine, "CNS-<contest reference>" for a contest's consignation. The
// portal's payment callback hands every reference IsPayment recognises to
// PaymentNotified, the others to the stamp purchase.
const (
	finePrefix    = "AMD-"
	depositPrefix = "CNS-"
)

// IsPayment reports whether a provider's reference is a fine's or a
// deposit's (and not a stamp's).
func IsPayment(reference string) bool {
	return strings.HasPrefix(reference, finePrefix) || strings.HasPrefix(reference, depositPrefix)
}

var errNoPayments = apperr.New(apperr.Unavailable,
	"Le paiement en ligne est momentanément indisponible. Réessayez plus tard, ou payez par téléphone ou par timbre-amende.")

// StartPayment starts the online payment of the notice at today's rate
// (NoticeView.Due) and returns where to send the browser. returnPath is
// the service's page the provider sends the browser back to (the portal
// chooses it). Paying establishes the offence: the page that calls this
// must have warned "ne payez pas si vous contestez".
func (s *Service) StartPayment(ctx context.Context, req app.Request, number, plate, returnPath string) (payment.Session, error) {
	if err := numberAndPlate(number, plate); err != nil {
		return payment.Session{}, err
	}
	if s.k.Payments == nil {
		return payment.Session{}, errNoPayments
	}
	n, err := s.k.Store.FindNoticeByNumber(ctx, number, plate)
	if err != nil {
		return payment.Session{}, err
	}
	if n.State != store.NoticeOpen {
		return payment.Session{}, apperr.New(apperr.Conflict, "Cet avis ne peut plus être payé : "+lower(stateLabels[n.State])+".")
	}
	due, _ := s.due(n, s.today())
	sess, err := s.k.Payments.Start(ctx, payment.Purchase{
		Reference: finePrefix + n.Number, Amount: due * 100,
		Label: "Amende forfaitaire — avis n° " + n.Number, Email: n.Holder.Email,
		ReturnURL: s.k.PublicURL + returnPath, CallbackURL: s.k.PublicURL + app.PaymentCallbackPath,
	})
	if err != nil {
		return payment.Session{}, apperr.Wrap(apperr.Unavailable, "Le paiement n'a pas pu démarrer. Réessayez dans quelques minutes.", err)
	}
	if err := s.k.Audit(ctx, req, "fine.payment_start", "fine_notice", n.Number); err != nil {
		return payment.Session{}, err
	}
	return sess, nil
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// PaymentOutcome says what a provider's notification did.
type PaymentOutcome string

// The outcomes of PaymentNotified.
const (
	OutcomeRecorded  PaymentOutcome = "recorded"   // paid: the notice is paid (or the deposit received)
	OutcomeDuplicate PaymentOutcome = "duplicate"  // the same notification again: nothing changed
	OutcomeRefundDue PaymentOutcome = "refund_due" // paid, but the notice was contested or designated first: to be refunded
	OutcomeNotPaid   PaymentOutcome = "not_paid"   // refused or cancelled: nothing recorded
)

var errBadNotice = apperr.New(apperr.Invalid, "Notification de paiement : avis ou contestation inconnu.")

// PaymentNotified records the outcome of a fine's or a deposit's payment,
// as the provider's authenticated callback states it. A fine paid: in ONE
// transaction the payment, the notice paid (the conditional change that a
// contest racing it cannot also win), the offence established in the
// points ledger dated by the payment (L223-1), the receipt mail and the
// audit entry. A deposit paid: the contest goes to the OMP. The same
// notification twice changes nothing.
func (s *Service) PaymentNotified(ctx context.Context, res payment.Result) (PaymentOutcome, error) {
	sys := app.Request{Actor: access.SystemActor("payment"), Reason: "paiement " + res.PaymentID}
	if !IsPayment(res.Reference) || res.PaymentID == "" {
		return "", errBadNotice
	}
	if res.Status != payment.Paid {
		return OutcomeNotPaid, s.k.Audit(ctx, sys, "fine.payment_"+string(res.Status), "payment", res.Reference)
	}
	if res.Amount <= 0 {
		return "", apperr.New(apperr.Invalid, "Notification de paiement : montant invalide.")
	}
	paidOn := s.today()
	if !res.At.IsZero() {
		paidOn = date.Today(res.At)
	}
	if ref, ok := strings.CutPrefix(res.Reference, depositPrefix); ok {
		return s.depositPaid(ctx, sys, ref, res, paidOn)
	}
	n, err := s.k.Store.LookupNotice(ctx, strings.TrimPrefix(res.Reference, finePrefix))
	if apperr.Is(err, apperr.NotFound) {
		return "", errBadNotice
	}
	if err != nil {
		return "", err
	}
	var out PaymentOutcome
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		p := store.FinePayment{NoticeID: n.ID, Kind: store.PaymentFine, AmountCents: int64(res.Amount), PaidOn: paidOn,
			ProviderRef: res.PaymentID, State: store.PaymentKept}
		fresh, err := tx.RecordFinePayment(ctx, &p)
		if err != nil || !fresh {
			out = OutcomeDuplicate
			return err
		}
		paid, err := tx.SetNoticeState(ctx, n.ID, store.NoticeOpen, store.NoticePaid, date.Some(paidOn))
		if err == store.ErrNoticeChanged {
			// A contest or a designation won: the money goes back.
			out = OutcomeRefundDue
			if err := tx.SetFinePaymentState(ctx, res.PaymentID, store.PaymentRefundDue); err != nil {
				return err
			}
			if err := s.mail(ctx, tx, n.Holder.Email, mailRefund(n, res.Amount)); err != nil {
				return err
			}
			return s.k.AuditTx(ctx, tx, sys, "fine.payment_refund_due", "fine_notice", n.Number)
		}
		if err != nil {
			return err
		}
		out = OutcomeRecorded
		if err := establish(ctx, tx, paid, paidOn); err != nil {
			return err
		}
		if err := s.mail(ctx, tx, n.Holder.Email, mailPaid(paid, res.Amount, paidOn)); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, sys, "fine.paid", "fine_notice", n.Number)
	})
	return out, err
}

// depositPaid records a contest's consignation and sends the contest to
// the OMP.
func (s *Service) depositPaid(ctx context.Context, sys app.Request, ref string, res payment.Result, paidOn date.Date) (PaymentOutcome, error) {
	c, err := s.k.Store.FindContestByReference(ctx, ref)
	if apperr.Is(err, apperr.NotFound) {
		return "", errBadNotice
	}
	if err != nil {
		return "", err
	}
	var out PaymentOutcome
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		p := store.FinePayment{NoticeID: c.NoticeID, Kind: store.PaymentDeposit, AmountCents: int64(res.Amount),
			PaidOn: paidOn, ProviderRef: res.PaymentID, State: store.PaymentKept}
		fresh, err := tx.RecordFinePayment(ctx, &p)
		if err != nil || !fresh {
			out = OutcomeDuplicate
			return err
		}
		out = OutcomeRecorded
		if int(res.Amount) < c.Deposit*100 {
			// Short of the consignation: kept, the contest still waits for it.
			return s.k.AuditTx(ctx, tx, sys, "fine.deposit_short", "fine_contest", c.Reference)
		}
		if _, err := tx.SetContestState(ctx, c.ID, store.ContestDepositDue, store.ContestPending, "", date.Null{}); err != nil && err != store.ErrContestChanged {
			return err
		}
		if err := s.mail(ctx, tx, c.Email, mailDepositPaid(c, res.Amount)); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, sys, "fine.deposit_paid", "fine_contest", c.Reference)
	})
	return out, err
}
