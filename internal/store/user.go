package store

import (
	"context"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

// User is an account of the portal: a citizen, a partner (driving school,
// photographer, doctor) or an agent. Citizens signed in through OpenID
// Connect have an issuer and subject and may have no password.
type User struct {
	ID              int64
	Role            string
	Email           string // lower case; "" when none
	EmailVerifiedAt *time.Time
	PasswordHash    string
	GivenName       string
	FamilyName      string
	BirthDate       date.Null
	BirthPlace      string
	Gender          string
	OIDCIssuer      string
	OIDCSubject     string
	ApprovalNumber  string
	Organisation    string
	TOTPSecret      string
	TOTPEnabledAt   *time.Time
	FailedLogins    int
	LockedUntil     *time.Time
	LicenceID       int64 // 0 while no licence is linked
	LinkedAt        *time.Time
	CreatedAt       time.Time
	DisabledAt      *time.Time
}

const userCols = `id, role, coalesce(email, ''), email_verified_at, password_hash, given_name, family_name,
	birth_date, birth_place, gender, coalesce(oidc_issuer, ''), coalesce(oidc_subject, ''), approval_number,
	organisation, totp_secret, totp_enabled_at, failed_logins, locked_until, coalesce(licence_id, 0), linked_at,
	created_at, disabled_at`

func scanUser(sc scanner) (User, error) {
	var u User
	err := sc.Scan(&u.ID, &u.Role, &u.Email, nullTime{&u.EmailVerifiedAt}, &u.PasswordHash, &u.GivenName,
		&u.FamilyName, &u.BirthDate, &u.BirthPlace, &u.Gender, &u.OIDCIssuer, &u.OIDCSubject, &u.ApprovalNumber,
		&u.Organisation, &u.TOTPSecret, nullTime{&u.TOTPEnabledAt}, &u.FailedLogins, nullTime{&u.LockedUntil},
		&u.LicenceID, nullTime{&u.LinkedAt}, timestamp{&u.CreatedAt}, nullTime{&u.DisabledAt})
	return u, err
}

// nullable turns "" into NULL, so that UNIQUE columns allow many accounts
// without an email or without an OpenID subject.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Store) nullTS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return s.d.ts(*t)
}

const errUnknownUser = "Compte inconnu."

// CreateUser records u and sets its ID and CreatedAt. An email or OpenID
// subject already used is a conflict.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO users (role, email, email_verified_at, password_hash, given_name,
		family_name, birth_date, birth_place, gender, oidc_issuer, oidc_subject, approval_number, organisation,
		totp_secret, totp_enabled_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Role, nullable(u.Email), s.nullTS(u.EmailVerifiedAt), u.PasswordHash, u.GivenName, u.FamilyName,
		u.BirthDate, u.BirthPlace, u.Gender, nullable(u.OIDCIssuer), nullable(u.OIDCSubject), u.ApprovalNumber,
		u.Organisation, u.TOTPSecret, s.nullTS(u.TOTPEnabledAt), s.d.ts(u.CreatedAt)).Scan(&u.ID)
	if err := s.d.translate(err); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Wrap(apperr.Conflict, "Un compte existe déjà avec cette adresse ou cette identité.", err)
		}
		return err
	}
	return nil
}

// FindUser returns the account with that id, or a not_found error.
func (s *Store) FindUser(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	return u, notFound(s.d.translate(err), errUnknownUser)
}

// FindUserByEmail returns the account with that email (any case), or a
// not_found error.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`,
		strings.ToLower(strings.TrimSpace(email))))
	return u, notFound(s.d.translate(err), errUnknownUser)
}

