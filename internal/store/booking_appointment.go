package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
)

// Appointments and their seats. An appointment holds its seat through one
// appointment_cells row per booking.Grain of its period, whose primary key
// (help_point_id, at, seat) is what makes a double booking impossible: a
// booking inserts its cells, and an insert that meets a taken cell fails in
// the database, whichever server instance got there first.

const appointmentCols = `id, uid, help_point_id, kind_id, starts_at, ends_at, seat, status, origin, person_key,
	user_id, name, email, phone, sequence, created_at, hold_until, confirmed_at, cancelled_at, attendance_at,
	reminder_due_at, reminder_sent_at, confirm_hash, manage_hash, waiting_id`

func scanAppointment(sc scanner) (booking.Appointment, error) {
	var (
		a                 booking.Appointment
		status, origin    string
		userID, waitingID sql.NullInt64
	)
	err := sc.Scan(&a.ID, &a.UID, &a.HelpPointID, &a.KindID, timestamp{&a.Start}, timestamp{&a.End}, &a.Seat, &status,
		&origin, &a.PersonKey, &userID, &a.Name, &a.Email, &a.Phone, &a.Sequence, timestamp{&a.CreatedAt},
		nullTime{&a.HoldUntil}, nullTime{&a.ConfirmedAt}, nullTime{&a.CancelledAt}, nullTime{&a.AttendanceAt},
		nullTime{&a.ReminderDueAt}, nullTime{&a.ReminderSentAt}, &a.ConfirmHash, &a.ManageHash, &waitingID)
	a.Status, a.Origin = booking.Status(status), booking.Origin(origin)
	a.UserID, a.WaitingID = userID.Int64, waitingID.Int64
	a.Start, a.End = a.Start.In(date.Paris()), a.End.In(date.Paris())
	return a, err
}

// Errors of the booking methods, in French.
const (
	errSlotTaken          = "Ce créneau vient d'être pris par quelqu'un d'autre. Choisissez-en un autre."
	errAlreadyUpcoming    = "Vous avez déjà un rendez-vous à venir de ce type. Annulez-le ou déplacez-le avant d'en prendre un autre."
	errUnknownAppt        = "Ce rendez-vous n'existe pas."
	errNotActive          = "Ce rendez-vous n'est plus actif : il a été annulé, il a expiré ou il est passé."
	errAttendanceTooEarly = "La présence se note à partir de l'heure du rendez-vous, pour un rendez-vous confirmé."
)

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullBytes stores nil as NULL.
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// BookAppointment records a and gives it a seat: a.Seat when it is set,
// else the first seat from 1 to capacity on which every cell of the period
// is free. Every field of a is stored as given (UID, status, origin,
// person, contact, hashes, hold, reminder); a.CreatedAt is the booking's
// "now" (the store's clock when zero). It sets a.ID and a.Seat.
//
// Errors: a conflict "Ce créneau vient d'être pris…" when no seat is free,
// including when another booking took the last one an instant before (the
// database refuses the second insert of a cell); a conflict
// "Vous avez déjà un rendez-vous à venir de ce type…" when the person
// already holds an upcoming appointment of the kind
// (booking.MaxFutureAppointmentsPerKind). An appointment of theirs that has
// started no longer counts, and is marked so first.
func (s *Store) BookAppointment(ctx context.Context, a *booking.Appointment, capacity int) error {
	if !a.End.After(a.Start) || !booking.OnGrain(a.Start) || !booking.OnGrain(a.End) {
		return fmt.Errorf("store: BookAppointment: period %v–%v is not whole cells", a.Start, a.End)
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = s.now()
	}
	return s.Transact(ctx, func(tx *Store) error {
		if _, err := tx.exec(ctx, `UPDATE appointments SET upcoming = 0
			WHERE person_key = ? AND kind_id = ? AND upcoming = 1 AND starts_at <= ?`,
			a.PersonKey, a.KindID, tx.d.ts(a.CreatedAt)); err != nil {
			return err
		}
		seats := []int{a.Seat}
		if a.Seat == 0 {
			taken, err := tx.TakenCells(ctx, a.HelpPointID, a.Start, a.End)
			if err != nil {
				return err
			}
			seats = booking.FreeSeats(capacity, a.Start, a.End, taken)
		}
		for _, seat := range seats {
			ok, err := tx.tryBook(ctx, a, seat)
			if err != nil || ok {
				return err
			}
		}
		a.ID, a.Seat = 0, 0
		return apperr.Wrap(apperr.Conflict, errSlotTaken, ErrSlotTaken)
	})
}

