package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/mail"
	"permis/internal/secret"
	"permis/internal/store"
)

// Account rules. The delays are those of Mes points permis where it states
// them (the activation link lasts 12 h, REFERENCE.md §4); the others are
// the usual ones of a public service and can be changed in one place.
const (
	verifyLinkTTL     = 12 * time.Hour
	resetLinkTTL      = time.Hour
	loginWindow       = 15 * time.Minute // rate limit window of sign-in attempts
	loginPerClient    = 30               // attempts per client address and window
	registerPerClient = 10               // accounts created per client address and hour
	resetPerEmail     = 3                // reset mails per address and hour
)

// Account is what the portal shows of the signed-in person's account.
type Account struct {
	ID            int64
	Role          access.Role
	Email         string
	EmailVerified bool
	GivenName     string
	FamilyName    string
	BirthDate     date.Null
	BirthPlace    string
	Gender        string // from the identity provider: "female", "male" or ""
	ViaOIDC       bool   // signed up through the identity provider (FranceConnect-like)
	OIDCIssuer    string // that provider's issuer, "" for a local account
	HasPassword   bool
	LicenceLinked bool
	SecondFactor  bool // TOTP enrolled
	Organisation  string
}

// Name is the person's name as shown in the header.
func (ac Account) Name() string {
	n := strings.TrimSpace(ac.GivenName + " " + ac.FamilyName)
	if n == "" {
		return ac.Email
	}
	return n
}

func accountOf(u store.User) Account {
	return Account{
		ID: u.ID, Role: access.Role(u.Role), Email: u.Email, EmailVerified: u.EmailVerifiedAt != nil,
		GivenName: u.GivenName, FamilyName: u.FamilyName, BirthDate: u.BirthDate, BirthPlace: u.BirthPlace, Gender: u.Gender,
		ViaOIDC: u.OIDCSubject != "", OIDCIssuer: u.OIDCIssuer, HasPassword: u.PasswordHash != "", LicenceLinked: u.LicenceID != 0,
		SecondFactor: u.TOTPEnabledAt != nil, Organisation: u.Organisation,
	}
}

// NeedsSecondFactor reports whether accounts of role r must give a TOTP
// code at each sign-in: every agent of the administration.
func NeedsSecondFactor(r access.Role) bool {
	switch r {
	case access.Agent, access.Helpdesk, access.Prosecutor, access.Admin:
		return true
	}
	return false
}

// Registration is the local-account sign-up form.
type Registration struct {
	Email      string
	Password   string
	GivenName  string
	FamilyName string
	BirthDate  string // as typed: JJ/MM/AAAA or AAAA-MM-JJ
}

func (in Registration) check() (date.Date, error) {
	fields := map[string]string{}
	email := strings.TrimSpace(in.Email)
	if !plausibleEmail(email) {
		fields["email"] = "Saisissez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if strings.TrimSpace(in.GivenName) == "" {
		fields["given_name"] = "Saisissez votre prénom."
	}
	if strings.TrimSpace(in.FamilyName) == "" {
		fields["family_name"] = "Saisissez votre nom de famille."
	}
	birth, ok := parseBirthDate(in.BirthDate)
	if !ok {
		fields["birth_date"] = birthDateHint
	}
	if err := secret.CheckPasswordPolicy(in.Password, email); err != nil {
		fields["password"] = apperr.As(err).Message
	}
	if len(fields) > 0 {
		return 0, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: fields}
	}
	return birth, nil
}

// plausibleEmail is a sanity check, not a validation: the verification link
// is what proves an address.
func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " \t\r\n<>,;\"")
}

const birthDateHint = "Saisissez votre date de naissance au format JJ/MM/AAAA, par exemple 12/03/1990."

// parseBirthDate accepts JJ/MM/AAAA (as people type it) or AAAA-MM-JJ (the
// date input), and refuses dates before 1900.
func parseBirthDate(s string) (date.Date, bool) {
	s = strings.TrimSpace(s)
	var d date.Date
	var err error
	if strings.Contains(s, "/") {
		var dd, mm, yy int
		if _, e := fmt.Sscanf(s, "%d/%d/%d", &dd, &mm, &yy); e != nil || yy < 1000 {
			return 0, false
		}
		d, err = date.Parse(fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd))
	} else {
		d, err = date.Parse(s)
	}
	if err != nil || d.Year() < 1900 {
		return 0, false
	}
	return d, true
}

