package store

import (
	"context"
	"time"

	"permis/internal/date"
)

// MedicalRenewalDue is a licence whose heavy categories' medical validity
// ends soon: the earliest end among them, and where to write.
type MedicalRenewalDue struct {
	LicenceID    int64
	NEPH         string
	GivenNames   string
	FamilyName   string
	Email        string // the register's address; "" when none
	MedicalUntil date.Date
}

// ListMedicalRenewalsDue returns the licences, not invalidated nor
// annulled, with a heavy category (C1…DE) whose medical validity ends
// between from and to (both included) and not yet reminded for that end
// date. One row per licence and end date.
func (s *Store) ListMedicalRenewalsDue(ctx context.Context, from, to date.Date, limit int) ([]MedicalRenewalDue, error) {
	rows, err := s.query(ctx, `SELECT l.id, l.neph, p.given_names, p.family_name, p.email, c.medical_until
		FROM licence_categories c JOIN licences l ON l.id = c.licence_id JOIN persons p ON p.id = l.person_id
		WHERE c.category IN ('C1', 'C1E', 'C', 'CE', 'D1', 'D1E', 'D', 'DE')
		AND c.medical_until >= ? AND c.medical_until <= ? AND l.state NOT IN ('invalidated', 'annulled')
		AND NOT EXISTS (SELECT 1 FROM medical_reminders r WHERE r.licence_id = l.id AND r.medical_until = c.medical_until)
		GROUP BY l.id, l.neph, p.given_names, p.family_name, p.email, c.medical_until
		ORDER BY c.medical_until, l.id LIMIT ?`, from, to, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MedicalRenewalDue
	for rows.Next() {
		var d MedicalRenewalDue
		if err := rows.Scan(&d.LicenceID, &d.NEPH, &d.GivenNames, &d.FamilyName, &d.Email, &d.MedicalUntil); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, d)
	}
	return out, s.d.translate(rows.Err())
}

// RecordMedicalReminder marks the reminder of a licence's end date as
// sent; it reports false when it already was (another run sent it).
func (s *Store) RecordMedicalReminder(ctx context.Context, licenceID int64, until date.Date, at time.Time) (bool, error) {
	res, err := s.exec(ctx, `INSERT INTO medical_reminders (licence_id, medical_until, sent_at) VALUES (?, ?, ?)
		ON CONFLICT (licence_id, medical_until) DO NOTHING`, licenceID, until, s.d.ts(at))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, s.d.translate(err)
}
