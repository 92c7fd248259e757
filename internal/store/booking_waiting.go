package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
)

// The waiting list: people in line for a freed slot of one kind at one help
// point. A freed slot is offered to the first in line (ClaimNextWaiting),
// held for them as a pending appointment; see docs/appointments.md.

const waitingCols = `id, help_point_id, kind_id, person_key, user_id, name, email, phone, from_day, to_day, status,
	created_at, queued_at, hold_until, confirm_hash, manage_hash, appointment_id`

func scanWaiting(sc scanner) (booking.WaitingEntry, error) {
	var (
		e              booking.WaitingEntry
		status         string
		userID, apptID sql.NullInt64
	)
	err := sc.Scan(&e.ID, &e.HelpPointID, &e.KindID, &e.PersonKey, &userID, &e.Name, &e.Email, &e.Phone, &e.From, &e.To,
		&status, timestamp{&e.CreatedAt}, nullTime{&e.QueuedAt}, nullTime{&e.HoldUntil}, &e.ConfirmHash, &e.ManageHash, &apptID)
	e.Status, e.UserID, e.AppointmentID = booking.WaitingStatus(status), userID.Int64, apptID.Int64
	return e, err
}

const errUnknownWaiting = "Cette inscription sur la liste d'attente n'existe pas."

// CreateWaitingEntry records e as given (unconfirmed with HoldUntil and
// ConfirmHash, or waiting with QueuedAt) and sets its ID and CreatedAt. A
// conflict when the person already has a live entry for this help point and
// kind.
func (s *Store) CreateWaitingEntry(ctx context.Context, e *booking.WaitingEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.now()
	}
	err := s.queryRowW(ctx, `INSERT INTO waiting_list (help_point_id, kind_id, person_key, user_id, name, email, phone,
		from_day, to_day, status, created_at, queued_at, hold_until, confirm_hash, manage_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (help_point_id, kind_id, person_key) WHERE status IN ('unconfirmed', 'waiting', 'offered') DO NOTHING
		RETURNING id`, e.HelpPointID, e.KindID, e.PersonKey, nullID(e.UserID), e.Name, e.Email, e.Phone, e.From, e.To,
		string(e.Status), s.d.ts(e.CreatedAt), s.nullTS(e.QueuedAt), s.nullTS(e.HoldUntil), nullBytes(e.ConfirmHash),
		nullBytes(e.ManageHash)).Scan(&e.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(apperr.Conflict, "Vous êtes déjà inscrit sur la liste d'attente de ce lieu pour ce type de rendez-vous.", err)
	}
	return s.d.translate(err)
}

// FindWaitingEntry returns the entry id, or not_found.
func (s *Store) FindWaitingEntry(ctx context.Context, id int64) (booking.WaitingEntry, error) {
	e, err := scanWaiting(s.queryRow(ctx, `SELECT `+waitingCols+` FROM waiting_list WHERE id = ?`, id))
	return e, notFound(s.d.translate(err), errUnknownWaiting)
}

// FindWaitingByConfirmHash returns the unconfirmed entry whose
// confirmation link has this token hash, or not_found.
func (s *Store) FindWaitingByConfirmHash(ctx context.Context, hash []byte) (booking.WaitingEntry, error) {
	e, err := scanWaiting(s.queryRow(ctx, `SELECT `+waitingCols+` FROM waiting_list WHERE confirm_hash = ?`, hash))
	return e, notFound(s.d.translate(err), "Ce lien n'est plus valable : l'inscription a déjà été confirmée, ou le délai est dépassé.")
}

// FindWaitingByManageHash returns the entry whose "leave the list" link has
// this token hash, or not_found.
func (s *Store) FindWaitingByManageHash(ctx context.Context, hash []byte) (booking.WaitingEntry, error) {
	e, err := scanWaiting(s.queryRow(ctx, `SELECT `+waitingCols+` FROM waiting_list WHERE manage_hash = ?`, hash))
	return e, notFound(s.d.translate(err), errUnknownWaiting)
}