// FindUserBySubject returns the account bound to an OpenID identity, or a
// not_found error.
func (s *Store) FindUserBySubject(ctx context.Context, issuer, subject string) (User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE oidc_issuer = ? AND oidc_subject = ?`,
		issuer, subject))
	return u, notFound(s.d.translate(err), errUnknownUser)
}

// UserPatch lists the columns UpdateUser changes; nil fields are left alone.
type UserPatch struct {
	EmailVerifiedAt *time.Time
	PasswordHash    *string
	GivenName       *string
	FamilyName      *string
	BirthDate       *date.Null
	BirthPlace      *string
	Gender          *string
	Organisation    *string // an agent's: the help point where they work (the agenda's site)
	Email           *string
	TOTPSecret      *string
	TOTPEnabledAt   *time.Time
	FailedLogins    *int
	LockedUntil     **time.Time
	LicenceID       *int64 // 0 unlinks
	LinkedAt        *time.Time
	DisabledAt      *time.Time
}

// UpdateUser applies p to the account id; an unknown id is not_found.
func (s *Store) UpdateUser(ctx context.Context, id int64, p UserPatch) error {
	var sets []string
	var args []any
	set := func(col string, v any) {
		sets = append(sets, col+" = ?")
		args = append(args, v)
	}
	if p.EmailVerifiedAt != nil {
		set("email_verified_at", s.d.ts(*p.EmailVerifiedAt))
	}
	if p.PasswordHash != nil {
		set("password_hash", *p.PasswordHash)
	}
	if p.GivenName != nil {
		set("given_name", *p.GivenName)
	}
	if p.FamilyName != nil {
		set("family_name", *p.FamilyName)
	}
	if p.BirthDate != nil {
		set("birth_date", *p.BirthDate)
	}
	if p.BirthPlace != nil {
		set("birth_place", *p.BirthPlace)
	}
	if p.Gender != nil {
		set("gender", *p.Gender)
	}
	if p.Organisation != nil {
		set("organisation", *p.Organisation)
	}
	if p.Email != nil {
		set("email", nullable(strings.ToLower(strings.TrimSpace(*p.Email))))
	}
	if p.TOTPSecret != nil {
		set("totp_secret", *p.TOTPSecret)
	}
	if p.TOTPEnabledAt != nil {
		set("totp_enabled_at", s.d.ts(*p.TOTPEnabledAt))
	}
	if p.FailedLogins != nil {
		set("failed_logins", *p.FailedLogins)
	}
	if p.LockedUntil != nil {
		set("locked_until", s.nullTS(*p.LockedUntil))
	}
	if p.LicenceID != nil {
		if *p.LicenceID == 0 {
			set("licence_id", nil)
		} else {
			set("licence_id", *p.LicenceID)
		}
	}
	if p.LinkedAt != nil {
		set("linked_at", s.d.ts(*p.LinkedAt))
	}
	if p.DisabledAt != nil {
		set("disabled_at", s.d.ts(*p.DisabledAt))
	}
	if len(sets) == 0 {
		return nil
	}
	args = append(args, id)
	var got int64
	err := s.queryRowW(ctx, `UPDATE users SET `+strings.Join(sets, ", ")+` WHERE id = ? RETURNING id`, args...).Scan(&got)
	return notFound(s.d.translate(err), errUnknownUser)
}

// RecordFailedLogin adds one to the account's failed sign-ins and returns
// the new count, in one statement so that concurrent attempts all count.
func (s *Store) RecordFailedLogin(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.queryRowW(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, id).Scan(&n)
	return n, notFound(s.d.translate(err), errUnknownUser)
}

// ListUsersOfLicence returns the accounts linked to a licence.
func (s *Store) ListUsersOfLicence(ctx context.Context, licenceID int64) ([]User, error) {
	rows, err := s.query(ctx, `SELECT `+userCols+` FROM users WHERE licence_id = ? ORDER BY id`, licenceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, s.d.translate(rows.Err())
}

// Session is a signed-in browser. Only a hash of the cookie's secret is
// stored, so a copy of the database does not let anyone sign in.
type Session struct {
	Hash           []byte
	UserID         int64
	CreatedAt      time.Time
	SeenAt         time.Time
	ExpiresAt      time.Time
	SecondFactorAt *time.Time
	IDTokenHint    string
	UserAgent      string
}

const sessionCols = `hash, user_id, created_at, seen_at, expires_at, second_factor_at, id_token_hint, user_agent`

func scanSession(sc scanner) (Session, error) {
	var se Session
	err := sc.Scan(&se.Hash, &se.UserID, timestamp{&se.CreatedAt}, timestamp{&se.SeenAt}, timestamp{&se.ExpiresAt},
		nullTime{&se.SecondFactorAt}, &se.IDTokenHint, &se.UserAgent)
	return se, err
}

// CreateSession records a session.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	_, err := s.exec(ctx, `INSERT INTO sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		se.Hash, se.UserID, s.d.ts(se.CreatedAt), s.d.ts(se.SeenAt), s.d.ts(se.ExpiresAt), s.nullTS(se.SecondFactorAt),
		se.IDTokenHint, se.UserAgent)
	return err
}