// Register creates a local citizen account and mails its verification link.
// An address already registered gets a mail saying so instead, and the
// answer is the same, so that the form does not tell who has an account.
func (a *App) Register(ctx context.Context, req Request, in Registration) error {
	birth, err := in.check()
	if err != nil {
		return err
	}
	if err := a.limit(ctx, "register:client:"+req.Client, time.Hour, registerPerClient); err != nil {
		return err
	}
	hash, err := secret.HashPassword(in.Password, a.passwords)
	if err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		existing, err := tx.FindUserByEmail(ctx, in.Email)
		if err == nil {
			_, err = mail.Enqueue(ctx, tx, a.mailAlreadyRegistered(existing))
			return err
		}
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		u := store.User{
			Role: string(access.Citizen), Email: in.Email, PasswordHash: hash,
			GivenName: strings.TrimSpace(in.GivenName), FamilyName: strings.TrimSpace(in.FamilyName),
			BirthDate: date.Some(birth),
		}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		link, err := a.newEmailLink(ctx, tx, u.ID, "verify", verifyLinkTTL)
		if err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, a.mailVerify(u, link)); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "account.create", "user", fmt.Sprint(u.ID))
	})
}

// newEmailLink records a one-time link and returns its full URL.
func (a *App) newEmailLink(ctx context.Context, tx *store.Store, userID int64, purpose string, ttl time.Duration) (string, error) {
	plain, hash := secret.NewToken()
	now := a.clock.Now()
	if err := tx.CreateEmailLink(ctx, store.EmailLink{Hash: hash, UserID: userID, Purpose: purpose, CreatedAt: now, ExpiresAt: now.Add(ttl)}); err != nil {
		return "", err
	}
	path := "/compte/verification/"
	if purpose == "reset" {
		path = "/mot-de-passe/nouveau/"
	}
	return a.publicURL + path + plain, nil
}

// VerifyEmail consumes a verification link.
func (a *App) VerifyEmail(ctx context.Context, req Request, token string) error {
	return a.store.Transact(ctx, func(tx *store.Store) error {
		l, err := tx.UseEmailLink(ctx, secret.HashToken(token), "verify", a.clock.Now())
		if err != nil {
			return apperr.Wrap(apperr.NotFound, "Ce lien de validation n'est plus valable : il a déjà servi ou a expiré (il est valable 12 heures). Connectez-vous pour en recevoir un nouveau.", err)
		}
		now := a.clock.Now()
		if err := tx.UpdateUser(ctx, l.UserID, store.UserPatch{EmailVerifiedAt: &now}); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "account.verify_email", "user", fmt.Sprint(l.UserID))
	})
}

// ResendVerification mails a new verification link to an unverified account.
func (a *App) ResendVerification(ctx context.Context, req Request, userID int64) error {
	if err := a.limit(ctx, fmt.Sprintf("verify:user:%d", userID), time.Hour, resetPerEmail); err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		u, err := tx.FindUser(ctx, userID)
		if err != nil || u.EmailVerifiedAt != nil || u.Email == "" {
			return err
		}
		link, err := a.newEmailLink(ctx, tx, u.ID, "verify", verifyLinkTTL)
		if err != nil {
			return err
		}
		_, err = mail.Enqueue(ctx, tx, a.mailVerify(u, link))
		return err
	})
}

