// Package oidc is the relying party of the national sign-ins: FranceConnect
// v2 for citizens and ProConnect for agents. An OpenID Connect authorization
// code flow with PKCE (S256), a random state and nonce (256 bits, 43
// characters: both providers want 32 or more), the ID token verified against
// the provider's published keys with an asymmetric algorithm only (ES256 or
// RS256), its acr checked against the level asked, and the identity read from
// the userinfo endpoint, whose answer must be a JWT signed by the provider
// for this client (unless AllowUnsignedUserinfo, the former FranceConnect v1
// shape). See docs/oidc.md.
//
// The provider is discovered lazily, on first use, and the result is cached;
// a failed discovery is retried on the next call. This lets the service mount
// its own demonstration provider (package oidcdemo) on the same listener that
// is not yet accepting connections when the client is built.
package oidc

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"permis/internal/apperr"
	"permis/internal/clock"
)

// DefaultScopes are the scopes asked when Config.Scopes is empty: the
// FranceConnect v2 way, one scope per claim of the "identité pivot" plus the
// e-mail address and the usage name, which v2 calls preferred_username (the
// address and phone scopes no longer exist; "Les évolutions de la nouvelle
// version", docs.partenaires.franceconnect.gouv.fr/fs/migration/fs-migration-diff-v1-v2/).
var DefaultScopes = []string{
	"openid", "given_name", "family_name", "birthdate", "birthplace", "birthcountry",
	"gender", "email", "preferred_username",
}

// ProConnectScopes are the scopes asked of ProConnect: the agent's names,
// professional address, identifier and establishment
// (doc_fs/donnees_fournies.md of ProConnect's partner documentation).
var ProConnectScopes = []string{"openid", "given_name", "usual_name", "email", "uid", "siret"}

// ProConnectClaims is the claims parameter that asks ProConnect to put amr
// in the ID token, which it does not by default (resources/claim_amr.md and
// doc_fs/implementation_technique.md of its partner documentation).
const ProConnectClaims = `{"id_token":{"amr":{"essential":true},"acr":{"essential":true}}}`

// SigningAlgorithms are the only signature algorithms accepted: the
// asymmetric ones FranceConnect v2 offers, ES256 recommended. A token signed
// otherwise (HS256 with the client secret, as in v1, or "none") is refused.
var SigningAlgorithms = []string{"ES256", "RS256"}

// FranceConnectV2 returns cfg with what FranceConnect v2 requires filled in
// where cfg leaves it empty: the default scopes, acr_values=eidas1 and
// prompt=login consent.
func FranceConnectV2(cfg Config) Config {
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	if len(cfg.ACRValues) == 0 {
		cfg.ACRValues = []string{"eidas1"}
	}
	if cfg.Prompt == "" {
		cfg.Prompt = "login consent"
	}
	return cfg
}

// ProConnect returns cfg with ProConnect's scopes and claims parameter
// filled in where cfg leaves them empty.
func ProConnect(cfg Config) Config {
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = ProConnectScopes
	}
	if cfg.ClaimsRequest == "" {
		cfg.ClaimsRequest = ProConnectClaims
	}
	return cfg
}

// PendingLifetime is how long a started sign-in may take before Finish
// refuses it.
const PendingLifetime = 10 * time.Minute

// Config tells the client which provider to use and how it is registered
// there.
type Config struct {
	Issuer       string // e.g. "https://app.franceconnect.gouv.fr/api/v2" or "http://localhost:8080/fc-demo"
	ClientID     string
	ClientSecret string
	RedirectURL  string   // the service's callback, registered at the provider
	Scopes       []string // nil: DefaultScopes
	// ACRValues are sent as acr_values; the ID token's acr must then be
	// one of them, or a higher eIDAS level (eidas2 answers eidas1).
	ACRValues []string
	// Prompt is sent as prompt when not empty ("login consent" for
	// FranceConnect v2).
	Prompt string
	// ClaimsRequest is sent as the claims parameter when not empty
	// (ProConnectClaims).
	ClaimsRequest string
	// AllowUnsignedUserinfo accepts a userinfo answer in plain JSON, the
	// FranceConnect v1 shape, for a provider that still answers so. Off by
	// default: the answer must then be a JWT signed by the provider.
	AllowUnsignedUserinfo bool
	HTTPClient            *http.Client
	// Clock dates pending sign-ins and checks their age; nil means the
	// system clock.
	Clock clock.Clock
}

// Client is the relying party. It is safe for concurrent use.
type Client struct {
	cfg   Config
	clock clock.Clock

	mu   sync.Mutex
	disc *discovered // nil until a discovery succeeded
}

// discovered is what the provider's metadata gave us.
type discovered struct {
	provider   *gooidc.Provider
	oauth      oauth2.Config
	verifier   *gooidc.IDTokenVerifier // ID tokens: signature, iss, aud, exp
	userinfo   *gooidc.IDTokenVerifier // signed userinfo: signature, iss, aud
	endSession string
	userinfoAt string
}

// New returns a client. It does not contact the provider: discovery happens
// on the first Start or Finish.
func New(cfg Config) *Client {
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	c := &Client{cfg: cfg, clock: cfg.Clock}
	if c.clock == nil {
		c.clock = clock.System{}
	}
	return c
}

