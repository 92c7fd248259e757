package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
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

// Appointments holds the use cases of appointments at help points, with
// the figures of the booking rules (booking.Config). Every change writes
// its audit entry and enqueues its mail in the transaction of the change.
// docs/appointments.md tells the design; the links the mails carry are
// listed there for the pages that serve them.
type Appointments struct {
	a   *App
	cfg booking.Config
}

// Appointments returns the appointment use cases of the application with
// the booking rules cfg (zero fields: booking.DefaultConfig).
func (a *App) Appointments(cfg booking.Config) *Appointments {
	return &Appointments{a: a, cfg: cfg.WithDefaults()}
}

// Config returns the booking rules in force.
func (s *Appointments) Config() booking.Config { return s.cfg }

// The paths of the links sent by mail, under the public URL; each ends
// with the token.
const (
	PathConfirmAppointment = "/rendez-vous/confirmer/"    // confirm a booking, or accept an offered slot
	PathDeclineOffer       = "/rendez-vous/refuser/"      // decline an offered slot (or an unconfirmed booking)
	PathManageAppointment  = "/rendez-vous/gerer/"        // see, cancel, move
	PathConfirmWaiting     = "/liste-attente/confirmer/"  // confirm a waiting-list registration
	PathLeaveWaiting       = "/liste-attente/se-retirer/" // leave the waiting list
)

// AppointmentView is an appointment with its help point and kind, as pages
// and mails show it.
type AppointmentView struct {
	booking.Appointment
	HelpPoint booking.HelpPoint
	Kind      booking.Kind
	// ManageToken is the token of the new cancel/move link, set only by
	// Confirm: the confirmation page redirects the browser that confirmed
	// to that link (post/redirect/get), which the mail carries too.
	ManageToken string
}

// When is the slot in French: "mardi 01/12/2026 de 9 h 30 à 10 h 00".
func (v AppointmentView) When() string { return booking.FrenchWhen(v.Start, v.End) }

// place loads a help point and a kind it offers.
func (s *Appointments) place(ctx context.Context, tx *store.Store, helpPointID, kindID int64) (booking.HelpPoint, booking.Kind, error) {
	hp, err := tx.FindHelpPoint(ctx, helpPointID)
	if err != nil {
		return hp, booking.Kind{}, err
	}
	k, err := tx.FindKind(ctx, kindID)
	if err != nil {
		return hp, k, err
	}
	on, err := tx.KindEnabled(ctx, hp.ID, k.ID)
	if err == nil && !on {
		err = apperr.New(apperr.NotFound, "Ce lieu ne propose pas ce type de rendez-vous.")
	}
	return hp, k, err
}

// slotsOf returns the slots of kind k at hp on the days from to to, with
// their free seats.
func (s *Appointments) slotsOf(ctx context.Context, tx *store.Store, hp booking.HelpPoint, k booking.Kind, from, to date.Date) ([]booking.Slot, error) {
	closures, err := tx.ListClosures(ctx, hp.ID, from, to)
	if err != nil {
		return nil, err
	}
	site, err := booking.NewSite(hp, closures)
	if err != nil {
		return nil, err
	}
	slots := booking.Slots(site, k, from, to)
	if len(slots) == 0 {
		return nil, nil
	}
	taken, err := tx.TakenCells(ctx, hp.ID, slots[0].Start, slots[len(slots)-1].End)
	if err != nil {
		return nil, err
	}
	booking.Available(slots, taken)
	return slots, nil
}

// Slots returns the slots of a kind of appointment at a help point on the
// days from to to, each with its free seats: only those that can still be
// booked (booking.Config.Bookable), the full ones included (Free 0) so a
// page can show them as taken and offer the waiting list.
func (s *Appointments) Slots(ctx context.Context, helpPointID, kindID int64, from, to date.Date) ([]booking.Slot, error) {
	now := s.a.clock.Now()
	today := date.Today(now)
	from = max(from, today)
	to = min(to, today.AddDays(s.cfg.HorizonDays-1))
	if to < from {
		return nil, nil
	}
	hp, k, err := s.place(ctx, s.a.store, helpPointID, kindID)
	if err != nil {
		return nil, err
	}
	slots, err := s.slotsOf(ctx, s.a.store, hp, k, from, to)
	if err != nil {
		return nil, err
	}
	out := slots[:0]
	for _, sl := range slots {
		if s.cfg.Bookable(now, sl.Start) == nil {
			out = append(out, sl)
		}
	}
	return out, nil
}

