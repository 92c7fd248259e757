package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

// Practical-exam places (issue 14): centres, releases, places, the
// release's queue and the bookings. The guarantees are the database's: a
// place has one active booking at most (exam_bookings_place), a candidate
// one active booking per category (exam_bookings_pending), a queue one
// entry per candidate and category, and a release is drawn once.

// ExamCentre is an exam centre.
type ExamCentre struct {
	ID          int64
	Code        string
	Name        string
	Departement string
	Address     string
}

// ExamRelease is a publication of places opening at OpensAt.
type ExamRelease struct {
	ID          int64
	CentreID    int64
	OpensAt     time.Time
	PublishedBy int64
	CreatedAt   time.Time
	DrawnAt     *time.Time
}

// ExamSlot is a half-day of a centre for a category: what a candidate asks.
type ExamSlot struct {
	CentreID int64
	Day      date.Date
	Half     string // "am" or "pm"
	Category string
}

// ExamSlotCapacity is how many places a release opens in a slot.
type ExamSlotCapacity struct {
	ExamSlot
	Places int
}

// ExamSlotView is a slot with its places: how many, how many free, and when
// they open.
type ExamSlotView struct {
	ExamSlot
	ReleaseID int64
	OpensAt   time.Time
	Places    int
	Free      int
}

// ExamBooking is a place booked by name.
type ExamBooking struct {
	ID           int64
	Reference    string
	PlaceID      int64
	NEPH         string
	Category     string
	BookerID     int64
	BookerRole   string
	MandateRef   string
	Email        string
	Details      string // JSON
	State        string // booked, cancelled, late_cancelled, done
	Result       string // favourable, unfavourable, absent, or ""
	ForceMajeure bool
	CreatedAt    time.Time
	CancelledAt  *time.Time
	// From the place, when read back.
	Slot       ExamSlot
	CentreName string
}

// ExamQueueEntry is a request received in a release's window.
type ExamQueueEntry struct {
	ID         int64
	ReleaseID  int64
	NEPH       string
	Category   string
	BookerID   int64
	BookerRole string
	MandateRef string
	Email      string
	Details    string
	JoinedAt   time.Time
	Outcome    string
}

// Errors of a booking, for callers that react to each (errors.Is).
var (
	ErrNoFreePlace   = errors.New("store: no free place in the slot")
	ErrPlacePending  = errors.New("store: the candidate already holds a place of the category")
	ErrAlreadyQueued = errors.New("store: the candidate is already in the release's queue")
)

// CreateExamCentre records c and sets its id.
func (s *Store) CreateExamCentre(ctx context.Context, c *ExamCentre) error {
	err := s.queryRowW(ctx, `INSERT INTO exam_centres (code, name, departement, address) VALUES (?, ?, ?, ?) RETURNING id`,
		c.Code, c.Name, c.Departement, c.Address).Scan(&c.ID)
	return s.d.translate(err)
}

