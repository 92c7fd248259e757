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

// Fines: notices (avis de contravention), found by their printed number and
// plate (issue 12, docs/contest.md §11.9). A notice's state moves only
// through SetNoticeState, one conditional UPDATE whose WHERE clause is the
// state it leaves: of a payment and a contest of one notice arriving at the
// same instant from two server instances, exactly one matches the row.

// NoticeState is where a notice stands.
type NoticeState string

// The states of a notice.
const (
	NoticeOpen        NoticeState = "open"        // payable, contestable, designable
	NoticeContested   NoticeState = "contested"   // a contest is with the OMP
	NoticePaid        NoticeState = "paid"        // paid: the offence is established (L223-1)
	NoticeDesignated  NoticeState = "designated"  // closed: a new notice went to the designated driver
	NoticeDismissed   NoticeState = "dismissed"   // closed without a fine: exemption granted, dropped, acquitted
	NoticeEstablished NoticeState = "established" // convicted, or the deposit kept as payment
)

// NoticeHolder is who holds the vehicle's registration: the notice's
// addressee.
type NoticeHolder struct {
	Kind       contest.Holder
	Name       string // family name, or the company's name
	GivenNames string
	BirthDate  date.Null
	SIREN      string
	Address    string // one line, as printed
	Email      string
	LicenceID  int64 // the holder's licence when the register knows it; 0 otherwise
}

// Notice is an avis de contravention (or of amende forfaitaire majorée).
// Amounts are whole euros.
type Notice struct {
	ID               int64
	Number           string // printed on the notice; with the plate, it is what finds it
	Plate            string
	Kind             contest.Kind
	Committed        date.Date
	Place            string
	Nature           string
	Class            string // "1"–"5" or "delit"
	Reduced          int    // the reduced rate (0: none)
	Fine             int    // the standard rate
	Increased        int    // the increased rate (AFM)
	Points           int
	Holder           NoticeHolder
	Sent             date.Date
	Mail             contest.Mail
	State            NoticeState
	ReplacesID       int64 // the holder's notice this one replaces after a designation
	NonDesignationOf int64 // L121-6: the company's notice whose driver was not designated
	EstablishedOn    date.Null
	// IncreasedOn is the day an unpaid avis de contravention became an
	// AFM and was sent again (IncreaseNotice); Sent stays its first
	// sending. Unset for a notice created as an AFM.
	IncreasedOn date.Null
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Rule returns the notice as the contest rules read it.
// The amount the rules read is the one the notice claims: the increased
// rate once it is an AFM (the deposit of a réclamation is the AFM's
// amount, CPP 530).
func (n Notice) Rule() contest.Notice {
	fine, sent := n.Fine, n.Sent
	if n.Kind == contest.AFM && n.Increased > 0 {
		fine = n.Increased
	}
	if n.Kind == contest.AFM && n.IncreasedOn.Valid {
		sent = n.IncreasedOn.Date // the réclamation runs from the AFM's sending
	}
	return contest.Notice{Kind: n.Kind, Sent: sent, Mail: n.Mail, Class: n.Class, Fine: fine,
		Holder: n.Holder.Kind, Committed: n.Committed, Points: n.Points}
}

const noticeCols = `id, number, plate, kind, committed, place, nature, class, reduced, fine, increased, points,
	holder_kind, holder_name, holder_given_names, holder_birth_date, holder_siren, holder_address, holder_email,
	coalesce(licence_id, 0), sent, mail, state, coalesce(replaces_id, 0), coalesce(non_designation_of, 0),
	established_on, increased_on, created_at, updated_at`

func scanNotice(sc scanner) (Notice, error) {
	var n Notice
	err := sc.Scan(&n.ID, &n.Number, &n.Plate, &n.Kind, &n.Committed, &n.Place, &n.Nature, &n.Class, &n.Reduced,
		&n.Fine, &n.Increased, &n.Points, &n.Holder.Kind, &n.Holder.Name, &n.Holder.GivenNames, &n.Holder.BirthDate,
		&n.Holder.SIREN, &n.Holder.Address, &n.Holder.Email, &n.Holder.LicenceID, &n.Sent, &n.Mail, &n.State,
		&n.ReplacesID, &n.NonDesignationOf, &n.EstablishedOn, &n.IncreasedOn, timestamp{&n.CreatedAt}, timestamp{&n.UpdatedAt})
	return n, err
}

const errUnknownNotice = "Avis de contravention introuvable. Vérifiez le numéro de l'avis et l'immatriculation."

// NormalizePlate is a registration plate as stored and compared: upper
// case, without spaces or dashes ("ab-123-cd" → "AB123CD").
func NormalizePlate(p string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\u00a0':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, strings.TrimSpace(p))
}

// NormalizeNoticeNumber is a notice number as stored: its digits only, so
// that "1234 5678 9012 34" and "12345678901234" are the same number.
func NormalizeNoticeNumber(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '-' || r == '.' || r == '\u00a0' {
			return -1
		}
		return 'x' // anything else: a number that matches nothing
	}, strings.TrimSpace(s))
}

