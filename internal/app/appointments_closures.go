package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/store"
)

// Closures: agents block whole days of a help point (training, works,
// strike). No slot is offered on those days. A closure over days that
// already have appointments is refused, naming how many: the agents move
// or cancel them first, so that nobody comes to a closed door.

// CloseDays blocks the days from to to (both included) at a help point.
func (s *Appointments) CloseDays(ctx context.Context, req Request, helpPointID int64, from, to date.Date, reason string) (booking.Closure, error) {
	if err := staff(req); err != nil {
		return booking.Closure{}, err
	}
	c := booking.Closure{HelpPointID: helpPointID, From: from, To: to, Reason: strings.TrimSpace(reason)}
	if err := c.Check(); err != nil {
		return c, err
	}
	booked, err := s.Agenda(ctx, req, helpPointID, from, to)
	if err != nil {
		return c, err
	}
	if n := len(booked); n > 0 {
		return c, apperr.New(apperr.Conflict, fmt.Sprintf("%d rendez-vous sont pris sur ces jours : déplacez-les ou annulez-les d'abord, puis fermez.", n))
	}
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateClosure(ctx, &c); err != nil {
			return err
		}
		return s.a.auditTx(ctx, tx, req, "help_point.close_days", "help_point", strconv.FormatInt(helpPointID, 10))
	})
	return c, err
}

// Closures lists a help point's closures over the coming year.
func (s *Appointments) Closures(ctx context.Context, req Request, helpPointID int64, from date.Date) ([]booking.Closure, error) {
	if err := staff(req); err != nil {
		return nil, err
	}
	return s.a.store.ListClosures(ctx, helpPointID, from, from.AddDays(365))
}

// Reopen removes a closure.
func (s *Appointments) Reopen(ctx context.Context, req Request, helpPointID, closureID int64) error {
	if err := staff(req); err != nil {
		return err
	}
	return s.a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.DeleteClosure(ctx, helpPointID, closureID); err != nil {
			return err
		}
		return s.a.auditTx(ctx, tx, req, "help_point.reopen_days", "help_point", strconv.FormatInt(helpPointID, 10))
	})
}