// SignIn checks an email and password and opens a session. Failures are
// counted per address and client, with growing delays (signin_guard.go);
// every refusal gets the same answer, and an unknown address costs the
// same time as a known one.
func (a *App) SignIn(ctx context.Context, req Request, email, password, userAgent string) (NewSession, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || password == "" {
		return NewSession{}, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.",
			Fields: map[string]string{"email": "Saisissez votre adresse électronique et votre mot de passe."}}
	}
	// The client's own limit is told as it is (it does not depend on the
	// address); everything else about the address gets one answer.
	if res, err := a.store.PeekRateLimit(ctx, "login:client:"+req.Client, a.clock.Now(), loginWindow, loginPerClient); err != nil {
		return NewSession{}, err
	} else if !res.Allowed {
		return NewSession{}, tooMany(res.RetryAfter)
	}
	if ok, err := a.signInAllowed(ctx, email, req.Client); err != nil {
		return NewSession{}, err
	} else if !ok {
		secret.DummyCheck(password, a.passwords)
		return NewSession{}, errSignInRefused
	}
	u, err := a.store.FindUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (u.PasswordHash == "" || u.DisabledAt != nil)) {
		secret.DummyCheck(password, a.passwords)
		return NewSession{}, a.signInFailed(ctx, req, email, nil)
	}
	if err != nil {
		return NewSession{}, err
	}
	ok, rehash, err := secret.CheckPassword(u.PasswordHash, password, a.passwords)
	if err != nil {
		return NewSession{}, err
	}
	if !ok {
		return NewSession{}, a.signInFailed(ctx, req, email, &u)
	}
	if err := a.signInSucceeded(ctx, email, req.Client); err != nil {
		return NewSession{}, err
	}
	zero := 0
	var noLock *time.Time
	patch := store.UserPatch{FailedLogins: &zero, LockedUntil: &noLock}
	if rehash {
		if h, err := secret.HashPassword(password, a.passwords); err == nil {
			patch.PasswordHash = &h
		}
	}
	if err := a.store.UpdateUser(ctx, u.ID, patch); err != nil {
		return NewSession{}, err
	}
	a.audit.Record(ctx, a.entry(req, "account.sign_in", "user", fmt.Sprint(u.ID)))
	return a.openSession(ctx, u, userAgent, "")
}

// RequestPasswordReset mails a reset link when the address has an account
// with a password; the answer is the same either way.
func (a *App) RequestPasswordReset(ctx context.Context, req Request, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if !plausibleEmail(email) {
		return apperr.Field("email", "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.")
	}
	if err := a.limit(ctx, "reset:email:"+email, time.Hour, resetPerEmail); err != nil {
		return err
	}
	if err := a.limit(ctx, "reset:client:"+req.Client, time.Hour, registerPerClient); err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		u, err := tx.FindUserByEmail(ctx, email)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		link, err := a.newEmailLink(ctx, tx, u.ID, "reset", resetLinkTTL)
		if err != nil {
			return err
		}
		_, err = mail.Enqueue(ctx, tx, a.mailReset(u, link))
		return err
	})
}

// ResetPassword sets a new password with a reset link, unlocks the account
// and ends every session of it.
func (a *App) ResetPassword(ctx context.Context, req Request, token, password string) error {
	var u store.User
	err := a.store.Transact(ctx, func(tx *store.Store) error {
		// Checked inside the transaction, before the link is consumed: a
		// refused password leaves the link usable.
		l, err := tx.UseEmailLink(ctx, secret.HashToken(token), "reset", a.clock.Now())
		if err != nil {
			return apperr.Wrap(apperr.NotFound, "Ce lien de réinitialisation n'est plus valable : il a déjà servi ou a expiré (il est valable 1 heure). Demandez-en un nouveau.", err)
		}
		if u, err = tx.FindUser(ctx, l.UserID); err != nil {
			return err
		}
		if err := secret.CheckPasswordPolicy(password, u.Email); err != nil {
			return apperr.Field("password", apperr.As(err).Message)
		}
		hash, err := secret.HashPassword(password, a.passwords)
		if err != nil {
			return err
		}
		zero := 0
		var noLock *time.Time
		now := a.clock.Now()
		patch := store.UserPatch{PasswordHash: &hash, FailedLogins: &zero, LockedUntil: &noLock}
		if u.EmailVerifiedAt == nil {
			patch.EmailVerifiedAt = &now // the link reached the mailbox: the address is proven
		}
		if err := tx.UpdateUser(ctx, u.ID, patch); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, a.mailPasswordChanged(u)); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "account.password_reset", "user", fmt.Sprint(u.ID))
	})
	return err
}

// Identity is who the OpenID provider says signed in.
type Identity struct {
	Issuer, Subject       string
	GivenName, FamilyName string
	Birthdate             string // YYYY-MM-DD
	Birthplace, Gender    string
	Email                 string
	IDToken               string
}