// CreateNotice records n (state open unless set) and sets its ID and
// timestamps. A number already recorded is a conflict.
func (s *Store) CreateNotice(ctx context.Context, n *Notice) error {
	if n.State == "" {
		n.State = NoticeOpen
	}
	n.Number, n.Plate = NormalizeNoticeNumber(n.Number), NormalizePlate(n.Plate)
	now := s.now()
	n.CreatedAt, n.UpdatedAt = now, now
	err := s.queryRowW(ctx, `INSERT INTO fine_notices (number, plate, kind, committed, place, nature, class, reduced,
		fine, increased, points, holder_kind, holder_name, holder_given_names, holder_birth_date, holder_siren,
		holder_address, holder_email, licence_id, sent, mail, state, replaces_id, non_designation_of, established_on,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		n.Number, n.Plate, string(n.Kind), n.Committed, n.Place, n.Nature, n.Class, n.Reduced, n.Fine, n.Increased,
		n.Points, string(n.Holder.Kind), strings.TrimSpace(n.Holder.Name), strings.TrimSpace(n.Holder.GivenNames),
		n.Holder.BirthDate, n.Holder.SIREN, n.Holder.Address, strings.ToLower(strings.TrimSpace(n.Holder.Email)),
		nullID(n.Holder.LicenceID), n.Sent, string(n.Mail), string(n.State), nullID(n.ReplacesID),
		nullID(n.NonDesignationOf), n.EstablishedOn, s.d.ts(now), s.d.ts(now)).Scan(&n.ID)
	return s.d.translate(err)
}

// FindNotice returns the notice id, or a not_found error.
func (s *Store) FindNotice(ctx context.Context, id int64) (Notice, error) {
	n, err := scanNotice(s.queryRow(ctx, `SELECT `+noticeCols+` FROM fine_notices WHERE id = ?`, id))
	return n, notFound(s.d.translate(err), errUnknownNotice)
}

// FindNoticeByNumber returns the notice with that number AND that plate:
// whoever holds the paper notice has both. A wrong plate is not_found,
// exactly as an unknown number.
func (s *Store) FindNoticeByNumber(ctx context.Context, number, plate string) (Notice, error) {
	n, err := scanNotice(s.queryRow(ctx, `SELECT `+noticeCols+` FROM fine_notices WHERE number = ? AND plate = ?`,
		NormalizeNoticeNumber(number), NormalizePlate(plate)))
	return n, notFound(s.d.translate(err), errUnknownNotice)
}

// ListNoticesOfLicence returns the notices whose holder is the licence's
// holder, newest first.
func (s *Store) ListNoticesOfLicence(ctx context.Context, licenceID int64) ([]Notice, error) {
	return s.listNotices(ctx, `WHERE licence_id = ? ORDER BY sent DESC, id DESC`, licenceID)
}

func (s *Store) listNotices(ctx context.Context, where string, args ...any) ([]Notice, error) {
	rows, err := s.query(ctx, `SELECT `+noticeCols+` FROM fine_notices `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, s.d.translate(rows.Err())
}

// ErrNoticeChanged is the conflict of a notice that is no longer in the
// state a change needs (paid, contested or designated meanwhile).
var ErrNoticeChanged = apperr.New(apperr.Conflict,
	"Cet avis vient d'être payé, contesté ou désigné : l'opération n'a pas été faite. Consultez son état.")

// SetNoticeState moves notice id from state from to state to, and records
// the day its offence was established when established is set. It is one
// conditional UPDATE: when the notice is not in state from (another
// instance changed it first), nothing is written and the error is
// ErrNoticeChanged, a conflict.
func (s *Store) SetNoticeState(ctx context.Context, id int64, from, to NoticeState, established date.Null) (Notice, error) {
	now := s.now()
	n, err := scanNotice(s.queryRowW(ctx, `UPDATE fine_notices SET state = ?, established_on = coalesce(?, established_on),
		updated_at = ? WHERE id = ? AND state = ? RETURNING `+noticeCols,
		string(to), established, s.d.ts(now), id, string(from)))
	if errors.Is(err, sql.ErrNoRows) {
		if _, ferr := s.FindNotice(ctx, id); ferr != nil {
			return Notice{}, ferr
		}
		return Notice{}, ErrNoticeChanged
	}
	return n, s.d.translate(err)
}

// ListUndesignatedCompanyNotices returns the companies' notices sent on or
// before sentBy whose driver was never designated and for which no
// non-designation fine exists yet (L121-6), oldest first, at most limit.
// Notices closed without a fine (a theft, a sale accepted) are not among
// them, nor those with a contest under way, nor non-designation fines.
func (s *Store) ListUndesignatedCompanyNotices(ctx context.Context, sentBy date.Date, limit int) ([]Notice, error) {
	return s.listNotices(ctx, `WHERE holder_kind = 'company' AND non_designation_of IS NULL AND sent <= ?
		AND points > 0 AND state IN ('open', 'paid', 'established')
		AND NOT EXISTS (SELECT 1 FROM fine_notices nd WHERE nd.non_designation_of = fine_notices.id)
		AND NOT EXISTS (SELECT 1 FROM fine_designations d WHERE d.notice_id = fine_notices.id)
		ORDER BY sent, id LIMIT ?`, sentBy, limit)
}

// ListPayableNoticesSentBy returns the open avis de contravention (not yet
// increased) sent on or before sentBy, oldest first, at most limit: the
// candidates of the nightly increase (contest.Increased decides each).
func (s *Store) ListPayableNoticesSentBy(ctx context.Context, sentBy date.Date, limit int) ([]Notice, error) {
	return s.listNotices(ctx, `WHERE state = 'open' AND kind = 'aco' AND sent <= ? ORDER BY sent, id LIMIT ?`, sentBy, limit)
}

// IncreaseNotice turns the open avis de contravention id into an amende
// forfaitaire majorée sent on sent by ordinary mail (CPP 529-2 al. 2),
// keeping the notice's first sending. It
// is one conditional UPDATE: a notice paid, contested, designated or
// already increased meanwhile is left alone and the error is
// ErrNoticeChanged.
func (s *Store) IncreaseNotice(ctx context.Context, id int64, sent date.Date) (Notice, error) {
	n, err := scanNotice(s.queryRowW(ctx, `UPDATE fine_notices SET kind = 'afm', increased_on = ?, mail = 'ordinary', updated_at = ?
		WHERE id = ? AND state = 'open' AND kind = 'aco' RETURNING `+noticeCols, sent, s.d.ts(s.now()), id))
	if errors.Is(err, sql.ErrNoRows) {
		if _, ferr := s.FindNotice(ctx, id); ferr != nil {
			return Notice{}, ferr
		}
		return Notice{}, ErrNoticeChanged
	}
	return n, s.d.translate(err)
}

// LookupNotice returns the notice with that number, whatever its plate:
// for system callers that already hold the number on good authority (the
// payment provider's signed callback echoes it). People use
// FindNoticeByNumber, which wants the plate too.
func (s *Store) LookupNotice(ctx context.Context, number string) (Notice, error) {
	n, err := scanNotice(s.queryRow(ctx, `SELECT `+noticeCols+` FROM fine_notices WHERE number = ?`, NormalizeNoticeNumber(number)))
	return n, notFound(s.d.translate(err), errUnknownNotice)
}
