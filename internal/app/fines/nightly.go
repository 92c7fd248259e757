package fines

import (
	"context"
	"fmt"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/date"
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
				if err := s.mail(ctx, tx, done.Email, mailDecision(n, done, StateLabel(store.ContestInadmissible))); err != nil {
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