// tryBook inserts a on seat, with its cells, inside a savepoint: a cell
// already taken (by a transaction that committed in the meantime) rolls
// back to the savepoint and reports false, so the caller tries the next
// seat; the transaction itself stays usable on PostgreSQL.
func (s *Store) tryBook(ctx context.Context, a *booking.Appointment, seat int) (bool, error) {
	err := s.savepoint(ctx, func() error {
		a.Seat = seat
		upcoming := 0
		if a.Status.Active() && a.Start.After(a.CreatedAt) {
			upcoming = 1
		}
		err := s.queryRowW(ctx, `INSERT INTO appointments (uid, help_point_id, kind_id, starts_at, ends_at, seat, status,
			origin, person_key, upcoming, user_id, name, email, phone, sequence, created_at, hold_until, confirmed_at,
			reminder_due_at, confirm_hash, manage_hash, waiting_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (person_key, kind_id) WHERE upcoming = 1 DO NOTHING RETURNING id`,
			a.UID, a.HelpPointID, a.KindID, s.d.ts(a.Start), s.d.ts(a.End), seat, string(a.Status), string(a.Origin),
			a.PersonKey, upcoming, nullID(a.UserID), a.Name, a.Email, a.Phone, a.Sequence, s.d.ts(a.CreatedAt),
			s.nullTS(a.HoldUntil), s.nullTS(a.ConfirmedAt), s.nullTS(a.ReminderDueAt), nullBytes(a.ConfirmHash),
			nullBytes(a.ManageHash), nullID(a.WaitingID)).Scan(&a.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return errUpcoming
		}
		if err != nil {
			return s.d.translate(err)
		}
		return s.insertCells(ctx, a.HelpPointID, a.ID, seat, a.Start, a.End)
	})
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, errUpcoming):
		return false, apperr.Wrap(apperr.Conflict, errAlreadyUpcoming, ErrAlreadyUpcoming)
	case apperr.Is(err, apperr.Conflict):
		return false, nil // the seat was taken meanwhile
	}
	return false, err
}

// errUpcoming is tryBook's signal that the person's unique index refused
// the row (ON CONFLICT DO NOTHING returned nothing).
var errUpcoming = errors.New("store: the upcoming-appointment index refused the row")

// The causes of the two conflicts of a booking, for callers that react
// differently to each (errors.Is); the errors themselves are apperr
// conflicts with a French message.
var (
	// ErrSlotTaken: no seat of the period is free.
	ErrSlotTaken = errors.New("store: no free seat in the period")
	// ErrAlreadyUpcoming: the person already holds an upcoming appointment
	// of the kind (booking.MaxFutureAppointmentsPerKind).
	ErrAlreadyUpcoming = errors.New("store: the person already holds an upcoming appointment of this kind")
)

// savepoint runs fn inside a savepoint of the current transaction, rolled
// back to when fn fails.
func (s *Store) savepoint(ctx context.Context, fn func() error) error {
	if s.tx == nil {
		return fmt.Errorf("store: savepoint outside a transaction")
	}
	if _, err := s.tx.ExecContext(ctx, `SAVEPOINT seat`); err != nil {
		return s.d.translate(err)
	}
	if err := fn(); err != nil {
		if _, rerr := s.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT seat`); rerr != nil {
			return errors.Join(err, s.d.translate(rerr))
		}
		_, _ = s.tx.ExecContext(ctx, `RELEASE SAVEPOINT seat`)
		return err
	}
	_, err := s.tx.ExecContext(ctx, `RELEASE SAVEPOINT seat`)
	return s.d.translate(err)
}

// insertCells takes the cells of the period on seat, in one statement, in
// time order (concurrent bookings then wait on each other rather than
// deadlock).
func (s *Store) insertCells(ctx context.Context, helpPointID, appointmentID int64, seat int, start, end time.Time) error {
	cells := booking.Cells(start, end)
	args := make([]any, 0, 4*len(cells))
	for _, c := range cells {
		args = append(args, helpPointID, s.d.ts(c), seat, appointmentID)
	}
	row := `(?, ?, ?, ?)`
	if s.d.dollar {
		row = `(?, ?::timestamptz, ?, ?)`
	}
	_, err := s.exec(ctx, `INSERT INTO appointment_cells (help_point_id, at, seat, appointment_id) VALUES `+
		rowsOf(len(cells), row), args...)
	return err
}

// TakenCells returns the cells taken at a help point from from (included)
// to to (excluded), by any appointment: one indexed range read of the
// primary key.
func (s *Store) TakenCells(ctx context.Context, helpPointID int64, from, to time.Time) ([]booking.Cell, error) {
	rows, err := s.query(ctx, `SELECT seat, at FROM appointment_cells WHERE help_point_id = ? AND at >= ? AND at < ?
		ORDER BY at, seat`, helpPointID, s.d.ts(from), s.d.ts(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []booking.Cell
	for rows.Next() {
		var c booking.Cell
		if err := rows.Scan(&c.Seat, timestamp{&c.At}); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

// FindAppointment returns the appointment id, or not_found.
func (s *Store) FindAppointment(ctx context.Context, id int64) (booking.Appointment, error) {
	a, err := scanAppointment(s.queryRow(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE id = ?`, id))
	return a, notFound(s.d.translate(err), errUnknownAppt)
}

