package app

import (
	"context"
	"errors"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/mail"
	"permis/internal/secret"
	"permis/internal/store"
)

// FindByToken returns the appointment of a cancel/move link, whatever its
// state, for the page that shows it.
func (s *Appointments) FindByToken(ctx context.Context, token string) (AppointmentView, error) {
	ap, err := s.a.store.FindAppointmentByManageHash(ctx, secret.HashToken(token))
	if err != nil {
		return AppointmentView{}, err
	}
	hp, k, err := s.load(ctx, ap)
	return AppointmentView{Appointment: ap, HelpPoint: hp, Kind: k}, err
}

// FindPending returns the pending appointment of a confirmation (or
// decline) link, for the page that restates it before the button.
func (s *Appointments) FindPending(ctx context.Context, token string) (AppointmentView, error) {
	ap, err := s.a.store.FindAppointmentByConfirmHash(ctx, secret.HashToken(token))
	if err != nil {
		return AppointmentView{}, err
	}
	hp, k, err := s.load(ctx, ap)
	return AppointmentView{Appointment: ap, HelpPoint: hp, Kind: k}, err
}

// Cancel cancels an appointment by the token of its cancel/move link,
// until it starts. The mail carries a METHOD:CANCEL .ics; the freed slot is
// offered to the next person on the waiting list, in the same transaction.
func (s *Appointments) Cancel(ctx context.Context, req Request, token string) (AppointmentView, error) {
	v, err := s.FindByToken(ctx, token)
	if err != nil {
		return v, err
	}
	return s.cancel(ctx, req, v)
}

// cancel cancels v (found by its link, or as its holder's).
func (s *Appointments) cancel(ctx context.Context, req Request, v AppointmentView) (AppointmentView, error) {
	var err error
	now := s.a.clock.Now()
	if err := s.cfg.Cancellable(now, v.Start); err != nil {
		return v, err
	}
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if v.Appointment, err = tx.CancelAppointment(ctx, v.ID, now); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, req, "appointment.cancel", v.ID); err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, s.mailCancelled(v, now)); err != nil {
			return err
		}
		return s.offerFreed(ctx, tx, v.Appointment, v.HelpPoint, v.Kind, now)
	})
	return v, err
}

// Move moves an appointment by the token of its cancel/move link to
// another slot of the same kind at the same help point, atomically: the
// new seat is taken and the old one freed in one transaction, or nothing
// changes. The mail carries the .ics with the next SEQUENCE; the old slot
// is offered to the waiting list.
func (s *Appointments) Move(ctx context.Context, req Request, token string, start time.Time) (AppointmentView, error) {
	v, err := s.FindByToken(ctx, token)
	if err != nil {
		return v, err
	}
	now := s.a.clock.Now()
	if err := s.cfg.Cancellable(now, v.Start); err != nil {
		return v, err
	}
	if v.Status != booking.Confirmed {
		return v, apperr.New(apperr.Conflict, "Ce rendez-vous n'est plus actif : il ne peut pas être déplacé.")
	}
	if start.Equal(v.Start) {
		return v, apperr.Field("start", "Choisissez un autre créneau que celui de votre rendez-vous.")
	}
	sl, err := s.checkSlot(ctx, v.HelpPoint, v.Kind, start, now)
	if err != nil {
		return v, err
	}
	var due *time.Time
	if d, ok := s.cfg.ReminderDue(now, sl.Start); ok {
		due = &d
	}
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		old, moved, err := tx.MoveAppointment(ctx, v.ID, sl.Start, sl.End, v.HelpPoint.Agents, due)
		if err != nil {
			return err
		}
		v.Appointment = moved
		if err := s.audit(ctx, tx, req, "appointment.move", v.ID); err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, s.mailMoved(v, old, now)); err != nil {
			return err
		}
		return s.offerFreed(ctx, tx, old, v.HelpPoint, v.Kind, now)
	})
	return v, err
}

// Decline turns down a pending appointment by the token of its
// confirmation link: an offered slot the person does not want (they leave
// the waiting list, and the slot goes to the next in line), or a booking
// they made without an account and no longer want.
func (s *Appointments) Decline(ctx context.Context, req Request, token string) error {
	ap, err := s.a.store.FindAppointmentByConfirmHash(ctx, secret.HashToken(token))
	if err != nil {
		return err
	}
	hp, k, err := s.load(ctx, ap)
	if err != nil {
		return err
	}
	now := s.a.clock.Now()
	return s.a.store.Transact(ctx, func(tx *store.Store) error {
		return s.release(ctx, tx, req, ap, hp, k, now, "appointment.decline", func(tx *store.Store) (booking.Appointment, bool, error) {
			a, err := tx.CancelAppointment(ctx, ap.ID, now)
			return a, err == nil, err
		})
	})
}

