package app

import (
	"context"
	"fmt"
	"strings"

	"permis/internal/apperr"
	"permis/internal/secret"
	"permis/internal/store"
)

// AgentIdentity is who ProConnect, the public service's identity federation
// for agents, says signed in.
type AgentIdentity struct {
	Issuer, Subject string
	// Email is the agent's professional address, verified by their
	// identity provider. It is what matches the account: ProConnect's sub
	// differs for each identity provider the agent may use, and its
	// documentation recommends the address for reconciliation
	// (doc_fs/donnees_fournies.md).
	Email string
	// MFA is true when ProConnect says the sign-in used multi-factor
	// authentication (oidc.Identity.MFA): Permis then does not ask for its
	// own TOTP code.
	MFA     bool
	IDToken string
}

// msgNoAgentAccount is the refusal of a ProConnect sign-in that matches no
// agent account.
const msgNoAgentAccount = "Aucun compte d'agent de Permis ne correspond à l'adresse %s. " +
	"Se connecter avec ProConnect ne donne aucun droit : un administrateur doit d'abord vous ouvrir un accès avec cette adresse professionnelle."

// SignInAgentWithIdentity opens a session for an agent, help-desk agent,
// prosecutor's office (OMP) or administrator whose professional address
// ProConnect vouched for. The account must already exist with that
// address and one of those roles: signing in never creates an account nor
// grants a role (an administrator does). When ProConnect reports
// multi-factor authentication, the session needs no TOTP code; otherwise
// the agent gives it as after a password sign-in.
func (a *App) SignInAgentWithIdentity(ctx context.Context, req Request, id AgentIdentity, userAgent string) (NewSession, error) {
	email := strings.ToLower(strings.TrimSpace(id.Email))
	if id.Issuer == "" || id.Subject == "" || email == "" {
		return NewSession{}, apperr.New(apperr.Invalid, "ProConnect n'a pas transmis votre adresse électronique professionnelle.")
	}
	u, err := a.store.FindUserByEmail(ctx, email)
	switch {
	case apperr.Is(err, apperr.NotFound):
		u = store.User{}
	case err != nil:
		return NewSession{}, err
	}
	if u.ID == 0 || !NeedsSecondFactor(accountOf(u).Role) || u.EmailVerifiedAt == nil {
		_ = a.audit.Record(ctx, a.entry(req, "account.sign_in_proconnect_refused", "email", email))
		return NewSession{}, apperr.New(apperr.Forbidden, fmt.Sprintf(msgNoAgentAccount, email))
	}
	if u.DisabledAt != nil {
		return NewSession{}, apperr.New(apperr.Forbidden, "Ce compte est désactivé.")
	}
	e := a.entry(req, "account.sign_in_proconnect", "user", fmt.Sprint(u.ID))
	if id.MFA {
		e.Reason = "authentification multifacteur ProConnect"
	}
	_ = a.audit.Record(ctx, e)
	ns, err := a.openSession(ctx, u, userAgent, id.IDToken)
	if err != nil || !id.MFA {
		return ns, err
	}
	// ProConnect's multi-factor authentication stands for the TOTP code.
	if err := a.store.MarkSessionSecondFactor(ctx, secret.HashToken(ns.Token), a.clock.Now()); err != nil {
		return NewSession{}, err
	}
	ns.NeedsSecondFactor, ns.NeedsTOTPEnrolment = false, false
	return ns, nil
}
