package store

import (
	"context"
	"time"

	"permis/internal/date"
)

// CheckCode is a code a holder gives a third party (employer, rental
// company) to check their driving rights. Only a hash of the code is kept.
type CheckCode struct {
	ID         int64
	Hash       []byte
	Hint       string // the code's last characters, for the holder's list
	LicenceID  int64
	UserID     int64
	Label      string
	Shows      string // what the checker sees: "categories" or "categories+restrictions"
	SingleUse  bool
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
	RevokedAt  *time.Time
	Failed     int // wrong licence-number endings typed with this code
	Uses       int // filled by ListCheckCodes
	Statements int // attestation PDFs downloaded with it (ListCheckCodes)
}

const checkCodeCols = `id, hash, hint, licence_id, user_id, label, shows, single_use, created_at, expires_at,
	used_at, revoked_at, failed`

func scanCheckCode(sc scanner) (CheckCode, error) {
	var c CheckCode
	err := scanCheckCodeInto(sc, &c)
	return c, err
}

func scanCheckCodeInto(sc scanner, c *CheckCode, extra ...any) error {
	dest := append([]any{&c.ID, &c.Hash, &c.Hint, &c.LicenceID, &c.UserID, &c.Label, &c.Shows, &c.SingleUse,
		timestamp{&c.CreatedAt}, timestamp{&c.ExpiresAt}, nullTime{&c.UsedAt}, nullTime{&c.RevokedAt}, &c.Failed}, extra...)
	return sc.Scan(dest...)
}

const errUnknownCheckCode = "Code de vérification inconnu."

// CreateCheckCode records c and sets its ID and CreatedAt.
func (s *Store) CreateCheckCode(ctx context.Context, c *CheckCode) error {
	c.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO check_codes (hash, hint, licence_id, user_id, label, shows, single_use,
		created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Hash, c.Hint, c.LicenceID, c.UserID, c.Label, c.Shows, c.SingleUse, s.d.ts(c.CreatedAt), s.d.ts(c.ExpiresAt)).Scan(&c.ID)
	return s.d.translate(err)
}

// FindCheckCodeByHash returns the code with that hash, whatever its state,
// or a not_found error.
func (s *Store) FindCheckCodeByHash(ctx context.Context, hash []byte) (CheckCode, error) {
	c, err := scanCheckCode(s.queryRow(ctx, `SELECT `+checkCodeCols+` FROM check_codes WHERE hash = ?`, hash))
	return c, notFound(s.d.translate(err), errUnknownCheckCode)
}

