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
	ACR          string   // always eidas1: the level FranceConnect (not FranceConnect+) gives
	AMR          []string // set by the login page
	done         bool
}

func (a *authRequest) GetID() string                         { return a.ID }
func (a *authRequest) GetACR() string                        { return a.ACR }
func (a *authRequest) GetAMR() []string                      { return a.AMR }
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

// fcV2Scopes maps each scope FranceConnect v2 accepts to the claims it
// releases: one scope per claim, and the grouped scopes. In v2 the usage
// name is preferred_username, which identite_pivot no longer releases, and
// the address and phone scopes are gone ("Les évolutions de la nouvelle
// version", docs.partenaires.franceconnect.gouv.fr/fs/migration/fs-migration-diff-v1-v2/).
var fcV2Scopes = map[string][]string{
	"openid":             nil,
	"given_name":         {"given_name"},
	"family_name":        {"family_name"},
	"birthdate":          {"birthdate"},
	"birthplace":         {"birthplace"},
	"birthcountry":       {"birthcountry"},
	"gender":             {"gender"},
	"email":              {"email"},
	"preferred_username": {"preferred_username"},
	"profile":            {"given_name", "family_name", "birthdate", "gender", "preferred_username"},
	"birth":              {"birthplace", "birthcountry"},
	"identite_pivot":     {"given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry"},
}

// fcV1Scopes are the former version's: the usage name was preferred_name.
var fcV1Scopes = map[string][]string{
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

// proConnectScopes are ProConnect's: the agent's names, professional
// address, identifier at the identity provider and establishment
// (doc_fs/donnees_fournies.md of ProConnect's partner documentation).
var proConnectScopes = map[string][]string{
	"openid":     nil,
	"given_name": {"given_name"},
	"usual_name": {"usual_name"},
	"email":      {"email"},
	"uid":        {"uid"},
	"siret":      {"siret"},
}

// scopesOf returns the scopes of mode m.
func scopesOf(m Mode) map[string][]string {
	switch m {
	case FranceConnectV1:
		return fcV1Scopes
	case ProConnect:
		return proConnectScopes
	}
	return fcV2Scopes
}

// supportedScopes lists the scopes' names, sorted, for discovery.
func supportedScopes(scopes map[string][]string) []string {
	out := make([]string, 0, len(scopes))
	for s := range scopes {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// supportedClaims are the claims the provider can release, for discovery.
func supportedClaims(m Mode) []string {
	out := []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "at_hash", "c_hash", "azp"}
	seen := map[string]bool{}
	for _, s := range supportedScopes(scopesOf(m)) {
		for _, c := range scopesOf(m)[s] {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// claimsFor returns the set of claims that asked releases among scopes.
func claimsFor(scopes map[string][]string, asked []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range asked {
		for _, c := range scopes[s] {
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
	scopes      map[string][]string
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
func (c *client) IsScopeAllowed(scope string) bool     { _, ok := c.scopes[scope]; return ok }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