// release ends a pending appointment with end (cancel or expire), lapses
// its waiting-list entry, writes the audit entry and offers the seat on.
func (s *Appointments) release(ctx context.Context, tx *store.Store, req Request, ap booking.Appointment, hp booking.HelpPoint,
	k booking.Kind, now time.Time, action string, end func(*store.Store) (booking.Appointment, bool, error)) error {
	ended, ok, err := end(tx)
	if err != nil || !ok {
		return err
	}
	if ended.WaitingID != 0 {
		if _, _, err := tx.SetWaitingStatus(ctx, ended.WaitingID, booking.Lapsed, booking.Offered); err != nil {
			return err
		}
	}
	if err := s.audit(ctx, tx, req, action, ap.ID); err != nil {
		return err
	}
	return s.offerFreed(ctx, tx, ended, hp, k, now)
}

// maxOfferTries bounds how many people in line one freed slot is tried
// for (those skipped already got an appointment of the kind meanwhile).
const maxOfferTries = 20

// offerFreed offers the slot of a freed appointment to the first person in
// line for its kind at its help point whose days include it, held for them
// until booking.Config.OfferUntil: nobody else can book it meanwhile. When
// too little time is left before the slot, or nobody waits, the slot simply
// becomes free. It runs in the transaction that freed the slot.
func (s *Appointments) offerFreed(ctx context.Context, tx *store.Store, freed booking.Appointment, hp booking.HelpPoint,
	k booking.Kind, now time.Time) error {
	until, ok := s.cfg.OfferUntil(now, freed.Start)
	if !ok {
		return nil
	}
	day := date.FromTime(freed.Start.In(date.Paris()))
	system := Request{Actor: access.SystemActor("waiting-list")}
	for range maxOfferTries {
		e, err := tx.ClaimNextWaiting(ctx, hp.ID, k.ID, day)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		token, hash := secret.NewToken()
		ap := booking.Appointment{
			UID: s.newUID(), HelpPointID: hp.ID, KindID: k.ID, Start: freed.Start, End: freed.End,
			Status: booking.Pending, Origin: booking.FromWaitingList, PersonKey: e.PersonKey, UserID: e.UserID,
			Contact: e.Contact, CreatedAt: now, HoldUntil: &until, ConfirmHash: hash, WaitingID: e.ID,
		}
		err = tx.BookAppointment(ctx, &ap, hp.Agents)
		switch {
		case errors.Is(err, store.ErrAlreadyUpcoming):
			// They booked one meanwhile: served; try the next person.
			if _, _, err := tx.SetWaitingStatus(ctx, e.ID, booking.Served, booking.Offered); err != nil {
				return err
			}
			continue
		case errors.Is(err, store.ErrSlotTaken):
			// The seat is not free after all (a move onto an overlapping
			// period): back in line, nothing to offer.
			_, _, err := tx.SetWaitingStatus(ctx, e.ID, booking.Waiting, booking.Offered)
			return err
		case err != nil:
			return err
		}
		if err := tx.SetWaitingAppointment(ctx, e.ID, ap.ID); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, system, "appointment.offer", ap.ID); err != nil {
			return err
		}
		_, err = mail.Enqueue(ctx, tx, s.mailOffer(AppointmentView{Appointment: ap, HelpPoint: hp, Kind: k}, token))
		return err
	}
	return nil
}

// staff checks that req is an agent's, a helpdesk's or an administrator's.
func staff(req Request) error {
	switch req.Actor.Role {
	case access.Agent, access.Helpdesk, access.Admin:
		return nil
	}
	return apperr.New(apperr.Forbidden, "Cet agenda est réservé aux agents d'accueil.")
}

// Agenda returns a help point's appointments that hold a seat (pending,
// confirmed, attended, no-show) on the days from to to, by time and seat:
// the day or week view of the agents.
func (s *Appointments) Agenda(ctx context.Context, req Request, helpPointID int64, from, to date.Date) ([]booking.Appointment, error) {
	if err := staff(req); err != nil {
		return nil, err
	}
	paris := date.Paris()
	y1, m1, d1 := from.Civil()
	y2, m2, d2 := to.AddDays(1).Civil()
	return s.a.store.ListAppointments(ctx, store.AppointmentFilter{
		HelpPointID: helpPointID,
		From:        time.Date(y1, m1, d1, 0, 0, 0, 0, paris),
		To:          time.Date(y2, m2, d2, 0, 0, 0, 0, paris),
		Statuses:    []booking.Status{booking.Pending, booking.Confirmed, booking.Attended, booking.NoShow},
	})
}

// SetAttendance records, from the start of a confirmed appointment, that
// the person came or not. It may be corrected.
func (s *Appointments) SetAttendance(ctx context.Context, req Request, id int64, attended bool) (booking.Appointment, error) {
	if err := staff(req); err != nil {
		return booking.Appointment{}, err
	}
	st, action := booking.NoShow, "appointment.no_show"
	if attended {
		st, action = booking.Attended, "appointment.attended"
	}
	var ap booking.Appointment
	err := s.a.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if ap, err = tx.SetAttendance(ctx, id, st, s.a.clock.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, req, action, id)
	})
	return ap, err
}