// checkSlot verifies that start is a bookable slot of k at hp at now and
// returns it.
func (s *Appointments) checkSlot(ctx context.Context, hp booking.HelpPoint, k booking.Kind, start time.Time, now time.Time) (booking.Slot, error) {
	if err := s.cfg.Bookable(now, start); err != nil {
		return booking.Slot{}, err
	}
	day := date.FromTime(start.In(date.Paris()))
	slots, err := s.slotsOf(ctx, s.a.store, hp, k, day, day)
	if err != nil {
		return booking.Slot{}, err
	}
	sl, ok := booking.FindSlot(slots, start)
	if !ok {
		return sl, apperr.Field("start", "Ce créneau n'existe pas : choisissez l'un des créneaux proposés.")
	}
	return sl, nil
}

// BookingRequest is what a person submits to book a slot.
type BookingRequest struct {
	HelpPointID int64
	KindID      int64
	Start       time.Time
	booking.Contact
}

// Booked is the outcome of Book.
type Booked struct {
	AppointmentView
	// Pending is true when the booking waits for the person to follow the
	// link sent by mail (booked without an account), until HoldUntil.
	Pending bool
}

// account returns the signed-in citizen behind req, or false for a person
// without an account (or whose address is not verified: they confirm by
// mail like anyone).
func (s *Appointments) account(ctx context.Context, req Request) (store.User, bool, error) {
	if req.Actor.Kind != access.KindUser || req.Actor.Role != access.Citizen {
		return store.User{}, false, nil
	}
	id, err := userIDOf(req.Actor)
	if err != nil {
		return store.User{}, false, err
	}
	u, err := s.a.store.FindUser(ctx, id)
	if err != nil {
		return u, false, err
	}
	return u, u.Email != "" && u.EmailVerifiedAt != nil, nil
}

// Book books a slot. With an account whose address is verified, the
// appointment is confirmed at once and the confirmation mail carries the
// .ics and the cancel/move link; without, it is pending and the mail
// carries a confirmation link valid booking.Config.ConfirmWithin, during
// which the seat is held. The seat is taken by the database (see
// store.BookAppointment): of two people booking the last seat at the same
// instant, on any server instance, one gets a conflict "Ce créneau vient
// d'être pris…". A person holds at most booking.MaxFutureAppointmentsPerKind
// upcoming appointment of a kind. Bookings are rate limited per client.
func (s *Appointments) Book(ctx context.Context, req Request, in BookingRequest) (Booked, error) {
	if err := s.a.limit(ctx, "booking:client:"+req.Client, time.Hour, s.cfg.BookingsPerClient); err != nil {
		return Booked{}, err
	}
	contact, err := booking.CheckContact(in.Contact)
	if err != nil {
		return Booked{}, err
	}
	u, verified, err := s.account(ctx, req)
	if err != nil {
		return Booked{}, err
	}
	now := s.a.clock.Now()
	hp, k, err := s.place(ctx, s.a.store, in.HelpPointID, in.KindID)
	if err != nil {
		return Booked{}, err
	}
	sl, err := s.checkSlot(ctx, hp, k, in.Start, now)
	if err != nil {
		return Booked{}, err
	}
	ap := booking.Appointment{
		UID: s.newUID(), HelpPointID: hp.ID, KindID: k.ID, Start: sl.Start, End: sl.End, Origin: booking.FromBooking,
		PersonKey: booking.PersonKeyEmail(contact.Email), Contact: contact, CreatedAt: now,
	}
	if u.ID != 0 {
		ap.UserID, ap.PersonKey = u.ID, booking.PersonKeyUser(u.ID)
	}
	var confirmToken, manageToken string
	if verified {
		ap.Email = u.Email
		ap.Status, ap.ConfirmedAt = booking.Confirmed, &now
		manageToken, ap.ManageHash = secret.NewToken()
		if due, ok := s.cfg.ReminderDue(now, ap.Start); ok {
			ap.ReminderDueAt = &due
		}
	} else {
		hold := s.cfg.HoldUntil(now)
		ap.Status, ap.HoldUntil = booking.Pending, &hold
		confirmToken, ap.ConfirmHash = secret.NewToken()
	}
	v := AppointmentView{Appointment: ap, HelpPoint: hp, Kind: k}
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		v.Appointment = ap // a retried transaction starts again from the request
		if err := tx.BookAppointment(ctx, &v.Appointment, hp.Agents); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, req, "appointment.book", v.ID); err != nil {
			return err
		}
		var m mail.Message
		if verified {
			m = s.mailConfirmed(v, manageToken, now)
		} else {
			m = s.mailPending(v, confirmToken)
		}
		_, err := mail.Enqueue(ctx, tx, m)
		return err
	})
	if err != nil {
		return Booked{}, err
	}
	return Booked{AppointmentView: v, Pending: !verified}, nil
}

