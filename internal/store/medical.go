package store

import (
	"context"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
)

// DoctorApproval is an approved doctor's approval (agrément), on the
// doctor's account.
type DoctorApproval struct {
	UserID         int64
	ApprovalNumber string
	ValidFrom      date.Date
	ValidUntil     date.Date // last day
	Departement    string
	// CommissionMember: the préfet named the doctor to sit in the
	// commission médicale primaire.
	CommissionMember bool
}

// PutDoctorApproval records or replaces the approval of account a.UserID.
func (s *Store) PutDoctorApproval(ctx context.Context, a DoctorApproval) error {
	member := 0
	if a.CommissionMember {
		member = 1
	}
	_, err := s.exec(ctx, `INSERT INTO doctor_approvals (user_id, approval_number, valid_from, valid_until, departement,
		commission_member) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET approval_number = excluded.approval_number,
		valid_from = excluded.valid_from, valid_until = excluded.valid_until, departement = excluded.departement,
		commission_member = excluded.commission_member`,
		a.UserID, strings.TrimSpace(a.ApprovalNumber), a.ValidFrom, a.ValidUntil, a.Departement, member)
	return err
}

const doctorApprovalCols = `user_id, approval_number, valid_from, valid_until, departement, commission_member`

func scanDoctorApproval(sc scanner) (DoctorApproval, error) {
	var a DoctorApproval
	var member int
	err := sc.Scan(&a.UserID, &a.ApprovalNumber, &a.ValidFrom, &a.ValidUntil, &a.Departement, &member)
	a.CommissionMember = member == 1
	return a, err
}

// FindDoctorApprovalByNumber returns the approval with that number of an
// enabled account, or a not_found error.
func (s *Store) FindDoctorApprovalByNumber(ctx context.Context, number string) (DoctorApproval, error) {
	a, err := scanDoctorApproval(s.queryRow(ctx, `SELECT a.user_id, a.approval_number, a.valid_from, a.valid_until,
		a.departement, a.commission_member FROM doctor_approvals a JOIN users u ON u.id = a.user_id
		WHERE a.approval_number = ? AND u.disabled_at IS NULL ORDER BY a.user_id LIMIT 1`, strings.TrimSpace(number)))
	return a, notFound(s.d.translate(err), "Aucun médecin agréé n'a ce numéro d'agrément.")
}

// FindDoctorApproval returns the approval of account userID, or a
// not_found error.
func (s *Store) FindDoctorApproval(ctx context.Context, userID int64) (DoctorApproval, error) {
	a, err := scanDoctorApproval(s.queryRow(ctx, `SELECT `+doctorApprovalCols+` FROM doctor_approvals WHERE user_id = ?`, userID))
	return a, notFound(s.d.translate(err), "Ce compte n'a pas d'agrément de médecin.")
}

// MedicalOpinion is a recorded opinion (cerfa 14880).
type MedicalOpinion struct {
	ID             int64
	Reference      string
	LicenceID      int64
	Examiner       string // "approved_doctor" or "commission"
	DoctorID       int64
	ApprovalNumber string
	Outcome        string
	Examined       date.Date
	Until          date.Null
	Restrictions   []string
	Categories     []string
	RequestID      int64 // 0 when joined to no request
	// Psychotechnic is the day of the psychotechnic test whose certificate
	// the doctor saw (R224-21 al. 2), when the situation needs one.
	Psychotechnic date.Null
	Seal          string
	RecordedAt    time.Time
	// The préfet's decision, recorded by an agent: "" while awaited,
	// "follow" (the decision follows the opinion) or "depart".
	Decision     string
	DecidedOn    date.Null
	DecidedBy    int64
	DecisionNote string
}

const medicalOpinionCols = `id, reference, licence_id, examiner, doctor_id, approval_number, outcome, examined,
	until_day, restrictions, categories, coalesce(request_id, 0), seal, recorded_at,
	coalesce(decision, ''), decided_on, coalesce(decided_by, 0), decision_note, psychotechnic_on`

func scanMedicalOpinion(sc scanner) (MedicalOpinion, error) {
	var o MedicalOpinion
	var restrictions, categories string
	err := sc.Scan(&o.ID, &o.Reference, &o.LicenceID, &o.Examiner, &o.DoctorID, &o.ApprovalNumber, &o.Outcome,
		&o.Examined, &o.Until, &restrictions, &categories, &o.RequestID, &o.Seal, timestamp{&o.RecordedAt},
		&o.Decision, &o.DecidedOn, &o.DecidedBy, &o.DecisionNote, &o.Psychotechnic)
	o.Restrictions, o.Categories = strings.Fields(restrictions), strings.Fields(categories)
	return o, err
}

