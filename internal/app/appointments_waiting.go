package app

import (
	"context"
	"strconv"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/mail"
	"permis/internal/secret"
	"permis/internal/store"
)

// WaitingRequest is what a person submits to join the waiting list of a
// kind of appointment at a help point.
type WaitingRequest struct {
	HelpPointID int64
	KindID      int64
	From, To    date.Date // the days they can come
	booking.Contact
}

// WaitingView is a waiting-list entry with its help point and kind.
type WaitingView struct {
	booking.WaitingEntry
	HelpPoint booking.HelpPoint
	Kind      booking.Kind
}

// JoinWaitingList puts a person in line for freed slots of a kind at a
// help point, on the days they can come. With a verified account they are
// in line at once; without, once they follow the link sent by mail (within
// booking.Config.ConfirmWithin), so that an address nobody reads cannot
// hold offers. A person who already holds an upcoming appointment of the
// kind is refused (they can move it instead). Rate limited per client with
// the bookings.
func (s *Appointments) JoinWaitingList(ctx context.Context, req Request, in WaitingRequest) (WaitingView, error) {
	if err := s.a.limit(ctx, "booking:client:"+req.Client, time.Hour, s.cfg.BookingsPerClient); err != nil {
		return WaitingView{}, err
	}
	contact, err := booking.CheckContact(in.Contact)
	if err != nil {
		return WaitingView{}, err
	}
	now := s.a.clock.Now()
	if err := s.cfg.CheckWaitingDays(now, in.From, in.To); err != nil {
		return WaitingView{}, err
	}
	u, verified, err := s.account(ctx, req)
	if err != nil {
		return WaitingView{}, err
	}
	hp, k, err := s.place(ctx, s.a.store, in.HelpPointID, in.KindID)
	if err != nil {
		return WaitingView{}, err
	}
	e := booking.WaitingEntry{HelpPointID: hp.ID, KindID: k.ID, PersonKey: booking.PersonKeyEmail(contact.Email),
		Contact: contact, From: in.From, To: in.To, CreatedAt: now}
	if u.ID != 0 {
		e.UserID, e.PersonKey = u.ID, booking.PersonKeyUser(u.ID)
	}
	var confirmToken string
	if verified {
		e.Email, e.Status, e.QueuedAt = u.Email, booking.Waiting, &now
	} else {
		hold := s.cfg.HoldUntil(now)
		e.Status, e.HoldUntil = booking.WaitingUnconfirmed, &hold
		confirmToken, e.ConfirmHash = secret.NewToken()
	}
	leaveToken, leaveHash := secret.NewToken()
	e.ManageHash = leaveHash
	upcoming, err := s.a.store.ListAppointments(ctx, store.AppointmentFilter{PersonKey: e.PersonKey, From: now,
		Statuses: []booking.Status{booking.Pending, booking.Confirmed}})
	if err != nil {
		return WaitingView{}, err
	}
	for _, ap := range upcoming {
		if ap.KindID == k.ID {
			return WaitingView{}, apperr.New(apperr.Conflict,
				"Vous avez déjà un rendez-vous à venir de ce type : déplacez-le si un autre créneau vous convient mieux.")
		}
	}
	v := WaitingView{WaitingEntry: e, HelpPoint: hp, Kind: k}
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		v.WaitingEntry = e
		if err := tx.CreateWaitingEntry(ctx, &v.WaitingEntry); err != nil {
			return err
		}
		if err := s.a.auditTx(ctx, tx, req, "waiting_list.join", "waiting_list", strconv.FormatInt(v.ID, 10)); err != nil {
			return err
		}
		_, err := mail.Enqueue(ctx, tx, s.mailWaiting(v, confirmToken, leaveToken))
		return err
	})
	return v, err
}

// ConfirmWaiting puts in line, by the token of the mail's link, a person
// who joined the waiting list without an account.
func (s *Appointments) ConfirmWaiting(ctx context.Context, req Request, token string) (booking.WaitingEntry, error) {
	e, err := s.a.store.FindWaitingByConfirmHash(ctx, secret.HashToken(token))
	if err != nil {
		return e, err
	}
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if e, err = tx.ConfirmWaitingEntry(ctx, e.ID, s.a.clock.Now()); err != nil {
			return err
		}
		return s.a.auditTx(ctx, tx, req, "waiting_list.confirm", "waiting_list", strconv.FormatInt(e.ID, 10))
	})
	return e, err
}

