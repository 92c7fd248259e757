package app

import (
	"context"
	"fmt"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/audit"
	"permis/internal/secret"
	"permis/internal/store"
)

// Session rules: a session ends after SessionIdle without a request, and
// in any case SessionMax after sign-in.
const (
	SessionIdle = 30 * time.Minute
	SessionMax  = 12 * time.Hour
)

// NewSession is a session just opened: Token goes in the cookie, and is
// never stored (only its hash is).
type NewSession struct {
	Token              string
	Account            Account
	NeedsSecondFactor  bool // the account must give a TOTP code before anything else
	NeedsTOTPEnrolment bool // … and has not set up its authenticator app yet
}

func (a *App) openSession(ctx context.Context, u store.User, userAgent, idToken string) (NewSession, error) {
	plain, hash := secret.NewToken()
	now := a.clock.Now()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	if err := a.store.CreateSession(ctx, store.Session{
		Hash: hash, UserID: u.ID, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(SessionIdle),
		IDTokenHint: idToken, UserAgent: userAgent,
	}); err != nil {
		return NewSession{}, err
	}
	ac := accountOf(u)
	need := NeedsSecondFactor(ac.Role)
	return NewSession{Token: plain, Account: ac, NeedsSecondFactor: need, NeedsTOTPEnrolment: need && !ac.SecondFactor}, nil
}

// SessionState is a valid session, as the HTTP layer reads it on each
// request.
type SessionState struct {
	Actor   access.Actor
	Account Account
	// Pending is true while the second factor is still owed: the session
	// may only reach the second-factor pages and sign-out.
	Pending     bool
	IDTokenHint string
}

// Authenticate returns the session of a cookie's token, sliding its idle
// expiry. An unknown or expired token is an unauthenticated error.
func (a *App) Authenticate(ctx context.Context, token string) (SessionState, error) {
	if token == "" {
		return SessionState{}, errNoSession
	}
	hash := secret.HashToken(token)
	now := a.clock.Now()
	se, err := a.store.FindSession(ctx, hash, now)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return SessionState{}, errNoSession
		}
		return SessionState{}, err
	}
	if now.Sub(se.CreatedAt) > SessionMax {
		_ = a.store.DeleteSession(ctx, hash)
		return SessionState{}, errNoSession
	}
	u, err := a.store.FindUser(ctx, se.UserID)
	if err != nil {
		return SessionState{}, err
	}
	if u.DisabledAt != nil {
		return SessionState{}, errNoSession
	}
	// Sliding expiry, written at most once a minute per session.
	if now.Sub(se.SeenAt) > time.Minute {
		if err := a.store.TouchSession(ctx, hash, now, now.Add(SessionIdle)); err != nil {
			return SessionState{}, err
		}
	}
	ac := accountOf(u)
	st := SessionState{
		Account:     ac,
		Actor:       access.Actor{Kind: access.KindUser, ID: fmt.Sprintf("user:%d", u.ID), Name: ac.Name(), Role: ac.Role},
		Pending:     NeedsSecondFactor(ac.Role) && se.SecondFactorAt == nil,
		IDTokenHint: se.IDTokenHint,
	}
	return st, nil
}

// IdentityIssuer is the issuer of the OpenID provider that vouched for
// the identity of this session's person when they signed in: the account's
// provider, when the session was opened through it (it holds that
// provider's ID token). It is "" for a session opened with a password, or
// by an agent through ProConnect (ProConnect vouches for an address, not a
// civil identity). Compare it with the configured national provider's
// issuer (oidc.Client.Issuer) to know whether the identity is the national
// one.
func (st SessionState) IdentityIssuer() string {
	if st.IDTokenHint == "" {
		return ""
	}
	return st.Account.OIDCIssuer
}

var errNoSession = apperr.New(apperr.Unauthenticated, "Votre session a expiré. Connectez-vous de nouveau.")

// SignOut ends the session of token.
func (a *App) SignOut(ctx context.Context, req Request, token string) error {
	if token == "" {
		return nil
	}
	if err := a.store.DeleteSession(ctx, secret.HashToken(token)); err != nil {
		return err
	}
	if !req.Actor.IsZero() {
		_ = a.audit.Record(ctx, a.entry(req, "account.sign_out", "user", req.Actor.ID))
	}
	return nil
}

