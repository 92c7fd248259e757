package store

import (
	"context"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

// ExamRegistration is a registration for the exams (issue 14 §1): filed by
// a candidate for a category, decided by an agent. An accepted one carries
// the candidate's NEPH: a new one for a person with no licence, or the
// NEPH of the licence it reactivates (LicenceID) after an invalidation or
// an annulment.
type ExamRegistration struct {
	ID        int64
	Reference string // INS-XXXXXXXX, unguessable
	UserID    int64
	Category  string
	State     string // filed, accepted, rejected
	NEPH      string // "" until accepted
	LicenceID int64  // 0 unless a licence is reactivated
	Details   string // JSON: what the candidate declared
	Reason    string // the refusal's reason
	FiledOn   date.Date
	DecidedAt *time.Time
	CreatedAt time.Time
}

// The registration's states.
const (
	RegistrationFiled    = "filed"
	RegistrationAccepted = "accepted"
	RegistrationRejected = "rejected"
)

const examRegistrationCols = `id, reference, user_id, category, state, coalesce(neph, ''), coalesce(licence_id, 0),
	details, reason, filed_on, decided_at, created_at`

const errUnknownRegistration = "Inscription introuvable."

func scanExamRegistration(sc scanner) (ExamRegistration, error) {
	var r ExamRegistration
	err := sc.Scan(&r.ID, &r.Reference, &r.UserID, &r.Category, &r.State, &r.NEPH, &r.LicenceID,
		&r.Details, &r.Reason, &r.FiledOn, nullTime{&r.DecidedAt}, timestamp{&r.CreatedAt})
	return r, err
}

// CreateExamRegistration records r as filed and sets its id and time. A
// second registration in progress or accepted for the same account and
// category, or a reference already used, is a conflict.
func (s *Store) CreateExamRegistration(ctx context.Context, r *ExamRegistration) error {
	r.CreatedAt, r.State = s.now(), RegistrationFiled
	err := s.queryRowW(ctx, `INSERT INTO exam_registrations (reference, user_id, category, state, details, filed_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Reference, r.UserID, r.Category, r.State, r.Details, r.FiledOn, s.d.ts(r.CreatedAt)).Scan(&r.ID)
	return s.d.translate(err)
}

// FindExamRegistration returns the registration of that reference.
func (s *Store) FindExamRegistration(ctx context.Context, ref string) (ExamRegistration, error) {
	r, err := scanExamRegistration(s.queryRow(ctx, `SELECT `+examRegistrationCols+` FROM exam_registrations WHERE reference = ?`, ref))
	return r, notFound(s.d.translate(err), errUnknownRegistration)
}

// ListExamRegistrationsOfUser returns the account's registrations, newest first.
func (s *Store) ListExamRegistrationsOfUser(ctx context.Context, user int64) ([]ExamRegistration, error) {
	return s.listExamRegistrations(ctx, `user_id = ? ORDER BY id DESC`, user)
}

// ListFiledExamRegistrations returns the registrations waiting for an
// agent's decision, oldest first.
func (s *Store) ListFiledExamRegistrations(ctx context.Context) ([]ExamRegistration, error) {
	return s.listExamRegistrations(ctx, `state = 'filed' ORDER BY id`)
}

func (s *Store) listExamRegistrations(ctx context.Context, where string, args ...any) ([]ExamRegistration, error) {
	rows, err := s.query(ctx, `SELECT `+examRegistrationCols+` FROM exam_registrations WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExamRegistration
	for rows.Next() {
		r, err := scanExamRegistration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ExamRegistrationNEPHUsed reports whether an accepted registration holds neph.
func (s *Store) ExamRegistrationNEPHUsed(ctx context.Context, neph string) (bool, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM exam_registrations WHERE neph = ?`, neph).Scan(&n)
	return n > 0, err
}

// AcceptExamRegistration gives the filed registration its NEPH (and the
// licence it reactivates, 0 for none). A registration no longer filed is
// a conflict: it was decided meanwhile.
func (s *Store) AcceptExamRegistration(ctx context.Context, id int64, neph string, licenceID int64) error {
	var lic any
	if licenceID != 0 {
		lic = licenceID
	}
	return s.decideExamRegistration(ctx, id, `state = 'accepted', neph = ?, licence_id = ?`, neph, lic)
}

// RejectExamRegistration refuses the filed registration with reason.
func (s *Store) RejectExamRegistration(ctx context.Context, id int64, reason string) error {
	return s.decideExamRegistration(ctx, id, `state = 'rejected', reason = ?`, reason)
}

func (s *Store) decideExamRegistration(ctx context.Context, id int64, set string, args ...any) error {
	args = append(args, s.d.ts(s.now()), id)
	res, err := s.exec(ctx, `UPDATE exam_registrations SET `+set+`, decided_at = ? WHERE id = ? AND state = 'filed'`, args...)
	if err != nil {
		return s.d.translate(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return apperr.New(apperr.Conflict, "Cette inscription a déjà été décidée.")
	}
	return nil
}

// NEPHOfAccount returns the NEPH of the account's accepted registration
// that has no licence behind it (a candidate who holds no licence yet), or
// not_found.
func (s *Store) NEPHOfAccount(ctx context.Context, user int64) (string, error) {
	var neph string
	err := s.queryRow(ctx, `SELECT neph FROM exam_registrations WHERE user_id = ? AND state = 'accepted'
		AND licence_id IS NULL ORDER BY id LIMIT 1`, user).Scan(&neph)
	return neph, notFound(s.d.translate(err), errUnknownRegistration)
}

// ExamRegistrationOfNEPH returns an accepted registration holding neph, or not_found.
func (s *Store) ExamRegistrationOfNEPH(ctx context.Context, neph string) (ExamRegistration, error) {
	r, err := scanExamRegistration(s.queryRow(ctx, `SELECT `+examRegistrationCols+` FROM exam_registrations
		WHERE neph = ? AND state = 'accepted' ORDER BY id LIMIT 1`, neph))
	return r, notFound(s.d.translate(err), errUnknownRegistration)
}

// AcceptedExamRegistration returns the accepted registration for category
// that holds neph, or not_found: a place is booked only under one.
func (s *Store) AcceptedExamRegistration(ctx context.Context, neph, category string) (ExamRegistration, error) {
	r, err := scanExamRegistration(s.queryRow(ctx, `SELECT `+examRegistrationCols+` FROM exam_registrations
		WHERE neph = ? AND category = ? AND state = 'accepted' ORDER BY id LIMIT 1`, neph, category))
	return r, notFound(s.d.translate(err), errUnknownRegistration)
}
