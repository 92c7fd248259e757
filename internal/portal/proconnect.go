package portal

import (
	"net/http"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/oidc"
)

// proConnectPath is where the ProConnect sign-in starts; its callback is
// proConnectPath+"/retour", to register at ProConnect.
const proConnectPath = "/connexion/proconnect"

// proConnectStart sends an agent to ProConnect.
func (p *Portal) proConnectStart(w http.ResponseWriter, r *http.Request) error {
	return p.providerStart(w, r, p.opts.ProConnect, proConnectPath)
}

// proConnectCallback opens the session of the agent account whose
// professional address ProConnect vouched for; an address without an
// agent account is refused on the sign-in page (an administrator must open
// the access first).
func (p *Portal) proConnectCallback(w http.ResponseWriter, r *http.Request) error {
	id, ok, err := p.providerFinish(w, r, p.opts.ProConnect, proConnectPath)
	if !ok {
		return err
	}
	ns, err := p.app.SignInAgentWithIdentity(r.Context(), request(r), app.AgentIdentity{
		Issuer: id.Issuer, Subject: id.Subject, Email: id.Email, MFA: id.MFA(), IDToken: id.IDToken,
	}, r.UserAgent())
	if err != nil {
		if e := apperr.As(err); e.Code == apperr.Forbidden || e.Code == apperr.Invalid {
			return p.signInAgain(w, r, http.StatusForbidden, e.Message)
		}
		return err
	}
	p.afterSignIn(w, r, ns, p.returnPath(w, r, proConnectPath))
	return nil
}

// NationalIdentity reports whether the identity of the session st was
// vouched for by the configured citizens' provider (FranceConnect): the
// session was opened through it, by an account bound to its issuer.
func (p *Portal) NationalIdentity(st app.SessionState) bool {
	return nationalIdentity(p.opts.OIDC, st)
}

func nationalIdentity(c *oidc.Client, st app.SessionState) bool {
	return c != nil && st.IdentityIssuer() != "" && st.IdentityIssuer() == c.Issuer()
}
