package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/stamp"
)

// Electronic fiscal stamps (REFERENCE §8). Every change of state is ONE
// conditional UPDATE whose WHERE clause is the domain's precondition
// (stamp.Stamp.Reserve, Consume, Release, Refund), with RETURNING: of any
// number of concurrent attempts on one number, from any number of server
// instances, exactly one matches the row. When none matches, the row is read
// back and the domain function says why, in French.

const stampCols = `id, number, amount_cents, purchased_at, valid_until, refundable_until, transaction_ref, state,
	coalesce(request_ref, ''), reserved_at, consumed_at, released_at, refunded_at, created_at, updated_at`

func scanStamp(sc scanner) (stamp.Stamp, error) {
	var (
		st     stamp.Stamp
		number string
		amount int64
		state  string
	)
	err := sc.Scan(&st.ID, &number, &amount, timestamp{&st.PurchasedAt}, &st.ValidUntil, &st.RefundableUntil,
		&st.TransactionRef, &state, &st.RequestRef, nullTime{&st.ReservedAt}, nullTime{&st.ConsumedAt},
		nullTime{&st.ReleasedAt}, nullTime{&st.RefundedAt}, timestamp{&st.CreatedAt}, timestamp{&st.UpdatedAt})
	st.Number, st.Amount, st.State = stamp.Number(number), stamp.Amount(amount), stamp.State(state)
	return st, err
}

