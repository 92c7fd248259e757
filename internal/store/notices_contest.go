package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
)

// ContestState is where a contest of a notice stands before the OMP.
type ContestState string

// The states of a contest (docs/contest.md §11.9).
const (
	ContestDepositDue   ContestState = "deposit_due"  // filed; the consignation is not paid yet
	ContestPending      ContestState = "pending"      // with the OMP
	ContestCourt        ContestState = "court"        // sent to the tribunal de police
	ContestInadmissible ContestState = "inadmissible" // refused; a deposit is kept as payment
	ContestDesignated   ContestState = "designated"   // the OMP designated the driver: a new notice
	ContestDropped      ContestState = "dropped"      // classement sans suite, exemption granted: deposit refunded
	ContestAcquitted    ContestState = "acquitted"    // relaxe: deposit refunded
	ContestConvicted    ContestState = "convicted"    // condamnation: points withdrawn at its final date
)

// ContestDocument is a piece sent with a contest: an uploaded file
// (FileKey in Kernel.Files) or one declared sent by post (FileKey "").
type ContestDocument struct {
	ID          int64
	Kind        contest.Document
	FileKey     string
	FileName    string
	ContentType string
	Size        int64
	SHA256      string
}

// Contest is a requête en exonération or a réclamation, as filed.
type Contest struct {
	ID           int64
	Reference    string // random, unguessable: the payment of the deposit and the citizen's links name it
	NoticeID     int64
	Ground       contest.Ground
	Reasons      string
	Deposit      int // euros of consignation due
	Filed        date.Date
	Deadline     date.Date
	Email        string
	State        ContestState
	Decision     string // the latest decision's reasons
	CourtFinalOn date.Null
	Documents    []ContestDocument
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const contestCols = `c.id, c.reference, c.notice_id, c.ground, c.reasons, c.deposit, c.filed, c.deadline, c.email,
	c.state, c.decision, c.court_final_on, c.created_at, c.updated_at`

func scanContest(sc scanner, extra ...any) (Contest, error) {
	var c Contest
	err := sc.Scan(append([]any{&c.ID, &c.Reference, &c.NoticeID, &c.Ground, &c.Reasons, &c.Deposit, &c.Filed,
		&c.Deadline, &c.Email, &c.State, &c.Decision, &c.CourtFinalOn, timestamp{&c.CreatedAt},
		timestamp{&c.UpdatedAt}}, extra...)...)
	return c, err
}

const errUnknownContest = "Contestation introuvable."

// CreateContest records c and its documents and sets their IDs. Run it in
// the transaction that moved the notice to contested.
func (s *Store) CreateContest(ctx context.Context, c *Contest) error {
	now := s.now()
	c.CreatedAt, c.UpdatedAt = now, now
	err := s.queryRowW(ctx, `INSERT INTO fine_contests (reference, notice_id, ground, reasons, deposit, filed, deadline,
		email, state, decision, court_final_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, c.Reference, c.NoticeID, string(c.Ground), c.Reasons, c.Deposit, c.Filed, c.Deadline, c.Email,
		string(c.State), c.Decision, c.CourtFinalOn, s.d.ts(now), s.d.ts(now)).Scan(&c.ID)
	if err != nil {
		return s.d.translate(err)
	}
	for i := range c.Documents {
		d := &c.Documents[i]
		err := s.queryRowW(ctx, `INSERT INTO fine_contest_documents (contest_id, kind, file_key, file_name,
			content_type, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ID, string(d.Kind), d.FileKey, d.FileName, d.ContentType, d.Size, d.SHA256).Scan(&d.ID)
		if err != nil {
			return s.d.translate(err)
		}
	}
	return nil
}

// FindContest returns contest id with its documents, or a not_found error.
func (s *Store) FindContest(ctx context.Context, id int64) (Contest, error) {
	return s.findContest(ctx, `c.id = ?`, id)
}

// FindContestByReference returns the contest with that reference.
func (s *Store) FindContestByReference(ctx context.Context, ref string) (Contest, error) {
	return s.findContest(ctx, `c.reference = ?`, ref)
}

func (s *Store) findContest(ctx context.Context, where string, arg any) (Contest, error) {
	c, err := scanContest(s.queryRow(ctx, `SELECT `+contestCols+` FROM fine_contests c WHERE `+where, arg))
	if err != nil {
		return Contest{}, notFound(s.d.translate(err), errUnknownContest)
	}
	c.Documents, err = s.contestDocuments(ctx, c.ID)
	return c, err
}

func (s *Store) contestDocuments(ctx context.Context, id int64) ([]ContestDocument, error) {
	rows, err := s.query(ctx, `SELECT id, kind, file_key, file_name, content_type, size, sha256
		FROM fine_contest_documents WHERE contest_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ContestDocument
	for rows.Next() {
		var d ContestDocument
		if err := rows.Scan(&d.ID, &d.Kind, &d.FileKey, &d.FileName, &d.ContentType, &d.Size, &d.SHA256); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, s.d.translate(rows.Err())
}

// ListContestsOfNotice returns the notice's contests, oldest first, without
// their documents.
func (s *Store) ListContestsOfNotice(ctx context.Context, noticeID int64) ([]Contest, error) {
	rows, err := s.query(ctx, `SELECT `+contestCols+` FROM fine_contests c WHERE c.notice_id = ? ORDER BY c.id`, noticeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Contest
	for rows.Next() {
		c, err := scanContest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

// ErrContestChanged is the conflict of a contest no longer in the state a
// decision needs (decided meanwhile by another officer).
var ErrContestChanged = apperr.New(apperr.Conflict,
	"Cette contestation vient d'être traitée par ailleurs : la décision n'a pas été enregistrée. Rouvrez le dossier.")

// SetContestState moves contest id from state from to state to with the
// decision's reasons (kept when reasons is ""), in one conditional UPDATE;
// ErrContestChanged when it is no longer in state from.
func (s *Store) SetContestState(ctx context.Context, id int64, from, to ContestState, reasons string, courtFinal date.Null) (Contest, error) {
	now := s.now()
	c, err := scanContest(s.queryRowW(ctx, `UPDATE fine_contests SET state = ?,
		decision = CASE WHEN ? = '' THEN decision ELSE ? END, court_final_on = coalesce(?, court_final_on),
		updated_at = ? WHERE id = ? AND state = ? RETURNING `+strings.ReplaceAll(contestCols, "c.", ""),
		string(to), reasons, reasons, courtFinal, s.d.ts(now), id, string(from)))
	if errors.Is(err, sql.ErrNoRows) {
		if _, ferr := s.FindContest(ctx, id); ferr != nil {
			return Contest{}, ferr
		}
		return Contest{}, ErrContestChanged
	}
	return c, s.d.translate(err)
}

// Designation is the driver a holder (or the OMP) designated for a notice:
// the notice is closed and NewNoticeID was sent to the driver.
type Designation struct {
	ID            int64
	NoticeID      int64
	NewNoticeID   int64
	FamilyName    string
	GivenNames    string
	BirthDate     date.Null
	Address       string
	LicenceNumber string
	Email         string
	DesignatedAt  time.Time
}

// CreateDesignation records d; a notice designates one driver once
// (a second designation is a conflict).
func (s *Store) CreateDesignation(ctx context.Context, d *Designation) error {
	d.DesignatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO fine_designations (notice_id, new_notice_id, family_name, given_names,
		birth_date, address, licence_number, email, designated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.NoticeID, d.NewNoticeID, d.FamilyName, d.GivenNames, d.BirthDate, d.Address, d.LicenceNumber, d.Email,
		s.d.ts(d.DesignatedAt)).Scan(&d.ID)
	return s.d.translate(err)
}

// FindDesignation returns the designation of notice noticeID, or not_found.
func (s *Store) FindDesignation(ctx context.Context, noticeID int64) (Designation, error) {
	var d Designation
	err := s.queryRow(ctx, `SELECT id, notice_id, new_notice_id, family_name, given_names, birth_date, address,
		licence_number, email, designated_at FROM fine_designations WHERE notice_id = ?`, noticeID).Scan(
		&d.ID, &d.NoticeID, &d.NewNoticeID, &d.FamilyName, &d.GivenNames, &d.BirthDate, &d.Address,
		&d.LicenceNumber, &d.Email, timestamp{&d.DesignatedAt})
	return d, notFound(s.d.translate(err), "Aucune désignation pour cet avis.")
}

// FinePaymentKind says what a payment of a notice is for.
type FinePaymentKind string

// Payments of a notice: the fine itself, or the consignation of a contest.
const (
	PaymentFine    FinePaymentKind = "fine"
	PaymentDeposit FinePaymentKind = "deposit"
)

// FinePaymentState is what became of a payment.
type FinePaymentState string

// The states of a payment.
const (
	PaymentKept      FinePaymentState = "kept"
	PaymentRefundDue FinePaymentState = "refund_due" // to be paid back (deposit after a dismissal, a payment that lost a race)
	PaymentRefunded  FinePaymentState = "refunded"
)

// FinePayment is money received for a notice through the payment provider.
type FinePayment struct {
	ID          int64
	NoticeID    int64
	Kind        FinePaymentKind
	AmountCents int64
	PaidOn      date.Date
	ProviderRef string // the provider's payment id: the same callback twice records one payment
	State       FinePaymentState
	CreatedAt   time.Time
}

// RecordFinePayment records p and reports whether it is new: the provider
// reference already recorded changes nothing (the provider's retries).
func (s *Store) RecordFinePayment(ctx context.Context, p *FinePayment) (bool, error) {
	p.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO fine_payments (notice_id, kind, amount_cents, paid_on, provider_ref, state,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider_ref) DO NOTHING RETURNING id`,
		p.NoticeID, string(p.Kind), p.AmountCents, p.PaidOn, p.ProviderRef, string(p.State), s.d.ts(p.CreatedAt)).Scan(&p.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, s.d.translate(err)
}

// ListFinePayments returns the payments of a notice, oldest first.
func (s *Store) ListFinePayments(ctx context.Context, noticeID int64) ([]FinePayment, error) {
	return s.listFinePayments(ctx, `WHERE notice_id = ? ORDER BY id`, noticeID)
}

// ListFinePaymentsInState returns at most limit payments in state, oldest
// first (the refunds due).
func (s *Store) ListFinePaymentsInState(ctx context.Context, state FinePaymentState, limit int) ([]FinePayment, error) {
	return s.listFinePayments(ctx, `WHERE state = ? ORDER BY id LIMIT ?`, string(state), limit)
}

// SetFinePaymentStateOnce moves payment id from state from to state to, in
// one conditional update; false when it was not in state from (another
// instance moved it first).
func (s *Store) SetFinePaymentStateOnce(ctx context.Context, id int64, from, to FinePaymentState) (bool, error) {
	res, err := s.exec(ctx, `UPDATE fine_payments SET state = ? WHERE id = ? AND state = ?`, string(to), id, string(from))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) listFinePayments(ctx context.Context, where string, args ...any) ([]FinePayment, error) {
	rows, err := s.query(ctx, `SELECT id, notice_id, kind, amount_cents, paid_on, provider_ref, state, created_at
		FROM fine_payments `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FinePayment
	for rows.Next() {
		var p FinePayment
		if err := rows.Scan(&p.ID, &p.NoticeID, &p.Kind, &p.AmountCents, &p.PaidOn, &p.ProviderRef, &p.State,
			timestamp{&p.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, s.d.translate(rows.Err())
}

// SetFinePaymentsState moves the notice's payments of kind from state from
// to state to (a deposit refunded after a dismissal) and returns how many.
func (s *Store) SetFinePaymentsState(ctx context.Context, noticeID int64, kind FinePaymentKind, from, to FinePaymentState) (int64, error) {
	res, err := s.exec(ctx, `UPDATE fine_payments SET state = ? WHERE notice_id = ? AND kind = ? AND state = ?`,
		string(to), noticeID, string(kind), string(from))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// FineDecision is one decision of the OMP (or of the court) on a contest.
type FineDecision struct {
	ID           int64
	ContestID    int64
	Kind         ContestState // the state it put the contest in
	Reasons      string
	DecidedBy    string // the officer's name, as the letter signs it
	DecidedAt    time.Time
	CourtFinalOn date.Null
}

// AddFineDecision records d in the contest's history.
func (s *Store) AddFineDecision(ctx context.Context, d *FineDecision) error {
	d.DecidedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO fine_decisions (contest_id, kind, reasons, decided_by, decided_at,
		court_final_on) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, d.ContestID, string(d.Kind), d.Reasons, d.DecidedBy,
		s.d.ts(d.DecidedAt), d.CourtFinalOn).Scan(&d.ID)
	return s.d.translate(err)
}

// ListFineDecisions returns a contest's decisions, oldest first.
func (s *Store) ListFineDecisions(ctx context.Context, contestID int64) ([]FineDecision, error) {
	rows, err := s.query(ctx, `SELECT id, contest_id, kind, reasons, decided_by, decided_at, court_final_on
		FROM fine_decisions WHERE contest_id = ? ORDER BY id`, contestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FineDecision
	for rows.Next() {
		var d FineDecision
		if err := rows.Scan(&d.ID, &d.ContestID, &d.Kind, &d.Reasons, &d.DecidedBy, timestamp{&d.DecidedAt},
			&d.CourtFinalOn); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, s.d.translate(rows.Err())
}

// SetFinePaymentState sets the state of the payment the provider knows as
// providerRef (a payment that lost the race to a contest is to be refunded).
func (s *Store) SetFinePaymentState(ctx context.Context, providerRef string, to FinePaymentState) error {
	_, err := s.exec(ctx, `UPDATE fine_payments SET state = ? WHERE provider_ref = ?`, string(to), providerRef)
	return err
}
