package fines

import (
	"context"
	"fmt"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/payment"
	"permis/internal/store"
)

// CloseUnpaidDeposits ends the contests that still wait for their
// consignation after their deadline: without the deposit, contesting the
// offence is inadmissible (CPP 529-10 3°). The contest is closed as
// inadmissible with that reason, the notice is open again (it can be paid:
// nothing is established yet), and the person is told. It is a nightly
// step; it returns how many contests it closed.
func (s *Service) CloseUnpaidDeposits(ctx context.Context) (int, error) {
	sys := app.Request{Actor: access.SystemActor("fines.deposits")}
	today := s.today()
	closed := 0
	for {
		cs, err := s.k.Store.ListContestsPast(ctx, store.ContestDepositDue, today, 500)
		if err != nil || len(cs) == 0 {
			return closed, err
		}
		for _, c := range cs {
			err := s.k.Store.Transact(ctx, func(tx *store.Store) error {
				reasons := fmt.Sprintf("La consignation de %d € n'a pas été versée avant le %s : la contestation est irrecevable (article 529-10 du code de procédure pénale). L'amende reste due.", c.Deposit, c.Deadline.French())
				done, err := tx.SetContestState(ctx, c.ID, store.ContestDepositDue, store.ContestInadmissible, reasons, date.Null{})
				if err != nil {
					return err
				}
				if err := tx.AddFineDecision(ctx, &store.FineDecision{ContestID: c.ID, Kind: store.ContestInadmissible,
					Reasons: reasons, DecidedBy: "Le service (consignation non versée)"}); err != nil {
					return err
				}
				n, err := tx.SetNoticeState(ctx, c.NoticeID, store.NoticeContested, store.NoticeOpen, date.Null{})
				if err != nil {
					return err
				}
				if err := s.tell(ctx, tx, done.Email, n, mailDecision(n, done, StateLabel(store.ContestInadmissible))); err != nil {
					return err
				}
				return s.k.AuditTx(ctx, tx, sys, "fine.decision.inadmissible", "fine_contest", c.Reference)
			})
			if err == store.ErrContestChanged || err == store.ErrNoticeChanged {
				continue // the deposit arrived meanwhile, or another instance closed it
			}
			if err != nil {
				return closed, err
			}
			closed++
		}
		if len(cs) < 500 {
			return closed, nil
		}
	}
}

// IncreaseOverdueNotices turns into an amende forfaitaire majorée every avis
// de contravention neither paid nor contested nor designated by its last
// payment day (contest.LastPaymentDay: 45 days, 60 online, CPP 801): the
// fine is increased of right (CPP 529-2 al. 2). The AFM is sent today to
// the holder, due at its increased rate, and opens the réclamation's own
// delay (CPP 530: 30 days; contest.Deadline). It is a nightly step, safe on
// several instances (a conditional update per notice); it returns how many
// notices it increased.
func (s *Service) IncreaseOverdueNotices(ctx context.Context) (int, error) {
	sys := app.Request{Actor: access.SystemActor("fines.increase")}
	today := s.today()
	// Any notice sent before today − the longest period may be overdue;
	// the exact last day (moved to a working day) is checked one by one.
	longest := s.cfg.Rules.ExemptionDays
	for _, p := range s.cfg.Rules.Payment {
		longest = max(longest, p.Days, p.OnlineDays)
	}
	increased := 0
	for {
		ns, err := s.k.Store.ListPayableNoticesSentBy(ctx, today.AddDays(-longest-1), 500)
		if err != nil {
			return increased, err
		}
		progress := false
		for _, n := range ns {
			if !contest.Increased(s.cfg.Rules, n.Rule(), today) {
				continue
			}
			err := s.k.Store.Transact(ctx, func(tx *store.Store) error {
				afm, err := tx.IncreaseNotice(ctx, n.ID, today)
				if err != nil {
					return err
				}
				if err := s.tell(ctx, tx, afm.Holder.Email, afm, mailIncreased(afm, contest.Deadline(s.cfg.Rules, afm.Rule()), s.k.PublicURL)); err != nil {
					return err
				}
				return s.k.AuditTx(ctx, tx, sys, "fine.increased", "fine_notice", afm.Number)
			})
			if err == store.ErrNoticeChanged {
				continue // paid, contested or increased meanwhile
			}
			if err != nil {
				return increased, err
			}
			increased++
			progress = true
		}
		if len(ns) < 500 || !progress {
			return increased, nil
		}
	}
}

// RefundDue pays back, through the payment provider, every payment to be
// refunded: the deposit of a contest dropped, granted or acquitted (CPP
// 529-10: the consignation is returned), and a payment that arrived after
// the notice was contested or designated. The provider's Refund is
// idempotent by payment id, so a crash between the refund and its record
// refunds once when the step runs again; the record is a conditional
// update, so two instances record it once. A provider that cannot refund
// (not a payment.Refunder) leaves the payments as they are, for the public
// accountant: the step then does nothing. It returns how many payments it
// refunded.
func (s *Service) RefundDue(ctx context.Context) (int, error) {
	refunder, ok := s.k.Payments.(payment.Refunder)
	if !ok {
		return 0, nil
	}
	sys := app.Request{Actor: access.SystemActor("fines.refunds")}
	refunded := 0
	ps, err := s.k.Store.ListFinePaymentsInState(ctx, store.PaymentRefundDue, 500)
	if err != nil {
		return 0, err
	}
	for _, p := range ps {
		if err := refunder.Refund(ctx, p.ProviderRef, p.AmountCents); err != nil {
			return refunded, fmt.Errorf("remboursement du paiement %s : %w", p.ProviderRef, err)
		}
		n, err := s.k.Store.FindNotice(ctx, p.NoticeID)
		if err != nil {
			return refunded, err
		}
		done := false
		err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
			var err error
			if done, err = tx.SetFinePaymentStateOnce(ctx, p.ID, store.PaymentRefundDue, store.PaymentRefunded); err != nil || !done {
				return err
			}
			if err := s.tell(ctx, tx, n.Holder.Email, n, mailRefunded(n, int(p.AmountCents))); err != nil {
				return err
			}
			return s.k.AuditTx(ctx, tx, sys, "fine.refunded", "fine_notice", n.Number)
		})
		if err != nil {
			return refunded, err
		}
		if done {
			refunded++
		}
	}
	return refunded, nil
}