// SignInWithIdentity opens a session for an identity vouched for by the
// OpenID provider, creating the citizen account on first sign-in and
// refreshing its civil status from the provider each time.
func (a *App) SignInWithIdentity(ctx context.Context, req Request, id Identity, userAgent string) (NewSession, error) {
	if id.Issuer == "" || id.Subject == "" {
		return NewSession{}, apperr.New(apperr.Invalid, "Le fournisseur d'identité n'a pas transmis votre identité.")
	}
	birth := date.Null{}
	if d, err := date.Parse(id.Birthdate); err == nil {
		birth = date.Some(d)
	}
	var u store.User
	err := a.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		u, err = tx.FindUserBySubject(ctx, id.Issuer, id.Subject)
		switch {
		case err == nil:
			given, family := id.GivenName, id.FamilyName
			return tx.UpdateUser(ctx, u.ID, store.UserPatch{GivenName: &given, FamilyName: &family, BirthDate: &birth,
				BirthPlace: &id.Birthplace, Gender: &id.Gender})
		case !apperr.Is(err, apperr.NotFound):
			return err
		}
		now := a.clock.Now()
		u = store.User{
			Role: string(access.Citizen), GivenName: id.GivenName, FamilyName: id.FamilyName, BirthDate: birth,
			BirthPlace: id.Birthplace, Gender: id.Gender, OIDCIssuer: id.Issuer, OIDCSubject: id.Subject,
		}
		// The provider's address is verified by the provider; it is used for
		// mails unless another account already has it.
		if id.Email != "" {
			if _, err := tx.FindUserByEmail(ctx, id.Email); apperr.Is(err, apperr.NotFound) {
				u.Email, u.EmailVerifiedAt = id.Email, &now
			}
		}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "account.create_oidc", "user", fmt.Sprint(u.ID))
	})
	if err != nil {
		return NewSession{}, err
	}
	if u.DisabledAt != nil {
		return NewSession{}, apperr.New(apperr.Forbidden, "Ce compte est désactivé.")
	}
	_ = a.audit.Record(ctx, a.entry(req, "account.sign_in_oidc", "user", fmt.Sprint(u.ID)))
	return a.openSession(ctx, u, userAgent, id.IDToken)
}

// limit counts one hit on a rate-limit key and refuses when over the limit.
func (a *App) limit(ctx context.Context, key string, window time.Duration, n int) error {
	res, err := a.store.HitRateLimit(ctx, key, a.clock.Now(), window, n)
	if err != nil {
		return err
	}
	if !res.Allowed {
		return tooMany(res.RetryAfter)
	}
	return nil
}

// tooMany is the answer to a rate limit that waits.
func tooMany(wait time.Duration) error {
	m := max(1, int(wait.Round(time.Minute)/time.Minute))
	return apperr.New(apperr.TooMany, fmt.Sprintf(
		"Trop de tentatives. Par sécurité, réessayez dans %d minute%s.", m, plural(m)))
}

func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}

// frenchTime writes an instant as people read it in France: "14 h 05".
func frenchTime(t time.Time) string {
	return t.In(date.Paris()).Format("15 h 04")
}

// StaffAccount is an account an administrator creates: an agent, a
// partner or another administrator. Its email is taken as verified (the
// administrator vouches for it); agents set up their second factor at their
// first sign-in.
type StaffAccount struct {
	Role           access.Role
	Email          string
	Password       string
	GivenName      string
	FamilyName     string
	Organisation   string
	ApprovalNumber string
}

// CreateStaffAccount records a staff or partner account. Citizens create
// their own accounts.
func (a *App) CreateStaffAccount(ctx context.Context, req Request, in StaffAccount) (int64, error) {
	fields := map[string]string{}
	if !in.Role.Valid() || in.Role == access.Citizen {
		fields["role"] = "Choisissez le rôle d'un agent, d'un partenaire ou d'un administrateur."
	}
	if !plausibleEmail(strings.TrimSpace(in.Email)) {
		fields["email"] = "Saisissez une adresse électronique valide."
	}
	if err := secret.CheckPasswordPolicy(in.Password, in.Email); err != nil {
		fields["password"] = apperr.As(err).Message
	}
	if len(fields) > 0 {
		return 0, &apperr.Error{Code: apperr.Invalid, Message: "Le compte ne peut pas être créé.", Fields: fields}
	}
	hash, err := secret.HashPassword(in.Password, a.passwords)
	if err != nil {
		return 0, err
	}
	now := a.clock.Now()
	u := store.User{Role: string(in.Role), Email: in.Email, EmailVerifiedAt: &now, PasswordHash: hash,
		GivenName: in.GivenName, FamilyName: in.FamilyName, Organisation: in.Organisation, ApprovalNumber: in.ApprovalNumber}
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "account.create_staff", "user", fmt.Sprint(u.ID))
	})
	return u.ID, err
}