// FindAppointmentByManageHash returns the appointment whose cancel/move
// link has this token hash, whatever its state, or not_found.
func (s *Store) FindAppointmentByManageHash(ctx context.Context, hash []byte) (booking.Appointment, error) {
	a, err := scanAppointment(s.queryRow(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE manage_hash = ?`, hash))
	return a, notFound(s.d.translate(err), "Ce lien ne correspond à aucun rendez-vous.")
}

// FindAppointmentByConfirmHash returns the pending appointment whose
// confirmation link has this token hash, or not_found (the hash is
// cleared once confirmed or expired).
func (s *Store) FindAppointmentByConfirmHash(ctx context.Context, hash []byte) (booking.Appointment, error) {
	a, err := scanAppointment(s.queryRow(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE confirm_hash = ?`, hash))
	return a, notFound(s.d.translate(err), "Ce lien de confirmation n'est plus valable : le rendez-vous a déjà été confirmé, ou le délai est dépassé.")
}

// ConfirmAppointment confirms a pending appointment at now, before its hold
// ends: it gets its cancel/move link (manageHash) and its reminder due time
// (nil: none). A conflict when it is no longer pending or its hold ended.
func (s *Store) ConfirmAppointment(ctx context.Context, id int64, now time.Time, manageHash []byte, reminderDue *time.Time) (booking.Appointment, error) {
	a, err := scanAppointment(s.queryRowW(ctx, `UPDATE appointments SET status = 'confirmed', confirmed_at = ?,
		hold_until = NULL, confirm_hash = NULL, manage_hash = ?, reminder_due_at = ?
		WHERE id = ? AND status = 'pending' AND (hold_until IS NULL OR hold_until > ?) RETURNING `+appointmentCols,
		s.d.ts(now), nullBytes(manageHash), s.nullTS(reminderDue), id, s.d.ts(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.Wrap(apperr.Conflict, "Le délai de confirmation est dépassé : le créneau a été libéré. Vous pouvez en réserver un autre.", err)
	}
	return a, s.d.translate(err)
}

// CancelAppointment cancels a pending or confirmed appointment at now: its
// cells are deleted (the seat is free again), its SEQUENCE goes up by one,
// and it no longer counts as the person's upcoming appointment. A conflict
// when it is not active any more.
func (s *Store) CancelAppointment(ctx context.Context, id int64, now time.Time) (booking.Appointment, error) {
	var a booking.Appointment
	err := s.Transact(ctx, func(tx *Store) error {
		var err error
		a, err = scanAppointment(tx.queryRowW(ctx, `UPDATE appointments SET status = 'cancelled', cancelled_at = ?,
			upcoming = 0, sequence = sequence + 1, hold_until = NULL, confirm_hash = NULL
			WHERE id = ? AND status IN ('pending', 'confirmed') RETURNING `+appointmentCols, tx.d.ts(now), id))
		if errors.Is(err, sql.ErrNoRows) {
			if _, ferr := tx.FindAppointment(ctx, id); ferr != nil {
				return ferr
			}
			return apperr.Wrap(apperr.Conflict, errNotActive, err)
		}
		if err != nil {
			return tx.d.translate(err)
		}
		_, err = tx.exec(ctx, `DELETE FROM appointment_cells WHERE appointment_id = ?`, id)
		return err
	})
	return a, err
}

// ExpireAppointment expires a pending appointment whose hold ended at now,
// and frees its seat. It reports false (and does nothing) when the
// appointment is not pending or its hold has not ended: confirmed in the
// meantime, or expired by another instance.
func (s *Store) ExpireAppointment(ctx context.Context, id int64, now time.Time) (booking.Appointment, bool, error) {
	var (
		a  booking.Appointment
		ok bool
	)
	err := s.Transact(ctx, func(tx *Store) error {
		var err error
		a, err = scanAppointment(tx.queryRowW(ctx, `UPDATE appointments SET status = 'expired', upcoming = 0,
			confirm_hash = NULL WHERE id = ? AND status = 'pending' AND hold_until <= ? RETURNING `+appointmentCols,
			id, tx.d.ts(now)))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return tx.d.translate(err)
		}
		ok = true
		_, err = tx.exec(ctx, `DELETE FROM appointment_cells WHERE appointment_id = ?`, id)
		return err
	})
	return a, ok, err
}

// MoveAppointment moves a confirmed appointment to the period from start
// to end, atomically: its old cells are freed and the new ones taken in
// one transaction (first free seat from 1 to capacity), its SEQUENCE goes
// up by one, and its reminder is rescheduled (reminderDue, nil: none). If
// no seat is free in the new period nothing changes and the error is the
// conflict "Ce créneau vient d'être pris…". It returns the appointment
// before and after.
func (s *Store) MoveAppointment(ctx context.Context, id int64, start, end time.Time, capacity int, reminderDue *time.Time) (old, moved booking.Appointment, err error) {
	if !end.After(start) || !booking.OnGrain(start) || !booking.OnGrain(end) {
		return old, moved, fmt.Errorf("store: MoveAppointment: period %v–%v is not whole cells", start, end)
	}
	err = s.Transact(ctx, func(tx *Store) error {
		lock := ""
		if tx.d.dollar {
			lock = ` FOR UPDATE` // a cancellation of the same appointment waits for the move
		}
		var err error
		old, err = scanAppointment(tx.queryRowW(ctx, `SELECT `+appointmentCols+` FROM appointments WHERE id = ?`+lock, id))
		if err != nil {
			return notFound(tx.d.translate(err), errUnknownAppt)
		}
		if old.Status != booking.Confirmed {
			return apperr.New(apperr.Conflict, errNotActive)
		}
		if _, err := tx.exec(ctx, `DELETE FROM appointment_cells WHERE appointment_id = ?`, id); err != nil {
			return err
		}
		taken, err := tx.TakenCells(ctx, old.HelpPointID, start, end)
		if err != nil {
			return err
		}
		for _, seat := range booking.FreeSeats(capacity, start, end, taken) {
			err := tx.savepoint(ctx, func() error {
				var err error
				moved, err = scanAppointment(tx.queryRowW(ctx, `UPDATE appointments SET starts_at = ?, ends_at = ?,
					seat = ?, sequence = sequence + 1, reminder_due_at = ?, reminder_sent_at = NULL
					WHERE id = ? RETURNING `+appointmentCols, tx.d.ts(start), tx.d.ts(end), seat, tx.nullTS(reminderDue), id))
				if err != nil {
					return tx.d.translate(err)
				}
				return tx.insertCells(ctx, old.HelpPointID, id, seat, start, end)
			})
			if err == nil {
				return nil
			}
			if !apperr.Is(err, apperr.Conflict) {
				return err
			}
		}
		return apperr.Wrap(apperr.Conflict, errSlotTaken, ErrSlotTaken)
	})
	return old, moved, err
}

// SetAttendance records that the person of a confirmed appointment came
// (booking.Attended) or not (booking.NoShow), from the appointment's start
// on; it may be corrected later. A conflict before the start or for an
// appointment that was not confirmed.
func (s *Store) SetAttendance(ctx context.Context, id int64, status booking.Status, now time.Time) (booking.Appointment, error) {
	if status != booking.Attended && status != booking.NoShow {
		return booking.Appointment{}, fmt.Errorf("store: SetAttendance: status %q", status)
	}
	a, err := scanAppointment(s.queryRowW(ctx, `UPDATE appointments SET status = ?, attendance_at = ?, upcoming = 0
		WHERE id = ? AND status IN ('confirmed', 'attended', 'no_show') AND starts_at <= ? RETURNING `+appointmentCols,
		string(status), s.d.ts(now), id, s.d.ts(now)))
	if errors.Is(err, sql.ErrNoRows) {
		if _, ferr := s.FindAppointment(ctx, id); ferr != nil {
			return a, ferr
		}
		return a, apperr.Wrap(apperr.Conflict, errAttendanceTooEarly, err)
	}
	return a, s.d.translate(err)
}

// AppointmentFilter selects appointments in ListAppointments. Empty fields
// select everything.
type AppointmentFilter struct {
	HelpPointID int64
	From, To    time.Time // starting at or after From, before To
	Statuses    []booking.Status
	PersonKey   string
	Limit       int // default 1000, at most 5000
}

// ListAppointments returns the appointments f selects, by start and seat:
// a help point's agenda for a day or a week, a person's appointments.
func (s *Store) ListAppointments(ctx context.Context, f AppointmentFilter) ([]booking.Appointment, error) {
	var (
		where []string
		args  []any
	)
	if f.HelpPointID != 0 {
		where, args = append(where, `help_point_id = ?`), append(args, f.HelpPointID)
	}
	if !f.From.IsZero() {
		where, args = append(where, `starts_at >= ?`), append(args, s.d.ts(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, `starts_at < ?`), append(args, s.d.ts(f.To))
	}
	if f.PersonKey != "" {
		where, args = append(where, `person_key = ?`), append(args, f.PersonKey)
	}
	if len(f.Statuses) > 0 {
		where = append(where, `status IN (?`+strings.Repeat(`, ?`, len(f.Statuses)-1)+`)`)
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q := `SELECT ` + appointmentCols + ` FROM appointments`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := s.query(ctx, q+` ORDER BY starts_at, seat, id LIMIT ?`, append(args, min(limit, 5000))...)
	if err != nil {
		return nil, err
	}
	return collectAppointments(s, rows)
}

func collectAppointments(s *Store, rows *sql.Rows) ([]booking.Appointment, error) {
	defer rows.Close()
	var out []booking.Appointment
	for rows.Next() {
		a, err := scanAppointment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, s.d.translate(rows.Err())
}

// ListDueReminders returns up to limit confirmed appointments whose
// reminder is due at now and not sent, still to come, oldest due first.
func (s *Store) ListDueReminders(ctx context.Context, now time.Time, limit int) ([]booking.Appointment, error) {
	rows, err := s.query(ctx, `SELECT `+appointmentCols+` FROM appointments
		WHERE status = 'confirmed' AND reminder_sent_at IS NULL AND reminder_due_at <= ? AND starts_at > ?
		ORDER BY reminder_due_at, id LIMIT ?`, s.d.ts(now), s.d.ts(now), limit)
	if err != nil {
		return nil, err
	}
	return collectAppointments(s, rows)
}

// ClaimReminder marks the reminder of an appointment sent at now, if it is
// still due and unsent, and reports whether this call did it: of two
// instances claiming the same reminder, one gets true. Call it in the
// transaction that enqueues the mail, so the mark and the mail go together.
func (s *Store) ClaimReminder(ctx context.Context, id int64, now time.Time) (booking.Appointment, bool, error) {
	a, err := scanAppointment(s.queryRowW(ctx, `UPDATE appointments SET reminder_sent_at = ?
		WHERE id = ? AND status = 'confirmed' AND reminder_sent_at IS NULL AND reminder_due_at <= ? AND starts_at > ?
		RETURNING `+appointmentCols, s.d.ts(now), id, s.d.ts(now), s.d.ts(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	return a, err == nil, s.d.translate(err)
}

// ListExpiredHolds returns up to limit pending appointments whose hold
// ended at now, oldest first.
func (s *Store) ListExpiredHolds(ctx context.Context, now time.Time, limit int) ([]booking.Appointment, error) {
	rows, err := s.query(ctx, `SELECT `+appointmentCols+` FROM appointments
		WHERE status = 'pending' AND hold_until <= ? ORDER BY hold_until, id LIMIT ?`, s.d.ts(now), limit)
	if err != nil {
		return nil, err
	}
	return collectAppointments(s, rows)
}