// ListCheckCodes returns a licence's codes, newest first, with their uses
// counted.
func (s *Store) ListCheckCodes(ctx context.Context, licenceID int64) ([]CheckCode, error) {
	rows, err := s.query(ctx, `SELECT `+checkCodeCols+`,
		(SELECT count(*) FROM check_code_uses u WHERE u.check_code_id = c.id),
		(SELECT count(*) FROM check_code_uses u WHERE u.check_code_id = c.id AND u.outcome = 'pdf')
		FROM check_codes c WHERE licence_id = ? ORDER BY id DESC`, licenceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CheckCode
	for rows.Next() {
		var c CheckCode
		if err := scanCheckCodeInto(rows, &c, &c.Uses, &c.Statements); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

// CheckAttestationGrace is how long after a single-use code was used the
// same checker may still download the attestation of that check, once
// (from the result page): one check is the page and its PDF.
const CheckAttestationGrace = 15 * time.Minute

// ConsumeCheckCode records one use of a usable code at now, atomically: the
// code must be neither revoked, expired, nor (when single use) used already, except for the
// one attestation of a check within CheckAttestationGrace;
// a single-use code is marked used in the same statement, so that two
// checks at the same instant cannot both get in. It returns the code, or a
// not_found error when it is not usable.
func (s *Store) ConsumeCheckCode(ctx context.Context, id int64, now time.Time, organisation, outcome string) (CheckCode, error) {
	var c CheckCode
	err := s.Transact(ctx, func(tx *Store) error {
		var err error
		c, err = scanCheckCode(tx.queryRowW(ctx, `UPDATE check_codes
			SET used_at = coalesce(used_at, ?)
			WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (NOT single_use OR used_at IS NULL
				OR (? = 'pdf' AND used_at > ? AND NOT EXISTS (
					SELECT 1 FROM check_code_uses u WHERE u.check_code_id = check_codes.id AND u.outcome = 'pdf')))
			RETURNING `+checkCodeCols, tx.d.ts(now), id, tx.d.ts(now), outcome, tx.d.ts(now.Add(-CheckAttestationGrace))))
		if err != nil {
			return notFound(tx.d.translate(err), "Ce code de vérification n'est plus valable.")
		}
		_, err = tx.exec(ctx, `INSERT INTO check_code_uses (check_code_id, at, organisation, outcome) VALUES (?, ?, ?, ?)`,
			id, tx.d.ts(now), organisation, outcome)
		return err
	})
	return c, err
}

// RecordCheckCodeFailure counts a wrong licence-number ending typed with a
// code and returns the new count.
func (s *Store) RecordCheckCodeFailure(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.queryRowW(ctx, `UPDATE check_codes SET failed = failed + 1 WHERE id = ? RETURNING failed`, id).Scan(&n)
	return n, notFound(s.d.translate(err), errUnknownCheckCode)
}

// RevokeCheckCode revokes the code id of licenceID (both must match, so a
// holder can only revoke their own); revoking twice keeps the first date.
func (s *Store) RevokeCheckCode(ctx context.Context, id, licenceID int64, now time.Time) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE check_codes SET revoked_at = coalesce(revoked_at, ?)
		WHERE id = ? AND licence_id = ? RETURNING id`, s.d.ts(now), id, licenceID).Scan(&got)
	return notFound(s.d.translate(err), errUnknownCheckCode)
}

// CheckCodeUse is one check made with a code.
type CheckCodeUse struct {
	At           time.Time
	Organisation string
	Outcome      string
}

// ListCheckCodeUses returns the checks made with a code, newest first.
func (s *Store) ListCheckCodeUses(ctx context.Context, codeID int64) ([]CheckCodeUse, error) {
	rows, err := s.query(ctx, `SELECT at, organisation, outcome FROM check_code_uses WHERE check_code_id = ? ORDER BY id DESC`, codeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CheckCodeUse
	for rows.Next() {
		var u CheckCodeUse
		if err := rows.Scan(timestamp{&u.At}, &u.Organisation, &u.Outcome); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, s.d.translate(rows.Err())
}

// Statement is an issued statement PDF (full statement or attestation),
// kept so that its 2D-Doc can be matched to what was issued.
type Statement struct {
	ID          int64
	Reference   string
	LicenceID   int64 // 0 for a person who holds no licence: NEPH is set
	NEPH        string
	Kind        string // "rii", "adcs", "loss", "cepc"
	IssuedAt    time.Time
	ValidUntil  date.Null
	Barcode     string
	RequestedBy string
}

// CreateStatement records an issued statement and sets its ID.
func (s *Store) CreateStatement(ctx context.Context, st *Statement) error {
	var neph any
	if st.NEPH != "" {
		neph = st.NEPH
	}
	err := s.queryRowW(ctx, `INSERT INTO statements (reference, licence_id, neph, kind, issued_at, valid_until, barcode, requested_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, st.Reference, nullID(st.LicenceID), neph, st.Kind, s.d.ts(st.IssuedAt),
		st.ValidUntil, st.Barcode, st.RequestedBy).Scan(&st.ID)
	return s.d.translate(err)
}

// FindStatementByReference returns an issued statement, or not_found.
func (s *Store) FindStatementByReference(ctx context.Context, ref string) (Statement, error) {
	st, err := scanStatement(s.queryRow(ctx, `SELECT `+statementCols+` FROM statements WHERE reference = ?`, ref))
	return st, notFound(s.d.translate(err), "Document inconnu.")
}

// FindStatementByBarcode returns the issued statement whose 2D-Doc has
// this exact text, or not_found.
func (s *Store) FindStatementByBarcode(ctx context.Context, barcode string) (Statement, error) {
	st, err := scanStatement(s.queryRow(ctx, `SELECT `+statementCols+` FROM statements WHERE barcode = ? LIMIT 1`, barcode))
	return st, notFound(s.d.translate(err), "Document inconnu.")
}

// statementCols are a statement's columns as scanStatement reads them: a
// document of a person with no licence has no licence_id (0), a NEPH.
const statementCols = `id, reference, COALESCE(licence_id, 0), COALESCE(neph, ''), kind, issued_at, valid_until, barcode, requested_by`

func scanStatement(sc scanner) (Statement, error) {
	var st Statement
	err := sc.Scan(&st.ID, &st.Reference, &st.LicenceID, &st.NEPH, &st.Kind, timestamp{&st.IssuedAt}, &st.ValidUntil,
		&st.Barcode, &st.RequestedBy)
	return st, err
}

// Consent is a standing consent: the holder lets one organisation be told
// when the rights it checked change, until the holder withdraws it.
type Consent struct {
	ID            int64
	LicenceID     int64
	UserID        int64
	Organisation  string
	Email         string
	CreatedAt     time.Time
	WithdrawnAt   *time.Time
	LastRights    string
	LastCheckedAt *time.Time
}

const consentCols = `id, licence_id, user_id, organisation, email, created_at, withdrawn_at, last_rights, last_checked_at`

func scanConsent(sc scanner) (Consent, error) {
	var c Consent
	err := sc.Scan(&c.ID, &c.LicenceID, &c.UserID, &c.Organisation, &c.Email, timestamp{&c.CreatedAt},
		nullTime{&c.WithdrawnAt}, &c.LastRights, nullTime{&c.LastCheckedAt})
	return c, err
}

// CreateConsent records c and sets its ID and CreatedAt.
func (s *Store) CreateConsent(ctx context.Context, c *Consent) error {
	c.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO consents (licence_id, user_id, organisation, email, created_at, last_rights, last_checked_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.LicenceID, c.UserID, c.Organisation, c.Email, s.d.ts(c.CreatedAt),
		c.LastRights, s.d.ts(c.CreatedAt)).Scan(&c.ID)
	return s.d.translate(err)
}

// ListConsents returns a licence's consents, newest first; withdrawn ones
// only when all is true.
func (s *Store) ListConsents(ctx context.Context, licenceID int64, all bool) ([]Consent, error) {
	q := `SELECT ` + consentCols + ` FROM consents WHERE licence_id = ?`
	if !all {
		q += ` AND withdrawn_at IS NULL`
	}
	rows, err := s.query(ctx, q+` ORDER BY id DESC`, licenceID)
	if err != nil {
		return nil, err
	}
	return collectConsents(s, rows)
}

// ListActiveConsents returns every consent not withdrawn, for the job that
// tells organisations about changes, in id order after afterID.
func (s *Store) ListActiveConsents(ctx context.Context, afterID int64, limit int) ([]Consent, error) {
	rows, err := s.query(ctx, `SELECT `+consentCols+` FROM consents WHERE withdrawn_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
		afterID, limit)
	if err != nil {
		return nil, err
	}
	return collectConsents(s, rows)
}

func collectConsents(s *Store, rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]Consent, error) {
	defer rows.Close()
	var out []Consent
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

// WithdrawConsent withdraws the consent id of licenceID.
func (s *Store) WithdrawConsent(ctx context.Context, id, licenceID int64, now time.Time) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE consents SET withdrawn_at = coalesce(withdrawn_at, ?)
		WHERE id = ? AND licence_id = ? RETURNING id`, s.d.ts(now), id, licenceID).Scan(&got)
	return notFound(s.d.translate(err), "Autorisation inconnue.")
}

// UpdateConsentRights records the rights last told to the organisation.
func (s *Store) UpdateConsentRights(ctx context.Context, id int64, rights string, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE consents SET last_rights = ?, last_checked_at = ? WHERE id = ?`, rights, s.d.ts(at), id)
	return err
}