// TOTPEnrolment is what the enrolment page shows: the secret to type or the
// QR code to scan in an authenticator app.
type TOTPEnrolment struct {
	Secret string
	URI    string
	QRCode []byte // PNG
}

// StartTOTPEnrolment gives an agent without an authenticator a new secret
// (kept on the account, not yet enabled until a code confirms it).
func (a *App) StartTOTPEnrolment(ctx context.Context, req Request, userID int64) (TOTPEnrolment, error) {
	u, err := a.store.FindUser(ctx, userID)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	if u.TOTPEnabledAt != nil {
		return TOTPEnrolment{}, apperr.New(apperr.Conflict, "L'application d'authentification est déjà configurée.")
	}
	sec := u.TOTPSecret
	if sec == "" {
		sec = secret.NewTOTPSecret()
		if err := a.store.UpdateUser(ctx, userID, store.UserPatch{TOTPSecret: &sec}); err != nil {
			return TOTPEnrolment{}, err
		}
	}
	uri := secret.TOTPURI(sec, u.Email, "Permis de conduire")
	png, err := secret.TOTPQRCodePNG(uri)
	if err != nil {
		return TOTPEnrolment{}, err
	}
	return TOTPEnrolment{Secret: sec, URI: uri, QRCode: png}, nil
}

// VerifySecondFactor checks a TOTP code for the session of token; the first
// good code also confirms the enrolment. Wrong codes count like wrong
// passwords.
func (a *App) VerifySecondFactor(ctx context.Context, req Request, token, code string) error {
	st, err := a.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	if err := a.secondFactorAllowed(ctx, st.Account.ID); err != nil {
		return err
	}
	u, err := a.store.FindUser(ctx, st.Account.ID)
	if err != nil {
		return err
	}
	if u.TOTPSecret == "" {
		return apperr.New(apperr.Conflict, "Configurez d'abord votre application d'authentification.")
	}
	now := a.clock.Now()
	last, err := a.store.TOTPLastStep(ctx, u.ID)
	if err != nil {
		return err
	}
	step, ok := secret.CheckTOTP(u.TOTPSecret, code, now, last)
	if ok {
		// Claimed atomically: the same code given twice at once works once.
		if ok, err = a.store.UseTOTPStep(ctx, u.ID, step); err != nil {
			return err
		}
	}
	if !ok {
		_ = a.audit.Record(ctx, a.entry(req, "account.second_factor_failed", "user", fmt.Sprint(u.ID)))
		return a.secondFactorFailed(ctx, u)
	}
	if err := a.store.ResetRateLimit(ctx, totpFailKey(u.ID)); err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		if u.TOTPEnabledAt == nil {
			if err := tx.UpdateUser(ctx, u.ID, store.UserPatch{TOTPEnabledAt: &now}); err != nil {
				return err
			}
		}
		if err := tx.MarkSessionSecondFactor(ctx, secret.HashToken(token), now); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "account.second_factor", "user", fmt.Sprint(u.ID))
	})
}

// entry is an audit entry of req.
func (a *App) entry(req Request, action, subjectType, subjectID string) audit.Entry {
	return audit.Entry{
		At: a.clock.Now(), Actor: actorID(req.Actor), ActorRole: req.Actor.Role, Action: action,
		SubjectType: subjectType, SubjectID: subjectID, Reason: req.Reason, RequestID: req.RequestID,
	}
}

func actorID(ac access.Actor) string {
	if ac.IsZero() {
		return "anonymous"
	}
	return ac.ID
}

// auditTx writes an audit entry in the transaction of the change it
// records, so that the change and its trace commit together.
func (a *App) auditTx(ctx context.Context, tx *store.Store, req Request, action, subjectType, subjectID string) error {
	e := a.entry(req, action, subjectType, subjectID)
	return tx.AppendAudit(ctx, []store.AuditEntry{{
		At: e.At, Actor: e.Actor, ActorRole: string(e.ActorRole), Action: e.Action,
		SubjectType: e.SubjectType, SubjectID: e.SubjectID, Reason: e.Reason, RequestID: e.RequestID,
	}})
}
