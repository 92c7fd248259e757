package store

import (
	"context"
	"strings"
	"time"

	"permis/internal/date"
)

// Driving schools' mandates and the transfers of a file between schools
// (issue 4 item 8). A school reads and files only its own mandates: the
// school check is in the SQL (school_id = ?), never after the read.

// Mandate is a student's signed mandate to a driving school.
type Mandate struct {
	ID         int64
	SchoolID   int64
	FamilyName string
	GivenNames string
	BirthDate  date.Date
	Email      string // the student's
	NEPH       string // "" when the student has none yet
	Reference  string // as signed
	SignedOn   date.Date
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

const mandateCols = `id, school_id, family_name, given_names, birth_date, email, neph, reference, signed_on,
	revoked_at, created_at`

func scanMandate(sc scanner) (Mandate, error) {
	var m Mandate
	err := sc.Scan(&m.ID, &m.SchoolID, &m.FamilyName, &m.GivenNames, &m.BirthDate, &m.Email, &m.NEPH,
		&m.Reference, &m.SignedOn, nullTime{&m.RevokedAt}, timestamp{&m.CreatedAt})
	return m, err
}

const errUnknownMandate = "Mandat introuvable."

// CreateMandate records m and sets its ID and CreatedAt. A reference the
// school already recorded is a conflict.
func (s *Store) CreateMandate(ctx context.Context, m *Mandate) error {
	m.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO mandates (school_id, family_name, given_names, birth_date, email, neph,
		reference, signed_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		m.SchoolID, strings.TrimSpace(m.FamilyName), strings.TrimSpace(m.GivenNames), m.BirthDate,
		strings.TrimSpace(m.Email), strings.TrimSpace(m.NEPH), strings.TrimSpace(m.Reference), m.SignedOn,
		s.d.ts(m.CreatedAt)).Scan(&m.ID)
	return s.d.translate(err)
}

// FindMandateOfSchool returns the school's mandate id; another school's
// is not_found, exactly as one that does not exist.
func (s *Store) FindMandateOfSchool(ctx context.Context, id, school int64) (Mandate, error) {
	m, err := scanMandate(s.queryRow(ctx, `SELECT `+mandateCols+` FROM mandates WHERE id = ? AND school_id = ?`, id, school))
	return m, notFound(s.d.translate(err), errUnknownMandate)
}

// FindActiveMandate returns the school's unrevoked mandate of that
// reference, or not_found.
func (s *Store) FindActiveMandate(ctx context.Context, school int64, ref string) (Mandate, error) {
	m, err := scanMandate(s.queryRow(ctx, `SELECT `+mandateCols+` FROM mandates
		WHERE school_id = ? AND reference = ? AND revoked_at IS NULL`, school, strings.TrimSpace(ref)))
	return m, notFound(s.d.translate(err), errUnknownMandate)
}

// ListMandatesOfSchool returns the school's mandates, newest first.
func (s *Store) ListMandatesOfSchool(ctx context.Context, school int64) ([]Mandate, error) {
	rows, err := s.query(ctx, `SELECT `+mandateCols+` FROM mandates WHERE school_id = ? ORDER BY id DESC`, school)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Mandate
	for rows.Next() {
		m, err := scanMandate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, s.d.translate(rows.Err())
}

// Transfer is a school's request to move a file to another school,
// waiting for the student's consent.
type Transfer struct {
	ID           int64
	RequestID    int64
	FromSchool   int64
	ToSchool     int64
	StudentEmail string
	TokenHash    []byte
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UsedAt       *time.Time
}

const transferCols = `id, request_id, from_school, to_school, student_email, token_hash, created_at, expires_at, used_at`

func scanTransfer(sc scanner) (Transfer, error) {
	var t Transfer
	err := sc.Scan(&t.ID, &t.RequestID, &t.FromSchool, &t.ToSchool, &t.StudentEmail, &t.TokenHash,
		timestamp{&t.CreatedAt}, timestamp{&t.ExpiresAt}, nullTime{&t.UsedAt})
	return t, err
}

const errUnknownTransfer = "Ce lien de transfert n'est pas valable : il a peut-être déjà servi ou expiré."

// CreateTransfer records t and sets its ID and CreatedAt.
func (s *Store) CreateTransfer(ctx context.Context, t *Transfer) error {
	t.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO request_transfers (request_id, from_school, to_school, student_email,
		token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.RequestID, t.FromSchool, t.ToSchool, t.StudentEmail, t.TokenHash, s.d.ts(t.CreatedAt),
		s.d.ts(t.ExpiresAt)).Scan(&t.ID)
	return s.d.translate(err)
}

// FindTransferByHash returns the unused, unexpired transfer of that link,
// or not_found.
func (s *Store) FindTransferByHash(ctx context.Context, hash []byte, now time.Time) (Transfer, error) {
	t, err := scanTransfer(s.queryRow(ctx, `SELECT `+transferCols+` FROM request_transfers
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hash, s.d.ts(now)))
	return t, notFound(s.d.translate(err), errUnknownTransfer)
}

// UseTransfer marks the transfer used; of two concurrent uses exactly one
// succeeds, the other is not_found.
func (s *Store) UseTransfer(ctx context.Context, id int64, now time.Time) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE request_transfers SET used_at = ? WHERE id = ? AND used_at IS NULL RETURNING id`,
		s.d.ts(now), id).Scan(&got)
	return notFound(s.d.translate(err), errUnknownTransfer)
}

// MoveRequest gives request id of owner from to owner to, with its new
// mandate reference and mail address. A request no longer from's is
// not_found.
func (s *Store) MoveRequest(ctx context.Context, id, from, to int64, mandateRef, email string) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE requests SET owner_id = ?, mandate_ref = ?, email = ?, updated_at = ?
		WHERE id = ? AND owner_id = ? RETURNING id`, to, mandateRef, email, s.d.ts(s.now()), id, from).Scan(&got)
	return notFound(s.d.translate(err), errUnknownRequest)
}

// RevokeMandate revokes the school's mandate id now; revoking it again
// keeps the first date. Another school's is not_found.
func (s *Store) RevokeMandate(ctx context.Context, id, school int64) (Mandate, error) {
	m, err := scanMandate(s.queryRowW(ctx, `UPDATE mandates SET revoked_at = coalesce(revoked_at, ?)
		WHERE id = ? AND school_id = ? RETURNING `+mandateCols, s.d.ts(s.now()), id, school))
	return m, notFound(s.d.translate(err), errUnknownMandate)
}

// FindMandate returns mandate id, whatever its school (the exams'
// registrations filed under it; never shown to another school).
func (s *Store) FindMandate(ctx context.Context, id int64) (Mandate, error) {
	m, err := scanMandate(s.queryRow(ctx, `SELECT `+mandateCols+` FROM mandates WHERE id = ?`, id))
	return m, notFound(s.d.translate(err), errUnknownMandate)
}
