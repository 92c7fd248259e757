package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ShareRequest records that the person behind appointmentID lets the help
// point's agents see requestID. Sharing again replaces the request.
func (s *Store) ShareRequest(ctx context.Context, appointmentID, requestID int64, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO appointment_shares (appointment_id, request_id, granted_at) VALUES (?, ?, ?)
		ON CONFLICT (appointment_id) DO UPDATE SET request_id = excluded.request_id, granted_at = excluded.granted_at`,
		appointmentID, requestID, s.d.ts(now))
	return s.d.translate(err)
}

// SharedRequestID returns the request shared with an appointment, 0 when
// none.
func (s *Store) SharedRequestID(ctx context.Context, appointmentID int64) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT request_id FROM appointment_shares WHERE appointment_id = ?`, appointmentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, s.d.translate(err)
}
