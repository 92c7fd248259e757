package oidcdemo

import (
	"net/url"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// authRequest is one /authorize request, from its validation to the token
// exchange. It implements op.AuthRequest; the storage hands out copies.
type authRequest struct {
	ID           string
	ClientID     string
	RedirectURI  string
	State        string
	Nonce        string
	Scopes       []string
	ResponseType oidc.ResponseType
	ResponseMode oidc.ResponseMode
	Challenge    *oidc.CodeChallenge
	Created      time.Time
	Subject      string    // set by the login page
	AuthTime     time.Time // when the person chose their identity
	CodeIssued   time.Time
	done         bool
}

func (a *authRequest) GetID() string                         { return a.ID }
func (a *authRequest) GetACR() string                        { return "eidas1" }
func (a *authRequest) GetAMR() []string                      { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string                 { return []string{a.ClientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.AuthTime }
func (a *authRequest) GetClientID() string                   { return a.ClientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.Challenge }
func (a *authRequest) GetNonce() string                      { return a.Nonce }
func (a *authRequest) GetRedirectURI() string                { return a.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.ResponseMode }
func (a *authRequest) GetScopes() []string                   { return a.Scopes }
func (a *authRequest) GetState() string                      { return a.State }
func (a *authRequest) GetSubject() string                    { return a.Subject }
func (a *authRequest) Done() bool                            { return a.done }

// claimScopes maps each scope the provider accepts to the claims it
// releases. Like FranceConnect, every claim has a scope of its own; the
// grouped scopes are FranceConnect's too.
var claimScopes = map[string][]string{
	"openid":         nil,
	"given_name":     {"given_name"},
	"family_name":    {"family_name"},
	"birthdate":      {"birthdate"},
	"birthplace":     {"birthplace"},
	"birthcountry":   {"birthcountry"},
	"gender":         {"gender"},
	"email":          {"email"},
	"preferred_name": {"preferred_name"},
	"profile":        {"given_name", "family_name", "birthdate", "gender", "preferred_name"},
	"birth":          {"birthplace", "birthcountry"},
	"identite_pivot": {"given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry"},
}

// supportedScopes lists claimScopes' keys, sorted, for discovery.
func supportedScopes() []string {
	out := make([]string, 0, len(claimScopes))
	for s := range claimScopes {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// supportedClaims are the claims the provider can release, for discovery.
var supportedClaims = []string{
	"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "at_hash", "c_hash", "azp",
	"given_name", "family_name", "birthdate", "birthplace", "birthcountry", "gender", "email", "preferred_name",
}

// claimsFor returns the set of claims that scopes release.
func claimsFor(scopes []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range scopes {
		for _, c := range claimScopes[s] {
			out[c] = true
		}
	}
	return out
}

// client is a registered relying party. It implements op.Client: a
// confidential web client, code flow only, secret sent by HTTP Basic or in
// the form.
type client struct {
	id          string
	secret      string
	redirects   []string
	postLogouts []string
	loginPath   string // absolute path of the login page
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return c.redirects }
func (c *client) PostLogoutRedirectURIs() []string    { return c.postLogouts }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string            { return c.loginPath + "?id=" + url.QueryEscape(id) }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c *client) IDTokenLifetime() time.Duration       { return idTokenLifetime }
func (c *client) DevMode() bool                        { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) IsScopeAllowed(scope string) bool     { _, ok := claimScopes[scope]; return ok }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