// FindSession returns the session with that hash if it has not expired at
// now, or a not_found error.
func (s *Store) FindSession(ctx context.Context, hash []byte, now time.Time) (Session, error) {
	se, err := scanSession(s.queryRow(ctx, `SELECT `+sessionCols+` FROM sessions WHERE hash = ? AND expires_at > ?`,
		hash, s.d.ts(now)))
	if err != nil {
		return Session{}, notFound(s.d.translate(err), "Session expirée.")
	}
	return se, nil
}

// TouchSession moves a session's last-seen time and expiry (sliding expiry).
func (s *Store) TouchSession(ctx context.Context, hash []byte, seen, expires time.Time) error {
	_, err := s.exec(ctx, `UPDATE sessions SET seen_at = ?, expires_at = ? WHERE hash = ?`,
		s.d.ts(seen), s.d.ts(expires), hash)
	return err
}

// MarkSessionSecondFactor records that the second factor was given.
func (s *Store) MarkSessionSecondFactor(ctx context.Context, hash []byte, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE sessions SET second_factor_at = ? WHERE hash = ?`, s.d.ts(at), hash)
	return err
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	_, err := s.exec(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
	return err
}

// DeleteUserSessions ends every session of an account (after a password
// reset, for instance) and returns how many there were.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PruneSessions deletes sessions expired before now.
func (s *Store) PruneSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, s.d.ts(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// EmailLink is a one-time link sent by email (address verification or
// password reset). Only a hash of its secret is stored.
type EmailLink struct {
	Hash      []byte
	UserID    int64
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// CreateEmailLink records a link.
func (s *Store) CreateEmailLink(ctx context.Context, l EmailLink) error {
	_, err := s.exec(ctx, `INSERT INTO email_links (hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		l.Hash, l.UserID, l.Purpose, s.d.ts(l.CreatedAt), s.d.ts(l.ExpiresAt))
	return err
}

// UseEmailLink consumes the unused, unexpired link with that hash and
// purpose, in one statement so that a link works once even when clicked
// twice at the same instant, and returns it. Anything else is not_found.
func (s *Store) UseEmailLink(ctx context.Context, hash []byte, purpose string, now time.Time) (EmailLink, error) {
	l := EmailLink{Hash: hash, Purpose: purpose}
	err := s.queryRowW(ctx, `UPDATE email_links SET used_at = ?
		WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
		RETURNING user_id, created_at, expires_at`, s.d.ts(now), hash, purpose, s.d.ts(now)).
		Scan(&l.UserID, timestamp{&l.CreatedAt}, timestamp{&l.ExpiresAt})
	if err != nil {
		return EmailLink{}, notFound(s.d.translate(err), "Ce lien n'est plus valable.")
	}
	l.UsedAt = &now
	return l, nil
}

// UseTOTPStep records that the TOTP code of time step was accepted for the
// account, only if no later or equal step was accepted before: a code works
// once, even across server instances. It reports whether the step was new.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	var got int64
	err := s.queryRowW(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ? RETURNING id`,
		step, userID, step).Scan(&got)
	if err != nil {
		if err = notFound(s.d.translate(err), ""); apperr.Is(err, apperr.NotFound) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// TOTPLastStep returns the last TOTP time step accepted for the account.
func (s *Store) TOTPLastStep(ctx context.Context, userID int64) (int64, error) {
	var step int64
	err := s.queryRowW(ctx, `SELECT totp_last_step FROM users WHERE id = ?`, userID).Scan(&step)
	return step, notFound(s.d.translate(err), errUnknownUser)
}