// ListExamCentres returns every centre, by code.
func (s *Store) ListExamCentres(ctx context.Context) ([]ExamCentre, error) {
	rows, err := s.query(ctx, `SELECT id, code, name, departement, address FROM exam_centres ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExamCentre
	for rows.Next() {
		var c ExamCentre
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Departement, &c.Address); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

// CreateExamRelease records r and its places, numbered after the seats
// the slot already has, in one transaction.
func (s *Store) CreateExamRelease(ctx context.Context, r *ExamRelease, slots []ExamSlotCapacity) error {
	r.CreatedAt = s.now()
	return s.Transact(ctx, func(tx *Store) error {
		if err := tx.queryRowW(ctx, `INSERT INTO exam_releases (centre_id, opens_at, published_by, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`, r.CentreID, tx.d.ts(r.OpensAt), r.PublishedBy, tx.d.ts(r.CreatedAt)).Scan(&r.ID); err != nil {
			return tx.d.translate(err)
		}
		for _, sl := range slots {
			var last int
			if err := tx.queryRowW(ctx, `SELECT coalesce(max(seat), 0) FROM exam_places
				WHERE centre_id = ? AND day = ? AND half = ? AND category = ?`, sl.CentreID, sl.Day, sl.Half, sl.Category).Scan(&last); err != nil {
				return tx.d.translate(err)
			}
			for seat := last + 1; seat <= last+sl.Places; seat++ {
				if _, err := tx.exec(ctx, `INSERT INTO exam_places (release_id, centre_id, day, half, category, seat)
					VALUES (?, ?, ?, ?, ?, ?)`, r.ID, sl.CentreID, sl.Day, sl.Half, sl.Category, seat); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// FindExamRelease returns the release, or not_found.
func (s *Store) FindExamRelease(ctx context.Context, id int64) (ExamRelease, error) {
	var r ExamRelease
	err := s.queryRow(ctx, `SELECT id, centre_id, opens_at, published_by, created_at, drawn_at FROM exam_releases WHERE id = ?`, id).
		Scan(&r.ID, &r.CentreID, timestamp{&r.OpensAt}, &r.PublishedBy, timestamp{&r.CreatedAt}, nullTime{&r.DrawnAt})
	return r, notFound(s.d.translate(err), "Publication de places introuvable.")
}

// ListExamSlots returns the slots of the centre (0: every centre) and
// category from day on, with their free places, by day and half.
func (s *Store) ListExamSlots(ctx context.Context, centreID int64, category string, from date.Date) ([]ExamSlotView, error) {
	rows, err := s.query(ctx, `SELECT p.centre_id, p.day, p.half, p.category, p.release_id, r.opens_at, count(*),
			count(*) - count(b.id)
		FROM exam_places p JOIN exam_releases r ON r.id = p.release_id
		LEFT JOIN exam_bookings b ON b.place_id = p.id AND b.active = 1
		WHERE (? = 0 OR p.centre_id = ?) AND p.category = ? AND p.day >= ?
		GROUP BY p.centre_id, p.day, p.half, p.category, p.release_id, r.opens_at
		ORDER BY p.day, p.half, p.centre_id, r.opens_at`, centreID, centreID, category, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExamSlotView
	for rows.Next() {
		var v ExamSlotView
		if err := rows.Scan(&v.CentreID, &v.Day, &v.Half, &v.Category, &v.ReleaseID, timestamp{&v.OpensAt}, &v.Places, &v.Free); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, v)
	}
	return out, s.d.translate(rows.Err())
}

// BookExamPlace gives b the first free place of the slot among those of
// releases opened at now, and sets b's id, place and state. It is a
// conflict wrapping ErrPlacePending when the candidate already holds a
// place of the category, ErrNoFreePlace when none is free (including when
// another booking took the last an instant before: the database refuses
// the second).
func (s *Store) BookExamPlace(ctx context.Context, b *ExamBooking, slot ExamSlot, now time.Time) error {
	b.CreatedAt, b.State = now, "booked"
	return s.Transact(ctx, func(tx *Store) error {
		ids, err := tx.freePlaces(ctx, slot, now)
		if err != nil {
			return err
		}
		for _, id := range ids {
			ok, err := tx.tryPlace(ctx, b, id)
			if err != nil || ok {
				return err
			}
		}
		b.ID, b.PlaceID = 0, 0
		return apperr.Wrap(apperr.Conflict, "Toutes les places de cette demi-journée viennent d'être réservées : choisissez-en une autre.", ErrNoFreePlace)
	})
}

// BookExamPlaceID is BookExamPlace for one given place (the draw's).
func (s *Store) BookExamPlaceID(ctx context.Context, b *ExamBooking, placeID int64, now time.Time) (bool, error) {
	b.CreatedAt, b.State = now, "booked"
	return s.tryPlace(ctx, b, placeID)
}

func (s *Store) freePlaces(ctx context.Context, slot ExamSlot, now time.Time) ([]int64, error) {
	return s.ids(ctx, `SELECT p.id FROM exam_places p JOIN exam_releases r ON r.id = p.release_id
		WHERE p.centre_id = ? AND p.day = ? AND p.half = ? AND p.category = ? AND r.opens_at <= ?
		AND NOT EXISTS (SELECT 1 FROM exam_bookings b WHERE b.place_id = p.id AND b.active = 1)
		ORDER BY p.seat`, slot.CentreID, slot.Day, slot.Half, slot.Category, s.d.ts(now))
}

// tryPlace inserts b on the place inside a savepoint: a place taken in the
// meantime reports false; the candidate's pending place is a conflict.
func (s *Store) tryPlace(ctx context.Context, b *ExamBooking, placeID int64) (bool, error) {
	errPending := errors.New("pending")
	err := s.savepoint(ctx, func() error {
		err := s.queryRowW(ctx, `INSERT INTO exam_bookings (reference, place_id, neph, category, booker_id, booker_role,
			mandate_ref, email, details, state, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', 1, ?)
			ON CONFLICT (neph, category) WHERE active = 1 DO NOTHING RETURNING id`,
			b.Reference, placeID, b.NEPH, b.Category, b.BookerID, b.BookerRole, b.MandateRef, b.Email, b.Details,
			s.d.ts(b.CreatedAt)).Scan(&b.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return errPending
		}
		return s.d.translate(err)
	})
	switch {
	case err == nil:
		b.PlaceID = placeID
		return true, nil
	case errors.Is(err, errPending):
		return false, apperr.Wrap(apperr.Conflict, "Ce candidat a déjà une place d'examen réservée pour cette catégorie.", ErrPlacePending)
	case apperr.Is(err, apperr.Conflict):
		return false, nil
	}
	return false, err
}

const bookingCols = `b.id, b.reference, b.place_id, b.neph, b.category, b.booker_id, b.booker_role, b.mandate_ref, b.email,
	b.details, b.state, coalesce(b.result, ''), b.force_majeure, b.created_at, b.cancelled_at,
	p.centre_id, p.day, p.half, p.category, c.name`

const bookingFrom = ` FROM exam_bookings b JOIN exam_places p ON p.id = b.place_id JOIN exam_centres c ON c.id = p.centre_id`

func scanBooking(sc scanner) (ExamBooking, error) {
	var b ExamBooking
	err := sc.Scan(&b.ID, &b.Reference, &b.PlaceID, &b.NEPH, &b.Category, &b.BookerID, &b.BookerRole, &b.MandateRef,
		&b.Email, &b.Details, &b.State, &b.Result, &b.ForceMajeure, timestamp{&b.CreatedAt}, nullTime{&b.CancelledAt},
		&b.Slot.CentreID, &b.Slot.Day, &b.Slot.Half, &b.Slot.Category, &b.CentreName)
	return b, err
}

// FindExamBooking returns the booking with that reference, or not_found.
func (s *Store) FindExamBooking(ctx context.Context, ref string) (ExamBooking, error) {
	b, err := scanBooking(s.queryRow(ctx, `SELECT `+bookingCols+bookingFrom+` WHERE b.reference = ?`, ref))
	return b, notFound(s.d.translate(err), "Réservation introuvable.")
}

// ListExamBookings returns the candidate's bookings, the latest place first.
func (s *Store) ListExamBookings(ctx context.Context, neph string) ([]ExamBooking, error) {
	return s.listBookings(ctx, ` WHERE b.neph = ? ORDER BY p.day DESC, b.id DESC`, neph)
}

// ListExamBookingsOfSlot returns the bookings of a centre's half-day, for
// the examiner, by seat.
func (s *Store) ListExamBookingsOfSlot(ctx context.Context, centreID int64, day date.Date, half string) ([]ExamBooking, error) {
	return s.listBookings(ctx, ` WHERE p.centre_id = ? AND p.day = ? AND p.half = ? AND b.state IN ('booked', 'done', 'late_cancelled')
		ORDER BY p.category, p.seat`, centreID, day, half)
}

func (s *Store) listBookings(ctx context.Context, where string, args ...any) ([]ExamBooking, error) {
	rows, err := s.query(ctx, `SELECT `+bookingCols+bookingFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExamBooking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, b)
	}
	return out, s.d.translate(rows.Err())
}

// CancelExamBooking frees the booking's place: state cancelled, or
// late_cancelled (a strike) when late. Only a booked place can be
// cancelled: anything else is a conflict.
func (s *Store) CancelExamBooking(ctx context.Context, id int64, late bool, now time.Time) error {
	state := "cancelled"
	if late {
		state = "late_cancelled"
	}
	res, err := s.exec(ctx, `UPDATE exam_bookings SET state = ?, active = 0, cancelled_at = ? WHERE id = ? AND state = 'booked'`,
		state, s.d.ts(now), id)
	return oneRow(res, err, "Cette réservation n'est plus en cours : elle ne peut pas être annulée.")
}

// RecordExamResult records the examiner's result of a booked place.
func (s *Store) RecordExamResult(ctx context.Context, id int64, result string, examiner int64, now time.Time) error {
	res, err := s.exec(ctx, `UPDATE exam_bookings SET state = 'done', active = 0, result = ?, examiner_id = ?, result_at = ?
		WHERE id = ? AND state = 'booked'`, result, examiner, s.d.ts(now), id)
	return oneRow(res, err, "Le résultat de cet examen est déjà enregistré, ou la place a été annulée.")
}

// ExcuseExamBooking records an agent's acceptance of a force majeure: the
// absence or late cancellation no longer blocks.
func (s *Store) ExcuseExamBooking(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, `UPDATE exam_bookings SET force_majeure = ? WHERE id = ? AND (state = 'late_cancelled' OR result = 'absent')`, true, id)
	return oneRow(res, err, "Seule une absence ou une annulation tardive peut être excusée.")
}

func oneRow(res sql.Result, err error, conflict string) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return apperr.New(apperr.Conflict, conflict)
	}
	return nil
}

// JoinExamQueue records a request received in a release's window. A second
// entry of the candidate for the category is a conflict wrapping
// ErrAlreadyQueued.
func (s *Store) JoinExamQueue(ctx context.Context, q *ExamQueueEntry) error {
	q.JoinedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO exam_queue (release_id, neph, category, booker_id, booker_role, mandate_ref, email,
		details, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, q.ReleaseID, q.NEPH, q.Category, q.BookerID,
		q.BookerRole, q.MandateRef, q.Email, q.Details, s.d.ts(q.JoinedAt)).Scan(&q.ID)
	if err = s.d.translate(err); apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "Votre demande est déjà dans la file de cette ouverture : le tirage aura lieu à la fin de la fenêtre.", ErrAlreadyQueued)
	}
	return err
}

// ClaimExamDraw marks the release drawn with seed, if nobody did: true for
// the one caller that does. Call it in the transaction of the draw.
func (s *Store) ClaimExamDraw(ctx context.Context, releaseID int64, seed []byte, now time.Time) (bool, error) {
	res, err := s.exec(ctx, `UPDATE exam_releases SET drawn_at = ?, seed = ? WHERE id = ? AND drawn_at IS NULL`, s.d.ts(now), seed, releaseID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ListExamQueue returns the release's queue in the order entries joined.
func (s *Store) ListExamQueue(ctx context.Context, releaseID int64) ([]ExamQueueEntry, error) {
	rows, err := s.query(ctx, `SELECT id, release_id, neph, category, booker_id, booker_role, mandate_ref, email, details,
		joined_at, coalesce(outcome, '') FROM exam_queue WHERE release_id = ? ORDER BY id`, releaseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExamQueueEntry
	for rows.Next() {
		var q ExamQueueEntry
		if err := rows.Scan(&q.ID, &q.ReleaseID, &q.NEPH, &q.Category, &q.BookerID, &q.BookerRole, &q.MandateRef, &q.Email,
			&q.Details, timestamp{&q.JoinedAt}, &q.Outcome); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, q)
	}
	return out, s.d.translate(rows.Err())
}

// SetExamQueueOutcome records what the draw gave an entry.
func (s *Store) SetExamQueueOutcome(ctx context.Context, id int64, outcome string) error {
	_, err := s.exec(ctx, `UPDATE exam_queue SET outcome = ? WHERE id = ?`, outcome, id)
	return err
}

// FreePlacesOfRelease returns the release's places without an active
// booking, by day, half and seat.
func (s *Store) FreePlacesOfRelease(ctx context.Context, releaseID int64, category string) ([]int64, error) {
	return s.ids(ctx, `SELECT p.id FROM exam_places p WHERE p.release_id = ? AND p.category = ?
		AND NOT EXISTS (SELECT 1 FROM exam_bookings b WHERE b.place_id = p.id AND b.active = 1)
		ORDER BY p.day, p.half, p.seat`, releaseID, category)
}

// ListUndrawnReleases returns the releases opened at or before openedBy
// that have a queue and were not drawn yet.
func (s *Store) ListUndrawnReleases(ctx context.Context, openedBy time.Time) ([]int64, error) {
	return s.ids(ctx, `SELECT r.id FROM exam_releases r WHERE r.drawn_at IS NULL AND r.opens_at <= ?
		AND EXISTS (SELECT 1 FROM exam_queue q WHERE q.release_id = r.id) ORDER BY r.id`, s.d.ts(openedBy))
}