// LeaveWaitingList takes a person off the waiting list by the token of
// the link in their mail. A slot offered to them and not yet accepted is
// released and offered to the next in line.
func (s *Appointments) LeaveWaitingList(ctx context.Context, req Request, token string) error {
	e, err := s.a.store.FindWaitingByManageHash(ctx, secret.HashToken(token))
	if err != nil {
		return err
	}
	now := s.a.clock.Now()
	return s.a.store.Transact(ctx, func(tx *store.Store) error {
		left, ok, err := tx.SetWaitingStatus(ctx, e.ID, booking.Left, booking.WaitingUnconfirmed, booking.Waiting, booking.Offered)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.Conflict, "Vous n'êtes plus sur cette liste d'attente.")
		}
		if err := s.a.auditTx(ctx, tx, req, "waiting_list.leave", "waiting_list", strconv.FormatInt(e.ID, 10)); err != nil {
			return err
		}
		if e.Status != booking.Offered || left.AppointmentID == 0 {
			return nil
		}
		ap, err := tx.FindAppointment(ctx, left.AppointmentID)
		if err != nil || ap.Status != booking.Pending {
			return err
		}
		hp, k, err := s.load(ctx, ap)
		if err != nil {
			return err
		}
		return s.release(ctx, tx, req, ap, hp, k, now, "appointment.decline", func(tx *store.Store) (booking.Appointment, bool, error) {
			a, err := tx.CancelAppointment(ctx, ap.ID, now)
			return a, err == nil, err
		})
	})
}

// jobBatch is how many rows a job pass handles per query.
const jobBatch = 100

// DueReminders enqueues the reminder mail of every confirmed appointment
// whose reminder is due at now (booking.Config.ReminderBefore before its
// start), exactly once: each reminder is claimed (its sent mark set) in the
// transaction that enqueues its mail, so two instances running the job
// together, or a job run again after a crash, send it once. It returns how
// many it enqueued. A periodic caller (every few minutes) is wired with the
// other jobs.
func (s *Appointments) DueReminders(ctx context.Context, now time.Time) (int, error) {
	req := Request{Actor: access.SystemActor("appointment-reminders")}
	sent := 0
	for {
		due, err := s.a.store.ListDueReminders(ctx, now, jobBatch)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		claimed := 0
		for _, ap := range due {
			hp, k, err := s.load(ctx, ap)
			if err != nil {
				return sent, err
			}
			var ok bool
			err = s.a.store.Transact(ctx, func(tx *store.Store) error {
				var cur booking.Appointment
				var err error
				cur, ok, err = tx.ClaimReminder(ctx, ap.ID, now)
				if err != nil || !ok {
					return err
				}
				if err := s.audit(ctx, tx, req, "appointment.remind", ap.ID); err != nil {
					return err
				}
				_, err = mail.Enqueue(ctx, tx, s.mailReminder(AppointmentView{Appointment: cur, HelpPoint: hp, Kind: k}))
				return err
			})
			if err != nil {
				return sent, err
			}
			if ok {
				claimed++
			}
		}
		sent += claimed
		if len(due) < jobBatch || claimed == 0 {
			return sent, nil
		}
	}
}

// ReleaseExpired ends, at now, the holds that ran out: bookings not
// confirmed within booking.Config.ConfirmWithin expire, offers not
// accepted within booking.Config.OfferHold lapse (their entry too), and
// each freed slot is offered to the next person in line. It also lapses
// waiting-list registrations never confirmed and entries whose days are
// past. It returns how many appointments it expired. A periodic caller
// (every minute) is wired with the other jobs; between two runs an expired
// hold just keeps its seat a little longer.
func (s *Appointments) ReleaseExpired(ctx context.Context, now time.Time) (int, error) {
	req := Request{Actor: access.SystemActor("appointment-holds")}
	n := 0
	for {
		holds, err := s.a.store.ListExpiredHolds(ctx, now, jobBatch)
		if err != nil {
			return n, err
		}
		expired := 0
		for _, ap := range holds {
			hp, k, err := s.load(ctx, ap)
			if err != nil {
				return n, err
			}
			var ok bool
			err = s.a.store.Transact(ctx, func(tx *store.Store) error {
				return s.release(ctx, tx, req, ap, hp, k, now, "appointment.expire", func(tx *store.Store) (booking.Appointment, bool, error) {
					var a booking.Appointment
					var err error
					a, ok, err = tx.ExpireAppointment(ctx, ap.ID, now)
					return a, ok, err
				})
			})
			if err != nil {
				return n, err
			}
			if ok {
				expired++
			}
		}
		n += expired
		if len(holds) < jobBatch || expired == 0 {
			break
		}
	}
	_, err := s.a.store.LapseWaitingEntries(ctx, now, date.Today(now))
	return n, err
}
