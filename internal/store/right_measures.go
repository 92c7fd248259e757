package store

import (
	"context"

	"permis/internal/date"
	"permis/internal/licence"
)

// The register's history of the driving right (table right_measures,
// migration 0001): one row per measure — retention, suspension,
// invalidation, annulment — with its first day and, when known, its last.
// An invalidation's first day is the day its letter 48SI was notified: the
// day the licence lost its validity (C. route L223-5), the date the repeat
// rule of L223-5 II counts from (docs/exams.md).

// Kinds of right measures.
const (
	MeasureRetention    = "retention"
	MeasureSuspension   = "suspension"
	MeasureInvalidation = "invalidation"
	MeasureAnnulment    = "annulment"
)

// RightMeasure is one entry of a licence's history of the right.
type RightMeasure struct {
	ID        int64
	LicenceID int64
	Kind      string    // MeasureInvalidation…
	Start     date.Date // for an invalidation: the 48SI's notification
	End       date.Null // the end of the wait, of the suspension, of the ban
	Reason    string
	Ref       string // the decision's reference (the 48SI's number)
}

// CurrentMeasure is the history entry of the measure l's state says is in
// force (none for a valid right): what a register loaded in bulk records
// (BulkLoad), so that its history of the right is never empty of the
// measures its states show — an invalidation's 48SI is the "other
// invalidation" a later comeback counts (C. route L223-5 II).
func CurrentMeasure(l licence.Licence) (RightMeasure, bool) {
	m := RightMeasure{LicenceID: l.ID, Start: l.StateSince, End: l.StateUntil}
	switch l.State {
	case licence.StateRetained:
		m.Kind, m.Reason = MeasureRetention, "rétention du permis"
	case licence.StateSuspendedAdmin:
		m.Kind, m.Reason = MeasureSuspension, "suspension administrative"
	case licence.StateSuspendedCourt:
		m.Kind, m.Reason = MeasureSuspension, "suspension judiciaire"
	case licence.StateInvalidated:
		m.Kind, m.Reason = MeasureInvalidation, "solde de points nul (lettre 48SI)"
	case licence.StateAnnulled:
		m.Kind, m.Reason = MeasureAnnulment, "annulation judiciaire"
	default:
		return RightMeasure{}, false
	}
	return m, true
}

// AddRightMeasure records m in the licence's history and sets m.ID.
func (s *Store) AddRightMeasure(ctx context.Context, m *RightMeasure) error {
	err := s.queryRowW(ctx, `INSERT INTO right_measures (licence_id, kind, start_date, end_date, reason, ref)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, m.LicenceID, m.Kind, m.Start, m.End, m.Reason, m.Ref).Scan(&m.ID)
	return s.d.translate(err)
}

// InvalidationNotifiedBefore returns the day the latest invalidation of
// the licence notified strictly before day was notified, or Null when the
// history holds none: the "other invalidation" of C. route L223-5 II.
func (s *Store) InvalidationNotifiedBefore(ctx context.Context, licenceID int64, day date.Date) (date.Null, error) {
	rows, err := s.query(ctx, `SELECT start_date FROM right_measures WHERE licence_id = ? AND kind = ? AND start_date < ?
		ORDER BY start_date DESC LIMIT 1`, licenceID, MeasureInvalidation, day)
	if err != nil {
		return date.Null{}, err
	}
	defer rows.Close()
	var d date.Null
	if rows.Next() {
		if err := rows.Scan(&d); err != nil {
			return date.Null{}, s.d.translate(err)
		}
	}
	return d, s.d.translate(rows.Err())
}