// msgUnavailable is what people see when the provider cannot be reached.
const msgUnavailable = "Le service d'identification est momentanément indisponible. Veuillez réessayer dans quelques minutes."

// ctx returns ctx carrying the configured HTTP client for go-oidc and oauth2.
func (c *Client) ctx(ctx context.Context) context.Context {
	ctx = gooidc.ClientContext(ctx, c.cfg.HTTPClient)
	return context.WithValue(ctx, oauth2.HTTPClient, c.cfg.HTTPClient)
}

// discover returns the provider's metadata, fetching it on first use. A
// failure is not cached: the next call tries again.
func (c *Client) discover(ctx context.Context) (*discovered, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.disc != nil {
		return c.disc, nil
	}
	p, err := gooidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return nil, apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
	}
	var meta struct {
		Issuer     string `json:"issuer"`
		EndSession string `json:"end_session_endpoint"`
		JWKS       string `json:"jwks_uri"`
		Userinfo   string `json:"userinfo_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
	}
	if meta.JWKS == "" || meta.Userinfo == "" {
		return nil, apperr.Wrap(apperr.Unavailable, msgUnavailable, errors.New("oidc: discovery without jwks_uri or userinfo_endpoint"))
	}
	// One key set for the ID token and the userinfo answer. It keeps the
	// keys it fetched, and fetches them again once when a token's
	// signature does not verify with them (a key renewed at the provider),
	// as FranceConnect's documentation asks. Its fetches use the
	// configured HTTP client, whatever request first needed them.
	keys := gooidc.NewRemoteKeySet(c.ctx(context.WithoutCancel(ctx)), meta.JWKS)
	d := &discovered{
		provider: p,
		oauth: oauth2.Config{
			ClientID:     c.cfg.ClientID,
			ClientSecret: c.cfg.ClientSecret,
			RedirectURL:  c.cfg.RedirectURL,
			Endpoint:     p.Endpoint(),
			Scopes:       c.cfg.Scopes,
		},
		verifier: gooidc.NewVerifier(meta.Issuer, keys, &gooidc.Config{ClientID: c.cfg.ClientID, Now: c.clock.Now,
			SupportedSigningAlgs: SigningAlgorithms}),
		// The userinfo answer's freshness comes from the access token just
		// used; FranceConnect's may carry no exp.
		userinfo: gooidc.NewVerifier(meta.Issuer, keys, &gooidc.Config{ClientID: c.cfg.ClientID, Now: c.clock.Now,
			SupportedSigningAlgs: SigningAlgorithms, SkipExpiryCheck: true}),
		endSession: meta.EndSession,
		userinfoAt: meta.Userinfo,
	}
	c.disc = d
	return d, nil
}

// Start begins a sign-in: it returns the provider's authorization URL to
// redirect the browser to, and the Pending values the caller must keep (in
// a short-lived HttpOnly cookie, see Pending.Encode) until the callback.
func (c *Client) Start(ctx context.Context) (authURL string, p Pending, err error) {
	d, err := c.discover(ctx)
	if err != nil {
		return "", Pending{}, err
	}
	p = Pending{
		State:    randomToken(),
		Nonce:    randomToken(),
		Verifier: oauth2.GenerateVerifier(),
		Created:  c.clock.Now().UTC().Truncate(time.Second),
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(p.Verifier), gooidc.Nonce(p.Nonce)}
	if len(c.cfg.ACRValues) > 0 {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", strings.Join(c.cfg.ACRValues, " ")))
	}
	if c.cfg.Prompt != "" {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", c.cfg.Prompt))
	}
	if c.cfg.ClaimsRequest != "" {
		opts = append(opts, oauth2.SetAuthURLParam("claims", c.cfg.ClaimsRequest))
	}
	return d.oauth.AuthCodeURL(p.State, opts...), p, nil
}

// Issuer is the configured provider's issuer: an identity's Issuer equals
// it, character for character, when the identity came from this provider
// (discovery refuses a provider whose issuer differs from the configured
// one, and the ID token's iss must be the discovered issuer).
func (c *Client) Issuer() string { return c.cfg.Issuer }

// NewLogoutState returns a random state for LogoutURL, as long as the
// sign-in's (ProConnect and FranceConnect want 32 characters or more).
func NewLogoutState() string { return randomToken() }

// LogoutURL returns the provider's end-session URL for a person signed in
// with the ID token idTokenHint, bringing them back to postLogoutRedirect
// (which must be registered at the provider) with state, which the caller
// checks on return. Signing out of the service also ends the session at the
// provider this way, as FranceConnect and ProConnect require. It is false
// when the provider has no end_session_endpoint or cannot be reached.
func (c *Client) LogoutURL(ctx context.Context, idTokenHint, postLogoutRedirect, state string) (string, bool) {
	d, err := c.discover(ctx)
	if err != nil || d.endSession == "" {
		return "", false
	}
	u, err := url.Parse(d.endSession)
	if err != nil {
		return "", false
	}
	q := u.Query()
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	if postLogoutRedirect != "" {
		q.Set("post_logout_redirect_uri", postLogoutRedirect)
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	return u.String(), true
}
