package store

import (
	"context"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
)

// ExamRegistration is a registration for the exams (issue 14 §1): filed by
// a candidate for a category, decided by an agent. An accepted one carries
// the candidate's NEPH: a new one for a person with no licence, or the
// NEPH of the licence it reactivates (LicenceID) after an invalidation or
// an annulment.
type ExamRegistration struct {
	ID        int64
	Reference string // INS-XXXXXXXX, unguessable
	UserID    int64  // 0 while a school's student is not matched to an account
	MandateID int64  // the mandate a driving school filed under; 0 when the candidate filed
	Category  string
	State     string // filed, accepted, rejected
	NEPH      string // "" until accepted
	LicenceID int64  // 0 unless a licence is reactivated
	Details   string // JSON: what the candidate declared
	Reason    string // the refusal's reason
	// EPhotoCode is the ePhoto code claimed at filing ("" when none);
	// PaperPhoto: the paper photo-signature form (FPS) is brought instead.
	EPhotoCode string
	PaperPhoto bool
	FiledOn    date.Date
	DecidedAt  *time.Time
	CreatedAt  time.Time
}

// The registration's states.
const (
	RegistrationFiled    = "filed"
	RegistrationAccepted = "accepted"
	RegistrationRejected = "rejected"
)

const examRegistrationCols = `id, reference, coalesce(user_id, 0), coalesce(mandate_id, 0), category, state,
	coalesce(neph, ''), coalesce(licence_id, 0), details, reason, ephoto_code, paper_photo, filed_on, decided_at, created_at`

const errUnknownRegistration = "Inscription introuvable."

func scanExamRegistration(sc scanner) (ExamRegistration, error) {
	var r ExamRegistration
	err := sc.Scan(&r.ID, &r.Reference, &r.UserID, &r.MandateID, &r.Category, &r.State, &r.NEPH, &r.LicenceID,
		&r.Details, &r.Reason, &r.EPhotoCode, &r.PaperPhoto, &r.FiledOn, nullTime{&r.DecidedAt}, timestamp{&r.CreatedAt})
	return r, err
}

// CreateExamRegistration records r as filed and sets its id and time. A
// second registration in progress or accepted for the same account (or
// mandate) and category, or a reference already used, is a conflict.
func (s *Store) CreateExamRegistration(ctx context.Context, r *ExamRegistration) error {
	r.CreatedAt, r.State = s.now(), RegistrationFiled
	err := s.queryRowW(ctx, `INSERT INTO exam_registrations (reference, user_id, mandate_id, category, state, details,
		ephoto_code, paper_photo, filed_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Reference, nullID(r.UserID), nullID(r.MandateID), r.Category, r.State, r.Details, r.EPhotoCode, r.PaperPhoto,
		r.FiledOn, s.d.ts(r.CreatedAt)).Scan(&r.ID)
	return s.d.translate(err)
}

// ListExamRegistrationsOfMandate returns the registrations a school filed
// under the mandate, newest first.
func (s *Store) ListExamRegistrationsOfMandate(ctx context.Context, mandate int64) ([]ExamRegistration, error) {
	return s.listExamRegistrations(ctx, `mandate_id = ? ORDER BY id DESC`, mandate)
}

// ListUnlinkedExamRegistrations returns the registrations filed by a
// school under a mandate naming the mail address email (lower case) that
// no account holds yet, oldest first.
func (s *Store) ListUnlinkedExamRegistrations(ctx context.Context, email string) ([]ExamRegistration, error) {
	return s.listExamRegistrations(ctx, `user_id IS NULL AND mandate_id IN (SELECT id FROM mandates
		WHERE lower(email) = ? AND revoked_at IS NULL) ORDER BY id`, strings.ToLower(strings.TrimSpace(email)))
}

// LinkExamRegistration ties a school-filed registration to the student's
// account. One already tied is a conflict, as is a second registration of
// the account in progress for the category (exam_registrations_one).
func (s *Store) LinkExamRegistration(ctx context.Context, id, user int64) error {
	res, err := s.exec(ctx, `UPDATE exam_registrations SET user_id = ? WHERE id = ? AND user_id IS NULL`, user, id)
	if err != nil {
		return s.d.translate(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return apperr.New(apperr.Conflict, "Cette inscription est déjà reliée à un compte.")
	}
	return nil
}

// SetMandateNEPH writes the NEPH given to the student on the mandate,
// when the mandate names none yet (so the school books under it).
func (s *Store) SetMandateNEPH(ctx context.Context, mandate int64, neph string) error {
	_, err := s.exec(ctx, `UPDATE mandates SET neph = ? WHERE id = ? AND neph = ''`, neph, mandate)
	return s.d.translate(err)
}

// ExamRegistrationDocument is a file filed with a registration.
type ExamRegistrationDocument struct {
	ID             int64
	RegistrationID int64
	Document       requests.Document
	Key            string
	ContentType    string
	Size           int64
	SHA256         string
	Name           string
	CreatedAt      time.Time
}

// AddExamRegistrationDocument records d and sets its id and time; a second
// file of the same document on the registration is a conflict.
func (s *Store) AddExamRegistrationDocument(ctx context.Context, d *ExamRegistrationDocument) error {
	d.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO exam_registration_documents (registration_id, document, file_key, content_type,
		size, sha256, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.RegistrationID, string(d.Document), d.Key, d.ContentType, d.Size, d.SHA256, d.Name, s.d.ts(d.CreatedAt)).Scan(&d.ID)
	return s.d.translate(err)
}

// ListExamRegistrationDocuments returns the files of the registration, in
// the order they were filed.
func (s *Store) ListExamRegistrationDocuments(ctx context.Context, registration int64) ([]ExamRegistrationDocument, error) {
	rows, err := s.query(ctx, `SELECT id, registration_id, document, file_key, content_type, size, sha256, name, created_at
		FROM exam_registration_documents WHERE registration_id = ? ORDER BY id`, registration)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ExamRegistrationDocument
	for rows.Next() {
		var d ExamRegistrationDocument
		var doc string
		if err := rows.Scan(&d.ID, &d.RegistrationID, &doc, &d.Key, &d.ContentType, &d.Size, &d.SHA256, &d.Name,
			timestamp{&d.CreatedAt}); err != nil {
			return nil, s.d.translate(err)
		}
		d.Document = requests.Document(doc)
		out = append(out, d)
	}
	return out, s.d.translate(rows.Err())
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
