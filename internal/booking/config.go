package booking

import (
	"fmt"
	"time"

	"permis/internal/apperr"
)

// MaxFutureAppointmentsPerKind is how many upcoming appointments of one kind
// a person may hold, at all help points together. It is not in Config
// because the database enforces it: a unique index on (person, kind) over
// upcoming appointments (appointments_one_upcoming, migration 0004).
// Changing it means changing that index.
const MaxFutureAppointmentsPerKind = 1

// Config holds the figures of the booking rules. None of them comes from a
// law or a published rule of the help points (REFERENCE.md §12 gives none):
// they are choices of this service, gathered here so they can be changed in
// one place. DefaultConfig documents each default and why.
type Config struct {
	// ConfirmWithin is how long a booking made without an account holds
	// its seat while the person follows the link sent by email. Past it the
	// booking expires and the seat is freed. It is also the delay to confirm
	// a waiting-list registration made without an account.
	ConfirmWithin time.Duration
	// OfferHold is how long a freed slot offered to the next person on the
	// waiting list is held for them (never past the slot's start minus
	// MinNotice). Past it the offer lapses and goes to the next in line.
	OfferHold time.Duration
	// MinOfferHold is the shortest hold worth offering: when less time than
	// this is left before the slot's last bookable instant, the freed slot
	// goes back to everyone instead.
	MinOfferHold time.Duration
	// MinNotice is the shortest time between now and the start of a slot
	// that can be booked, moved to or offered: the help point must be able
	// to see who comes.
	MinNotice time.Duration
	// HorizonDays is how many days ahead slots open (today included).
	HorizonDays int
	// ReminderBefore is when the reminder mail is due, before the start.
	ReminderBefore time.Duration
	// BookingsPerClient is how many bookings and waiting-list registrations
	// one client address may make per hour (bots, REFERENCE.md §12).
	BookingsPerClient int
}

// DefaultConfig returns the figures in force:
//
//   - ConfirmWithin 30 min: the person is at the screen when they book; the
//     mail arrives within seconds. A longer delay lets unconfirmed bookings
//     (a bot's, a typo's) keep seats from others.
//   - OfferHold 2 h: long enough to read a mail during the working day,
//     short enough that a freed slot passed along a list of five people is
//     still offered the same day. MinOfferHold 30 min.
//   - MinNotice 2 h: agents see the day's agenda in the morning and the
//     slot is not lost to someone who cannot come anymore.
//   - HorizonDays 60: about two months, the span of a help point's
//     published schedule; a longer horizon mostly collects no-shows.
//   - ReminderBefore 48 h: issue 5 ("a reminder 48 h before").
//   - BookingsPerClient 10 an hour: a family books for a few people; a bot
//     needs many more.
func DefaultConfig() Config {
	return Config{
		ConfirmWithin:     30 * time.Minute,
		OfferHold:         2 * time.Hour,
		MinOfferHold:      30 * time.Minute,
		MinNotice:         2 * time.Hour,
		HorizonDays:       60,
		ReminderBefore:    48 * time.Hour,
		BookingsPerClient: 10,
	}
}

// WithDefaults returns c with its zero fields set from DefaultConfig.
func (c Config) WithDefaults() Config {
	d := DefaultConfig()
	if c.ConfirmWithin <= 0 {
		c.ConfirmWithin = d.ConfirmWithin
	}
	if c.OfferHold <= 0 {
		c.OfferHold = d.OfferHold
	}
	if c.MinOfferHold <= 0 {
		c.MinOfferHold = d.MinOfferHold
	}
	if c.MinNotice <= 0 {
		c.MinNotice = d.MinNotice
	}
	if c.HorizonDays <= 0 {
		c.HorizonDays = d.HorizonDays
	}
	if c.ReminderBefore <= 0 {
		c.ReminderBefore = d.ReminderBefore
	}
	if c.BookingsPerClient <= 0 {
		c.BookingsPerClient = d.BookingsPerClient
	}
	return c
}

// Bookable checks that a slot starting at start may be booked (or moved
// to) at now: at least MinNotice ahead, and within HorizonDays. The error is
// an apperr.Invalid with a French message.
func (c Config) Bookable(now, start time.Time) error {
	if start.Before(now.Add(c.MinNotice)) {
		return apperr.Field("start", fmt.Sprintf(
			"Ce créneau commence trop tôt : on peut réserver jusqu'à %s avant le début du rendez-vous.", frenchDuration(c.MinNotice)))
	}
	if !start.Before(c.HorizonEnd(now)) {
		return apperr.Field("start", fmt.Sprintf(
			"Ce créneau est trop loin : les rendez-vous s'ouvrent %d jours à l'avance.", c.HorizonDays))
	}
	return nil
}

// HorizonEnd is the first instant that cannot be booked at now: midnight
// (Paris) after the last day of the horizon.
func (c Config) HorizonEnd(now time.Time) time.Time {
	y, m, d := now.In(paris).Date()
	return time.Date(y, m, d+c.HorizonDays, 0, 0, 0, 0, paris)
}

// HoldUntil is when a booking made at now without an account expires if
// the person has not confirmed it.
func (c Config) HoldUntil(now time.Time) time.Time { return now.Add(c.ConfirmWithin) }

// OfferUntil is until when a slot starting at start, freed at now, is held
// for the next person on the waiting list; false when too little time is
// left to offer it (the slot then goes back to everyone).
func (c Config) OfferUntil(now, start time.Time) (time.Time, bool) {
	until := now.Add(c.OfferHold)
	if last := start.Add(-c.MinNotice); last.Before(until) {
		until = last
	}
	return until, until.Sub(now) >= c.MinOfferHold
}

// ReminderDue is when the reminder of an appointment starting at start,
// confirmed (or moved) at now, is due; false when that is already past: the
// confirmation mail, sent within the reminder window, is the reminder.
func (c Config) ReminderDue(now, start time.Time) (time.Time, bool) {
	due := start.Add(-c.ReminderBefore)
	return due, due.After(now)
}

// Cancellable checks that an appointment starting at start may still be
// cancelled or moved at now: until it starts. Cancelling late is better
// than not coming: the seat may still serve someone.
func (c Config) Cancellable(now, start time.Time) error {
	if !now.Before(start) {
		return apperr.New(apperr.Conflict, "Ce rendez-vous a déjà commencé ou est passé : il ne peut plus être annulé ni déplacé.")
	}
	return nil
}

// frenchDuration writes 90 min as "1 h 30", 2 h as "2 heures", 30 min as
// "30 minutes".
func frenchDuration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%d minutes", m)
	case m == 0 && h == 1:
		return "1 heure"
	case m == 0:
		return fmt.Sprintf("%d heures", h)
	}
	return fmt.Sprintf("%d h %02d", h, m)
}