// Confirm confirms a pending appointment by the token of its mail's link:
// a booking made without an account, or a slot offered from the waiting
// list (then the entry is served). The confirmation mail carries the .ics
// and the cancel/move link.
func (s *Appointments) Confirm(ctx context.Context, req Request, token string) (AppointmentView, error) {
	ap, err := s.a.store.FindAppointmentByConfirmHash(ctx, secret.HashToken(token))
	if err != nil {
		return AppointmentView{}, err
	}
	hp, k, err := s.load(ctx, ap)
	if err != nil {
		return AppointmentView{}, err
	}
	now := s.a.clock.Now()
	manageToken, manageHash := secret.NewToken()
	var due *time.Time
	if d, ok := s.cfg.ReminderDue(now, ap.Start); ok {
		due = &d
	}
	v := AppointmentView{HelpPoint: hp, Kind: k, ManageToken: manageToken}
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if v.Appointment, err = tx.ConfirmAppointment(ctx, ap.ID, now, manageHash, due); err != nil {
			return err
		}
		if v.WaitingID != 0 {
			if err := tx.SetWaitingAppointment(ctx, v.WaitingID, v.ID); err != nil {
				return err
			}
			if _, _, err := tx.SetWaitingStatus(ctx, v.WaitingID, booking.Served, booking.Offered); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, tx, req, "appointment.confirm", v.ID); err != nil {
			return err
		}
		_, err = mail.Enqueue(ctx, tx, s.mailConfirmed(v, manageToken, now))
		return err
	})
	return v, err
}

// load returns the help point and kind of an appointment.
func (s *Appointments) load(ctx context.Context, ap booking.Appointment) (booking.HelpPoint, booking.Kind, error) {
	hp, err := s.a.store.FindHelpPoint(ctx, ap.HelpPointID)
	if err != nil {
		return hp, booking.Kind{}, err
	}
	k, err := s.a.store.FindKind(ctx, ap.KindID)
	return hp, k, err
}

// audit writes the entry of an appointment change in its transaction.
func (s *Appointments) audit(ctx context.Context, tx *store.Store, req Request, action string, id int64) error {
	return s.a.auditTx(ctx, tx, req, action, "appointment", strconv.FormatInt(id, 10))
}

// newUID returns a calendar UID: random, and under the service's domain
// as RFC 5545 recommends.
func (s *Appointments) newUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "rdv-" + hex.EncodeToString(b) + "@" + s.host()
}

// host is the service's host name, for UIDs and the organiser's fallback
// address.
func (s *Appointments) host() string {
	if u, err := url.Parse(s.a.publicURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}