// ConfirmWaitingEntry puts an unconfirmed entry in line at now, if its
// confirmation delay has not ended.
func (s *Store) ConfirmWaitingEntry(ctx context.Context, id int64, now time.Time) (booking.WaitingEntry, error) {
	e, err := scanWaiting(s.queryRowW(ctx, `UPDATE waiting_list SET status = 'waiting', queued_at = ?, hold_until = NULL,
		confirm_hash = NULL WHERE id = ? AND status = 'unconfirmed' AND hold_until > ? RETURNING `+waitingCols,
		s.d.ts(now), id, s.d.ts(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return e, apperr.Wrap(apperr.Conflict, "Le délai de confirmation est dépassé. Inscrivez-vous de nouveau.", err)
	}
	return e, s.d.translate(err)
}

// SetWaitingStatus moves the entry id to status to, if it is in one of
// from, and reports whether it did.
func (s *Store) SetWaitingStatus(ctx context.Context, id int64, to booking.WaitingStatus, from ...booking.WaitingStatus) (booking.WaitingEntry, bool, error) {
	args := []any{string(to), id}
	for _, f := range from {
		args = append(args, string(f))
	}
	e, err := scanWaiting(s.queryRowW(ctx, `UPDATE waiting_list SET status = ?, confirm_hash = NULL, hold_until = NULL
		WHERE id = ? AND status IN (?`+strings.Repeat(`, ?`, len(from)-1)+`) RETURNING `+waitingCols, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, s.d.translate(err)
}

// ClaimNextWaiting takes the first person in line for a slot of kindID at
// helpPointID on day (their days include it) and marks their entry offered,
// in one statement: two instances freeing slots at the same time never
// offer both to the same person (PostgreSQL skips a row another
// transaction holds). not_found when nobody is waiting.
func (s *Store) ClaimNextWaiting(ctx context.Context, helpPointID, kindID int64, day date.Date) (booking.WaitingEntry, error) {
	lock := ""
	if s.d.dollar {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	e, err := scanWaiting(s.queryRowW(ctx, `UPDATE waiting_list SET status = 'offered'
		WHERE id = (SELECT id FROM waiting_list WHERE help_point_id = ? AND kind_id = ? AND status = 'waiting'
			AND from_day <= ? AND to_day >= ? ORDER BY queued_at, id LIMIT 1`+lock+`) AND status = 'waiting'
		RETURNING `+waitingCols, helpPointID, kindID, day, day))
	return e, notFound(s.d.translate(err), "Personne n'attend ce créneau.")
}

// SetWaitingAppointment records the appointment offered to (or accepted
// by) the entry id.
func (s *Store) SetWaitingAppointment(ctx context.Context, id, appointmentID int64) error {
	_, err := s.exec(ctx, `UPDATE waiting_list SET appointment_id = ? WHERE id = ?`, appointmentID, id)
	return err
}

// LapseWaitingEntries lapses the entries not confirmed in time and those
// whose last day is before today, and returns how many.
func (s *Store) LapseWaitingEntries(ctx context.Context, now time.Time, today date.Date) (int64, error) {
	res, err := s.exec(ctx, `UPDATE waiting_list SET status = 'lapsed', confirm_hash = NULL, hold_until = NULL
		WHERE (status = 'unconfirmed' AND hold_until <= ?) OR (status = 'waiting' AND to_day < ?)`, s.d.ts(now), today)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// WaitingFilter selects entries in ListWaiting; empty fields select all.
type WaitingFilter struct {
	HelpPointID int64
	KindID      int64
	PersonKey   string
	Statuses    []booking.WaitingStatus
}

// ListWaiting returns the entries f selects, in line order (the queued
// first, by the time they were queued, then the others by id).
func (s *Store) ListWaiting(ctx context.Context, f WaitingFilter) ([]booking.WaitingEntry, error) {
	var (
		where []string
		args  []any
	)
	if f.HelpPointID != 0 {
		where, args = append(where, `help_point_id = ?`), append(args, f.HelpPointID)
	}
	if f.KindID != 0 {
		where, args = append(where, `kind_id = ?`), append(args, f.KindID)
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
	q := `SELECT ` + waitingCols + ` FROM waiting_list`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := s.query(ctx, q+` ORDER BY CASE WHEN queued_at IS NULL THEN 1 ELSE 0 END, queued_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []booking.WaitingEntry
	for rows.Next() {
		e, err := scanWaiting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, s.d.translate(rows.Err())
}
