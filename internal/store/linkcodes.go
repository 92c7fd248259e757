package store

import (
	"context"
	"time"
)

// LinkCode is an activation code posted to a licence holder's address in
// the register: the proof that lets a local account link that licence
// (issue 10, finding 2). Only the SHA-256 of the code is kept.
type LinkCode struct {
	Hash      []byte
	UserID    int64 // the account that asked for it
	LicenceID int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateLinkCode records a new activation code.
func (s *Store) CreateLinkCode(ctx context.Context, c LinkCode) error {
	_, err := s.exec(ctx, `INSERT INTO licence_link_codes (hash, user_id, licence_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		c.Hash, c.UserID, c.LicenceID, s.d.ts(c.CreatedAt), s.d.ts(c.ExpiresAt))
	return s.d.translate(err)
}

// UseLinkCode consumes the unused, unexpired code with that hash asked for
// by userID, in one statement so that a code works once even when typed
// twice at the same instant, and returns the licence it is for. Anything
// else is not_found.
func (s *Store) UseLinkCode(ctx context.Context, hash []byte, userID int64, now time.Time) (int64, error) {
	var licenceID int64
	err := s.queryRowW(ctx, `UPDATE licence_link_codes SET used_at = ?
		WHERE hash = ? AND user_id = ? AND used_at IS NULL AND expires_at > ?
		RETURNING licence_id`, s.d.ts(now), hash, userID, s.d.ts(now)).Scan(&licenceID)
	return licenceID, notFound(s.d.translate(err), "Ce code d'activation n'est pas valable.")
}

// CountLinkCodes counts the codes userID asked for since a time, whatever
// became of them: letters cost money and reach a real person.
func (s *Store) CountLinkCodes(ctx context.Context, userID int64, since time.Time) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM licence_link_codes WHERE user_id = ? AND created_at >= ?`,
		userID, s.d.ts(since)).Scan(&n)
	return n, err
}

// FindUserOfLicence returns the account the licence is linked to, or
// not_found. There is at most one (a unique index).
func (s *Store) FindUserOfLicence(ctx context.Context, licenceID int64) (User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE licence_id = ?`, licenceID))
	return u, notFound(s.d.translate(err), errUnknownUser)
}

// PostalLetter is a letter to be printed and posted by the mail production
// line: the holder's name and address from the register, and the text.
type PostalLetter struct {
	ID        int64
	Kind      string // licence_link_code…
	Recipient string
	Address   string // lines separated by "\n"
	Subject   string
	Text      string
	LicenceID int64 // 0: none
	Status    string
	CreatedAt time.Time
}

// CreatePostalLetter queues a letter and sets its ID and CreatedAt.
func (s *Store) CreatePostalLetter(ctx context.Context, l *PostalLetter) error {
	l.CreatedAt, l.Status = s.now(), "pending"
	var licence any
	if l.LicenceID != 0 {
		licence = l.LicenceID
	}
	err := s.queryRowW(ctx, `INSERT INTO postal_letters (kind, recipient, address, subject, body_text, licence_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, l.Kind, l.Recipient, l.Address, l.Subject, l.Text, licence,
		s.d.ts(l.CreatedAt)).Scan(&l.ID)
	return s.d.translate(err)
}

// ListPostalLetters returns the latest letters, newest first, at most limit.
func (s *Store) ListPostalLetters(ctx context.Context, limit int) ([]PostalLetter, error) {
	rows, err := s.query(ctx, `SELECT id, kind, recipient, address, subject, body_text, coalesce(licence_id, 0), status, created_at
		FROM postal_letters ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PostalLetter
	for rows.Next() {
		var l PostalLetter
		if err := rows.Scan(&l.ID, &l.Kind, &l.Recipient, &l.Address, &l.Subject, &l.Text, &l.LicenceID, &l.Status,
			timestamp{&l.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// FindOpenRequest returns the open (filed, not rejected nor delivered)
// request of kind on the licence other than exceptID, or not_found. A
// partial unique index keeps at most one.
func (s *Store) FindOpenRequest(ctx context.Context, licenceID int64, kind string, exceptID int64) (Request, error) {
	r, err := scanRequest(s.queryRow(ctx, `SELECT `+requestCols+` FROM requests
		WHERE licence_id = ? AND kind = ? AND id <> ? AND status NOT IN ('draft', 'rejected', 'delivered')`,
		licenceID, kind, exceptID))
	return r, notFound(s.d.translate(err), errUnknownRequest)
}