// CreateMedicalOpinion records o and sets its ID.
func (s *Store) CreateMedicalOpinion(ctx context.Context, o *MedicalOpinion) error {
	var req any
	if o.RequestID != 0 {
		req = o.RequestID
	}
	err := s.queryRowW(ctx, `INSERT INTO medical_opinions (reference, licence_id, examiner, doctor_id, approval_number,
		outcome, examined, until_day, restrictions, categories, request_id, seal, recorded_at, psychotechnic_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.Reference, o.LicenceID, o.Examiner, o.DoctorID, o.ApprovalNumber, o.Outcome, o.Examined, o.Until,
		strings.Join(o.Restrictions, " "), strings.Join(o.Categories, " "), req, o.Seal, s.d.ts(o.RecordedAt), o.Psychotechnic).Scan(&o.ID)
	return s.d.translate(err)
}

// FindMedicalOpinionOfDoctor returns the opinion with that reference if
// doctor recorded it; any other is not found (never "forbidden": the
// reference of another doctor's opinion says nothing).
func (s *Store) FindMedicalOpinionOfDoctor(ctx context.Context, reference string, doctor int64) (MedicalOpinion, error) {
	o, err := scanMedicalOpinion(s.queryRow(ctx, `SELECT `+medicalOpinionCols+` FROM medical_opinions
		WHERE reference = ? AND doctor_id = ?`, strings.ToUpper(strings.TrimSpace(reference)), doctor))
	return o, notFound(s.d.translate(err), "Avis médical introuvable.")
}

// ListMedicalOpinionsOfDoctor returns the last opinions doctor recorded,
// the most recent first.
func (s *Store) ListMedicalOpinionsOfDoctor(ctx context.Context, doctor int64, limit int) ([]MedicalOpinion, error) {
	return s.listMedicalOpinions(ctx, `WHERE doctor_id = ? ORDER BY recorded_at DESC, id DESC LIMIT ?`, doctor, limit)
}

// ListMedicalOpinionsOfLicence returns the opinions given on a licence's
// holder, the most recent first.
func (s *Store) ListMedicalOpinionsOfLicence(ctx context.Context, licenceID int64) ([]MedicalOpinion, error) {
	return s.listMedicalOpinions(ctx, `WHERE licence_id = ? ORDER BY recorded_at DESC, id DESC`, licenceID)
}

// ListMedicalOpinionsOfRequest returns the opinions joined to a request.
func (s *Store) ListMedicalOpinionsOfRequest(ctx context.Context, requestID int64) ([]MedicalOpinion, error) {
	return s.listMedicalOpinions(ctx, `WHERE request_id = ? ORDER BY recorded_at DESC, id DESC`, requestID)
}

func (s *Store) listMedicalOpinions(ctx context.Context, where string, args ...any) ([]MedicalOpinion, error) {
	rows, err := s.query(ctx, `SELECT `+medicalOpinionCols+` FROM medical_opinions `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MedicalOpinion
	for rows.Next() {
		o, err := scanMedicalOpinion(rows)
		if err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, o)
	}
	return out, s.d.translate(rows.Err())
}

// ListOpenRequestsOfLicence returns the requests of a licence (by its id
// or its NEPH) that are not decided yet: a draft, or filed and waiting for
// the agent or for documents. A medical opinion joins those.
func (s *Store) ListOpenRequestsOfLicence(ctx context.Context, licenceID int64, neph string) ([]Request, error) {
	return s.listRequests(ctx, `SELECT `+requestCols+` FROM requests WHERE (licence_id = ? OR neph = ?)
		AND status IN (?, ?, ?, ?) ORDER BY created_at DESC, id DESC`, licenceID, neph,
		string(requests.StatusDraft), string(requests.StatusSubmitted), string(requests.StatusInReview),
		string(requests.StatusAwaitingDocuments))
}

// ListMedicalOpinionsAwaitingDecision returns the opinions the préfet has
// not decided on yet, the oldest first.
func (s *Store) ListMedicalOpinionsAwaitingDecision(ctx context.Context, limit int) ([]MedicalOpinion, error) {
	return s.listMedicalOpinions(ctx, `WHERE decision IS NULL ORDER BY recorded_at, id LIMIT ?`, limit)
}

// FindMedicalOpinion returns the opinion with that reference, or a
// not_found error (for the agents, who see every opinion).
func (s *Store) FindMedicalOpinion(ctx context.Context, reference string) (MedicalOpinion, error) {
	o, err := scanMedicalOpinion(s.queryRow(ctx, `SELECT `+medicalOpinionCols+` FROM medical_opinions WHERE reference = ?`,
		strings.ToUpper(strings.TrimSpace(reference))))
	return o, notFound(s.d.translate(err), "Avis médical introuvable.")
}

// DecideMedicalOpinion records the préfet's decision on an opinion still
// awaiting one: a conditional UPDATE, so that of two agents deciding at
// once one wins and the other gets a conflict.
func (s *Store) DecideMedicalOpinion(ctx context.Context, id int64, decision string, on date.Date, agent int64, note string) error {
	res, err := s.exec(ctx, `UPDATE medical_opinions SET decision = ?, decided_on = ?, decided_by = ?, decision_note = ?
		WHERE id = ? AND decision IS NULL`, decision, on, agent, note, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return s.d.translate(err)
	} else if n == 0 {
		return apperr.New(apperr.Conflict, "La décision sur cet avis a déjà été enregistrée.")
	}
	return nil
}

// SetCategoryMedicalUntil sets the end of a category's medical validity.
func (s *Store) SetCategoryMedicalUntil(ctx context.Context, licenceID int64, category string, until date.Date) error {
	_, err := s.exec(ctx, `UPDATE licence_categories SET medical_until = ? WHERE licence_id = ? AND category = ?`,
		until, licenceID, category)
	return err
}

// AddRestriction adds a field-12 code to a licence ("" category: every
// category); a code already there is left as it is.
func (s *Store) AddRestriction(ctx context.Context, licenceID int64, code, category string) error {
	_, err := s.exec(ctx, `INSERT INTO licence_restrictions (licence_id, code, category, detail) VALUES (?, ?, ?, '')
		ON CONFLICT (licence_id, code, category) DO NOTHING`, licenceID, code, category)
	return err
}