// RegisterStamp records a stamp the service has learnt of (bought through
// the payment provider, or entered by its number and confirmed by the
// issuer), available, and returns it with its ID and timestamps. Build st
// with stamp.Config.New. A number already recorded is a conflict of class
// stamp.ErrExists.
func (s *Store) RegisterStamp(ctx context.Context, st stamp.Stamp) (stamp.Stamp, error) {
	if st.State != stamp.Available || st.RequestRef != "" {
		return st, apperr.New(apperr.Internal, "Un timbre fiscal s'enregistre disponible, sans demande.")
	}
	now := s.now()
	st.CreatedAt, st.UpdatedAt = now, now
	err := s.queryRowW(ctx, `INSERT INTO stamps (number, amount_cents, purchased_at, valid_until, refundable_until,
		transaction_ref, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(st.Number), int64(st.Amount), s.d.ts(st.PurchasedAt), st.ValidUntil, st.RefundableUntil,
		st.TransactionRef, string(st.State), s.d.ts(now), s.d.ts(now)).Scan(&st.ID)
	if err := s.d.translate(err); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return st, stamp.Exists()
		}
		return st, err
	}
	return st, nil
}

// FindStamp returns the stamp with that number, whatever its state, or a
// not_found error of class stamp.ErrUnknown.
func (s *Store) FindStamp(ctx context.Context, n stamp.Number) (stamp.Stamp, error) {
	st, err := scanStamp(s.queryRow(ctx, `SELECT `+stampCols+` FROM stamps WHERE number = ?`, string(n)))
	if errors.Is(err, sql.ErrNoRows) {
		return st, stamp.Unknown()
	}
	return st, s.d.translate(err)
}

// ListStampsOfRequest returns the stamps reserved for or consumed by the
// request ref, oldest first.
func (s *Store) ListStampsOfRequest(ctx context.Context, ref string) ([]stamp.Stamp, error) {
	rows, err := s.query(ctx, `SELECT `+stampCols+` FROM stamps WHERE request_ref = ? ORDER BY id`, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stamp.Stamp
	for rows.Next() {
		st, err := scanStamp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, s.d.translate(rows.Err())
}

// ReserveStamp attaches the available stamp n to the request ref when it is
// filed at now: it must be valid on that day (Paris) and worth at least due.
// Exactly one of any number of concurrent reservations of one stamp
// succeeds; the others get a conflict of class stamp.ErrReserved (or the
// error that explains the stamp's state: unknown, expired, consumed…).
func (s *Store) ReserveStamp(ctx context.Context, n stamp.Number, ref string, due stamp.Amount, now time.Time) (stamp.Stamp, error) {
	if ref == "" {
		return stamp.Stamp{}, apperr.New(apperr.Invalid, "Référence de demande manquante.")
	}
	st, err := scanStamp(s.queryRowW(ctx, `UPDATE stamps SET state = 'reserved', request_ref = ?, reserved_at = ?, updated_at = ?
		WHERE number = ? AND state = 'available' AND valid_until >= ? AND amount_cents >= ?
		RETURNING `+stampCols, ref, s.d.ts(now), s.d.ts(now), string(n), date.Today(now), int64(due)))
	return s.stampOutcome(ctx, n, st, err, func(cur stamp.Stamp) error {
		_, err := cur.Reserve(ref, now, due)
		return err
	})
}

// ConsumeStamp marks the stamp reserved for ref as used, when the request is
// accepted at now. Run it in the acceptance's transaction.
func (s *Store) ConsumeStamp(ctx context.Context, n stamp.Number, ref string, now time.Time) (stamp.Stamp, error) {
	st, err := scanStamp(s.queryRowW(ctx, `UPDATE stamps SET state = 'consumed', consumed_at = ?, updated_at = ?
		WHERE number = ? AND state = 'reserved' AND request_ref = ?
		RETURNING `+stampCols, s.d.ts(now), s.d.ts(now), string(n), ref))
	return s.stampOutcome(ctx, n, st, err, func(cur stamp.Stamp) error {
		_, err := cur.Consume(ref, now)
		return err
	})
}

// ReleaseStamp makes the stamp reserved for ref available again, when the
// request is rejected at now. Run it in the rejection's transaction.
func (s *Store) ReleaseStamp(ctx context.Context, n stamp.Number, ref string, now time.Time) (stamp.Stamp, error) {
	st, err := scanStamp(s.queryRowW(ctx, `UPDATE stamps SET state = 'available', request_ref = NULL, released_at = ?, updated_at = ?
		WHERE number = ? AND state = 'reserved' AND request_ref = ?
		RETURNING `+stampCols, s.d.ts(now), s.d.ts(now), string(n), ref))
	return s.stampOutcome(ctx, n, st, err, func(cur stamp.Stamp) error {
		_, err := cur.Release(ref, now)
		return err
	})
}

// MarkStampRefunded records the refund of an available stamp at now, within
// its refund window (18 months after the purchase).
func (s *Store) MarkStampRefunded(ctx context.Context, n stamp.Number, now time.Time) (stamp.Stamp, error) {
	st, err := scanStamp(s.queryRowW(ctx, `UPDATE stamps SET state = 'refunded', refunded_at = ?, updated_at = ?
		WHERE number = ? AND state = 'available' AND refundable_until >= ?
		RETURNING `+stampCols, s.d.ts(now), s.d.ts(now), string(n), date.Today(now)))
	return s.stampOutcome(ctx, n, st, err, func(cur stamp.Stamp) error {
		_, err := cur.Refund(now)
		return err
	})
}

// stampOutcome returns the updated stamp, or, when the conditional UPDATE
// matched no row, the reason: unknown number, or the domain's refusal of
// the stamp as it now is.
func (s *Store) stampOutcome(ctx context.Context, n stamp.Number, st stamp.Stamp, err error, explain func(stamp.Stamp) error) (stamp.Stamp, error) {
	if err == nil {
		return st, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return stamp.Stamp{}, s.d.translate(err)
	}
	cur, ferr := s.FindStamp(ctx, n)
	if ferr != nil {
		return stamp.Stamp{}, ferr
	}
	if why := explain(cur); why != nil {
		return cur, why
	}
	// The row changed between the UPDATE and this read (another request
	// released it meanwhile): nothing was done; trying again may succeed.
	return cur, apperr.New(apperr.Conflict, "Ce timbre fiscal vient de changer d'état. Veuillez réessayer.")
}
