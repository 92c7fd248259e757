package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
)

// Licence requests (issue 4). A status change is ONE conditional UPDATE
// whose WHERE clause names the status the lifecycle (requests.Apply) starts
// from: of two concurrent changes of one request, exactly one matches the
// row; the other is told the request changed meanwhile. The owner check of
// a citizen's read is in the SQL (owner_id = ?), never after the read.

// Request is a licence request as stored.
type Request struct {
	ID           int64
	Reference    string
	Kind         requests.Kind
	Status       requests.Status
	OwnerID      int64
	FilerRole    string // "citizen" or "driving_school"
	MandateRef   string
	FamilyName   string
	GivenNames   string
	BirthDate    date.Null
	Email        string
	LicenceID    int64
	NEPH         string
	Departement  string
	Answers      string // JSON of the type's questions; the application reads it
	StampNumber  string
	EPhotoCode   string
	PaperPhoto   bool
	LossDeclared bool

	LossAttestationFrom, LossAttestationUntil date.Null

	AssigneeID      int64
	LockedAt        *time.Time
	RejectionReason string
	TitleNumber     string
	MRZ             string
	TrackingNumber  string
	Shipments       int
	SentAt          *time.Time
	HeldAt          *time.Time

	CreatedAt        time.Time
	SubmittedAt      *time.Time
	ExpectedDecision date.Null
	DecidedAt        *time.Time
	UpdatedAt        time.Time
}

const requestCols = `id, reference, kind, status, owner_id, filer_role, mandate_ref, family_name, given_names,
	birth_date, email, coalesce(licence_id, 0), neph, departement, answers, coalesce(stamp_number, ''),
	coalesce(ephoto_code, ''), paper_photo, loss_declared, loss_attestation_from, loss_attestation_until,
	coalesce(assignee_id, 0), locked_at, rejection_reason, coalesce(title_number, ''), coalesce(mrz, ''),
	coalesce(tracking_number, ''), shipments, sent_at, held_at, created_at, submitted_at, expected_decision,
	decided_at, updated_at`

func scanRequest(sc scanner) (Request, error) {
	var (
		r            Request
		kind, status string
	)
	err := sc.Scan(&r.ID, &r.Reference, &kind, &status, &r.OwnerID, &r.FilerRole, &r.MandateRef, &r.FamilyName,
		&r.GivenNames, &r.BirthDate, &r.Email, &r.LicenceID, &r.NEPH, &r.Departement, &r.Answers, &r.StampNumber,
		&r.EPhotoCode, &r.PaperPhoto, &r.LossDeclared, &r.LossAttestationFrom, &r.LossAttestationUntil,
		&r.AssigneeID, nullTime{&r.LockedAt}, &r.RejectionReason, &r.TitleNumber, &r.MRZ, &r.TrackingNumber,
		&r.Shipments, nullTime{&r.SentAt}, nullTime{&r.HeldAt}, timestamp{&r.CreatedAt}, nullTime{&r.SubmittedAt},
		&r.ExpectedDecision, nullTime{&r.DecidedAt}, timestamp{&r.UpdatedAt})
	r.Kind, r.Status = requests.Kind(kind), requests.Status(status)
	return r, err
}

const errUnknownRequest = "Demande introuvable."

