// Package oidc is the relying party of the citizen sign-in "shaped like
// FranceConnect": an OpenID Connect authorization code flow with PKCE (S256),
// a random state and nonce, the ID token verified against the provider's keys,
// and the identity read from the userinfo endpoint.
//
// The provider is discovered lazily, on first use, and the result is cached;
// a failed discovery is retried on the next call. This lets the service mount
// its own demonstration provider (package oidcdemo) on the same listener that
// is not yet accepting connections when the client is built.
package oidc

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"permis/internal/apperr"
	"permis/internal/clock"
)

// DefaultScopes are the scopes asked when Config.Scopes is empty: the
// FranceConnect way, one scope per claim of the "identité pivot" plus the
// e-mail address and the usage name.
var DefaultScopes = []string{
	"openid", "given_name", "family_name", "birthdate", "birthplace", "birthcountry",
	"gender", "email", "preferred_name",
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
	HTTPClient   *http.Client
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
	verifier   *gooidc.IDTokenVerifier
	endSession string
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
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
	}
	d := &discovered{
		provider: p,
		oauth: oauth2.Config{
			ClientID:     c.cfg.ClientID,
			ClientSecret: c.cfg.ClientSecret,
			RedirectURL:  c.cfg.RedirectURL,
			Endpoint:     p.Endpoint(),
			Scopes:       c.cfg.Scopes,
		},
		verifier:   p.Verifier(&gooidc.Config{ClientID: c.cfg.ClientID, Now: c.clock.Now}),
		endSession: meta.EndSession,
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
	authURL = d.oauth.AuthCodeURL(p.State,
		oauth2.S256ChallengeOption(p.Verifier),
		gooidc.Nonce(p.Nonce))
	return authURL, p, nil
}

// LogoutURL returns the provider's end-session URL for a person signed in
// with the ID token idTokenHint, bringing them back to postLogoutRedirect
// (which must be registered at the provider) with state. It is false when
// the provider has no end_session_endpoint or has not been discovered yet
// (no sign-in happened since the process started).
func (c *Client) LogoutURL(idTokenHint, postLogoutRedirect, state string) (string, bool) {
	c.mu.Lock()
	d := c.disc
	c.mu.Unlock()
	if d == nil || d.endSession == "" {
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