// CreateRequest records r as a draft and sets its ID, status and dates. Its
// Reference must be new (a conflict otherwise: draw another).
func (s *Store) CreateRequest(ctx context.Context, r *Request) error {
	if r.Answers == "" {
		r.Answers = "{}"
	}
	if r.FilerRole == "" {
		r.FilerRole = "citizen"
	}
	now := s.now()
	r.Status, r.CreatedAt, r.UpdatedAt = requests.StatusDraft, now, now
	err := s.queryRowW(ctx, `INSERT INTO requests (reference, kind, status, owner_id, filer_role, mandate_ref,
		family_name, given_names, birth_date, email, licence_id, neph, departement, answers, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Reference, string(r.Kind), string(r.Status), r.OwnerID, r.FilerRole, r.MandateRef, r.FamilyName,
		r.GivenNames, r.BirthDate, r.Email, optionalID(r.LicenceID), r.NEPH, r.Departement, r.Answers,
		s.d.ts(now), s.d.ts(now)).Scan(&r.ID)
	return s.d.translate(err)
}

// DraftPatch changes a draft; nil fields are kept.
type DraftPatch struct {
	Answers      *string
	Departement  *string
	StampNumber  *string // "" clears it
	EPhotoCode   *string // "" clears it
	PaperPhoto   *bool
	LossDeclared *bool
}

// UpdateDraft applies p to the draft id of owner. A request that is not
// the owner's is not_found; one no longer a draft is a conflict.
func (s *Store) UpdateDraft(ctx context.Context, id, owner int64, p DraftPatch) (Request, error) {
	sets := []string{"updated_at = ?"}
	args := []any{s.d.ts(s.now())}
	add := func(col string, v any) { sets = append(sets, col+" = ?"); args = append(args, v) }
	if p.Answers != nil {
		add("answers", *p.Answers)
	}
	if p.Departement != nil {
		add("departement", *p.Departement)
	}
	if p.StampNumber != nil {
		add("stamp_number", nullable(*p.StampNumber))
	}
	if p.EPhotoCode != nil {
		add("ephoto_code", nullable(*p.EPhotoCode))
	}
	if p.PaperPhoto != nil {
		add("paper_photo", *p.PaperPhoto)
	}
	if p.LossDeclared != nil {
		add("loss_declared", *p.LossDeclared)
	}
	r, err := scanRequest(s.queryRowW(ctx, `UPDATE requests SET `+strings.Join(sets, ", ")+`
		WHERE id = ? AND owner_id = ? AND status = 'draft' RETURNING `+requestCols, append(args, id, owner)...))
	if errors.Is(err, sql.ErrNoRows) {
		if _, ferr := s.FindRequestOfOwner(ctx, id, owner); ferr != nil {
			return r, ferr
		}
		return r, apperr.New(apperr.Conflict, "Cette demande est déjà envoyée : ses réponses ne peuvent plus être modifiées.")
	}
	return r, s.d.translate(err)
}

// FindRequest returns a request by id, whoever owns it (agents, jobs).
func (s *Store) FindRequest(ctx context.Context, id int64) (Request, error) {
	r, err := scanRequest(s.queryRow(ctx, `SELECT `+requestCols+` FROM requests WHERE id = ?`, id))
	return r, notFound(s.d.translate(err), errUnknownRequest)
}

// FindRequestOfOwner returns the request id only when owner owns it: any
// other request is not_found, exactly as one that does not exist.
func (s *Store) FindRequestOfOwner(ctx context.Context, id, owner int64) (Request, error) {
	r, err := scanRequest(s.queryRow(ctx, `SELECT `+requestCols+` FROM requests WHERE id = ? AND owner_id = ?`, id, owner))
	return r, notFound(s.d.translate(err), errUnknownRequest)
}

// FindRequestForTracking returns the submitted request with that reference
// and applicant's birth date; a wrong pair and a draft are both not_found.
func (s *Store) FindRequestForTracking(ctx context.Context, ref string, birth date.Date) (Request, error) {
	r, err := scanRequest(s.queryRow(ctx, `SELECT `+requestCols+` FROM requests
		WHERE reference = ? AND birth_date = ? AND status <> 'draft'`, ref, birth))
	return r, notFound(s.d.translate(err), errUnknownRequest)
}

// ListRequestsOfOwner returns the owner's requests, newest first.
func (s *Store) ListRequestsOfOwner(ctx context.Context, owner int64) ([]Request, error) {
	return s.listRequests(ctx, `SELECT `+requestCols+` FROM requests WHERE owner_id = ? ORDER BY created_at DESC, id DESC`, owner)
}

// RequestFilter selects the agents' queue.
type RequestFilter struct {
	Kinds        []requests.Kind
	Departements []string
	Statuses     []requests.Status // nil: submitted, in review, awaiting documents
	AssigneeID   int64             // 0: anyone's
	Limit        int               // default 200
}

// ListRequestQueue returns the requests of f, oldest submission first
// (first come, first served).
func (s *Store) ListRequestQueue(ctx context.Context, f RequestFilter) ([]Request, error) {
	q := `SELECT ` + requestCols + ` FROM requests WHERE 1 = 1`
	var args []any
	in := func(col string, vals []string) {
		q += ` AND ` + col + ` IN (?` + strings.Repeat(", ?", len(vals)-1) + `)`
		for _, v := range vals {
			args = append(args, v)
		}
	}
	sts := f.Statuses
	if len(sts) == 0 {
		sts = []requests.Status{requests.StatusSubmitted, requests.StatusInReview, requests.StatusAwaitingDocuments}
	}
	in("status", strs(sts))
	if len(f.Kinds) > 0 {
		in("kind", strs(f.Kinds))
	}
	if len(f.Departements) > 0 {
		in("departement", f.Departements)
	}
	if f.AssigneeID != 0 {
		q += ` AND assignee_id = ?`
		args = append(args, f.AssigneeID)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q += ` ORDER BY submitted_at, id LIMIT ?`
	return s.listRequests(ctx, q, append(args, f.Limit)...)
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func (s *Store) listRequests(ctx context.Context, q string, args ...any) ([]Request, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, r)
	}
	return out, s.d.translate(rows.Err())
}

// LockRequest gives the request to agent at now when nobody holds it, the
// agent holds it already, or the holder's lock is older than expiry. It is
// one conditional UPDATE: of two agents taking one file, one gets it; the
// other gets a conflict naming nobody.
func (s *Store) LockRequest(ctx context.Context, id, agent int64, now time.Time, expiry time.Duration) (Request, error) {
	r, err := scanRequest(s.queryRowW(ctx, `UPDATE requests SET assignee_id = ?, locked_at = ?, updated_at = ?
		WHERE id = ? AND status <> 'draft' AND (assignee_id IS NULL OR assignee_id = ? OR locked_at < ?)
		RETURNING `+requestCols, agent, s.d.ts(now), s.d.ts(now), id, agent, s.d.ts(now.Add(-expiry))))
	if errors.Is(err, sql.ErrNoRows) {
		if _, ferr := s.FindRequest(ctx, id); ferr != nil {
			return r, ferr
		}
		return r, apperr.New(apperr.Conflict, "Un autre agent traite déjà cette demande.")
	}
	return r, s.d.translate(err)
}

// UnlockRequest puts the request back in the common queue.
func (s *Store) UnlockRequest(ctx context.Context, id int64) error {
	_, err := s.exec(ctx, `UPDATE requests SET assignee_id = NULL, locked_at = NULL, updated_at = ? WHERE id = ?`,
		s.d.ts(s.now()), id)
	return err
}

// Transition is a status change and what it records with it; zero fields
// are left alone.
type Transition struct {
	Event requests.Event
	// Holder, when not 0, must be the agent holding the lock.
	Holder int64

	SubmittedAt      *time.Time
	ExpectedDecision date.Null
	DecidedAt        *time.Time
	RejectionReason  string
	LossAttestation  *requests.LossAttestation
	TitleNumber      string
	MRZ              string
	TrackingNumber   string // a new sending: shipments + 1, sent_at = now
	Held             bool   // held_at = now
	Unlock           bool   // back to the common queue
}

// TransitionRequest applies t.Event to request id, from the status it is
// in, as the lifecycle allows (requests.Apply), with ONE conditional
// UPDATE … WHERE status = <from>: of concurrent changes, one wins; the
// others get a conflict. It returns the transition made and the request
// after it.
func (s *Store) TransitionRequest(ctx context.Context, id int64, t Transition) (requests.Transition, Request, error) {
	cur, err := s.FindRequest(ctx, id)
	if err != nil {
		return requests.Transition{}, cur, err
	}
	tr, err := requests.Apply(cur.Status, t.Event)
	if err != nil {
		return tr, cur, err
	}
	now := s.now()
	sets := []string{"status = ?", "updated_at = ?"}
	args := []any{string(tr.To), s.d.ts(now)}
	add := func(col string, v any) { sets = append(sets, col+" = ?"); args = append(args, v) }
	if t.SubmittedAt != nil {
		add("submitted_at", s.d.ts(*t.SubmittedAt))
	}
	if t.ExpectedDecision.Valid {
		add("expected_decision", t.ExpectedDecision)
	}
	if t.DecidedAt != nil {
		add("decided_at", s.d.ts(*t.DecidedAt))
	}
	if t.RejectionReason != "" {
		add("rejection_reason", t.RejectionReason)
	}
	if a := t.LossAttestation; a != nil {
		add("loss_attestation_from", a.Issued)
		add("loss_attestation_until", a.ValidUntil)
	}
	if t.TitleNumber != "" {
		add("title_number", t.TitleNumber)
		add("mrz", t.MRZ)
	}
	if t.TrackingNumber != "" {
		add("tracking_number", t.TrackingNumber)
		add("sent_at", s.d.ts(now))
		sets = append(sets, "shipments = shipments + 1")
	}
	if t.Held {
		add("held_at", s.d.ts(now))
	}
	if t.Unlock {
		sets = append(sets, "assignee_id = NULL", "locked_at = NULL")
	}
	q := `UPDATE requests SET ` + strings.Join(sets, ", ") + ` WHERE id = ? AND status = ?`
	args = append(args, id, string(cur.Status))
	if t.Holder != 0 {
		q += ` AND assignee_id = ?`
		args = append(args, t.Holder)
	}
	r, err := scanRequest(s.queryRowW(ctx, q+` RETURNING `+requestCols, args...))
	if errors.Is(err, sql.ErrNoRows) {
		if t.Holder != 0 && cur.AssigneeID != t.Holder {
			return tr, cur, apperr.New(apperr.Conflict, "Prenez d'abord cette demande : elle n'est pas à votre nom.")
		}
		return tr, cur, apperr.New(apperr.Conflict, "Cette demande vient de changer de statut. Rechargez-la avant de poursuivre.")
	}
	return tr, r, s.d.translate(err)
}

// RequestEvent is one line of a request's timeline.
type RequestEvent struct {
	ID        int64
	RequestID int64
	Kind      string // "status", "documents", "message", "note", "system"
	Event     requests.Event
	From, To  requests.Status
	ActorRole string // "applicant", "agent", "system"
	ActorID   int64
	Label     string // French
	Detail    string // French
	Private   bool   // agents only
	CreatedAt time.Time
}

// AppendRequestEvent adds e to its request's timeline and sets its ID and
// date.
func (s *Store) AppendRequestEvent(ctx context.Context, e *RequestEvent) error {
	e.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO request_events (request_id, kind, event, from_status, to_status, actor_role,
		actor_id, label, detail, private, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.RequestID, e.Kind, string(e.Event), string(e.From), string(e.To), e.ActorRole, optionalID(e.ActorID),
		e.Label, e.Detail, e.Private, s.d.ts(e.CreatedAt)).Scan(&e.ID)
	return s.d.translate(err)
}

// ListRequestEvents returns a request's timeline, oldest first; private
// lines only when withPrivate.
func (s *Store) ListRequestEvents(ctx context.Context, requestID int64, withPrivate bool) ([]RequestEvent, error) {
	q := `SELECT id, request_id, kind, event, from_status, to_status, actor_role, coalesce(actor_id, 0), label, detail,
		private, created_at FROM request_events WHERE request_id = ?`
	if !withPrivate {
		q += ` AND private = ?`
	}
	q += ` ORDER BY id`
	args := []any{requestID}
	if !withPrivate {
		args = append(args, false)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestEvent
	for rows.Next() {
		var (
			e               RequestEvent
			event, from, to string
		)
		if err := rows.Scan(&e.ID, &e.RequestID, &e.Kind, &event, &from, &to, &e.ActorRole, &e.ActorID, &e.Label,
			&e.Detail, &e.Private, timestamp{&e.CreatedAt}); err != nil {
			return nil, s.d.translate(err)
		}
		e.Event, e.From, e.To = requests.Event(event), requests.Status(from), requests.Status(to)
		out = append(out, e)
	}
	return out, s.d.translate(rows.Err())
}
