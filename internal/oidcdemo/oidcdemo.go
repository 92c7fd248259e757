// Package oidcdemo is a built-in OpenID Connect identity provider for the
// demonstration and the tests, in one of three modes (see Mode): shaped like
// FranceConnect v2 (the default: ES256 keys, a signed userinfo JWT, the
// authorization parameters v2 requires), like the former FranceConnect v1
// (userinfo in plain JSON), or like ProConnect (agents, with or without
// multi-factor authentication). In every mode: the authorization code flow
// only, PKCE S256 and a nonce required, and a server-rendered login page
// listing demonstration people.
//
// The protocol is github.com/zitadel/oidc/v3's op package (a real provider,
// not a mock); this package supplies its storage, in memory, and the login
// page. Everything is lost at restart, including the signing key, which is
// generated at start.
package oidcdemo

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/rs/cors"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"permis/internal/clock"
	"permis/internal/date"
)

// Client is a relying party registered at the provider. Its secret is sent
// with HTTP Basic (or in the form) at the token endpoint.
type Client struct {
	ID                     string
	Secret                 string
	RedirectURIs           []string // exact match, as the standard requires
	PostLogoutRedirectURIs []string
}

// Identity is a person who can sign in at the provider, with the
// FranceConnect claims it releases (or, in ProConnect mode, the agent's).
type Identity struct {
	Subject        string    // sub: stable, unique among the people
	GivenName      string    // given_name: all given names, space-separated
	FamilyName     string    // family_name: birth name (ProConnect: usual_name)
	UsageName      string    // preferred_username: usage name, "" if none
	Birthdate      date.Date // birthdate, sent as YYYY-MM-DD
	Birthplace     string    // birthplace: INSEE code of the commune ("" if born abroad)
	BirthplaceName string    // the commune's name, shown on the login page only
	BirthCountry   string    // birthcountry: INSEE country code, "99100" for France
	Gender         string    // gender: "female" or "male"
	Email          string    // email (ProConnect: the professional address)
	Siret          string    // ProConnect only: siret of the agent's establishment
}

// Mode is which real provider the demonstration provider behaves like.
type Mode int

const (
	// FranceConnectV2 is FranceConnect's version 2 (the default): ES256
	// signatures, a userinfo answer signed as a JWT (application/jwt),
	// acr_values=eidas1, prompt with login and consent, state and nonce of
	// at least 32 characters, no address or phone scope, the usage name as
	// preferred_username.
	FranceConnectV2 Mode = iota
	// FranceConnectV1 is the former version's shape: RS256, userinfo in
	// plain JSON, no acr_values or prompt required.
	FranceConnectV1
	// ProConnect is the agents' federation: ES256, signed userinfo, state
	// and nonce of at least 32 characters, the agent's professional claims
	// (given_name, usual_name, email, uid, siret), and the login page lets
	// the agent sign in with a password only or with a second factor, which
	// the amr claim of the ID token reports ("mfa").
	ProConnect
)

// String names the mode.
func (m Mode) String() string {
	switch m {
	case FranceConnectV1:
		return "FranceConnect v1"
	case ProConnect:
		return "ProConnect"
	}
	return "FranceConnect v2"
}

// label describes the mode in French on the provider's pages, without the
// real services' names (the demonstration must not pass for them).
func (m Mode) label() string {
	switch m {
	case FranceConnectV1:
		return "connexion des particuliers, ancienne version du protocole"
	case ProConnect:
		return "connexion des agents publics"
	}
	return "connexion des particuliers"
}

// Option changes a default of New.
type Option func(*options)

type options struct {
	clock  clock.Clock
	logger *slog.Logger
	mode   Mode
}

// WithMode sets which provider the demonstration behaves like.
func WithMode(m Mode) Option { return func(o *options) { o.mode = m } }

// WithClock sets the clock that dates auth requests, codes and access
// tokens (the library dates the ID tokens with the system clock).
func WithClock(c clock.Clock) Option { return func(o *options) { o.clock = c } }

// WithLogger sets where the login page logs its failures.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Provider is the demonstration provider: an http.Handler, plus what the
// tests need (RotateKey).
type Provider struct {
	handler http.Handler
	pv      *provider
}

// ServeHTTP serves the provider's endpoints and pages.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.handler.ServeHTTP(w, r) }

// RotateKey replaces the signing key: tokens are signed with a new key that
// the published key set (/keys) now lists instead of the old one, as a real
// provider does when it renews its keys.
func (p *Provider) RotateKey() error { return p.pv.storage.rotate() }

// Sign returns claims as a JWT signed with the provider's current key, as
// its userinfo answers are. Tests of relying parties use it to forge
// answers the provider could have sent (another audience, another subject).
func (p *Provider) Sign(claims map[string]any) (string, error) { return p.pv.storage.sign(claims) }

// provider holds what the login page needs.
type provider struct {
	op      *op.Provider
	storage *storage
	issuer  string
	path    string // the issuer's path, "" or "/fc-demo"
	logger  *slog.Logger
	people  []Identity // in the order given to New
	mode    Mode
}

// New returns the provider for issuer, serving clients and people. The
// handler expects the full request path, issuer's path included: mount it as
// mux.Handle("/fc-demo/", h) for the issuer "http://host:8080/fc-demo". It
// serves discovery (/.well-known/openid-configuration), /authorize, the
// login page (/login), /oauth/token, /userinfo, /keys, /end_session,
// /revoke and a page telling whether a session is open at the provider
// (/session) under that path. An http:// issuer is accepted (for the demo
// and tests); use https in any other setting.
func New(issuer string, clients []Client, people []Identity, opts ...Option) (*Provider, error) {
	o := options{clock: clock.System{}, logger: slog.Default()}
	for _, f := range opts {
		f(&o)
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("oidcdemo: issuer %q is not an absolute http(s) URL", issuer)
	}
	path := strings.TrimSuffix(u.Path, "/")
	issuer = u.Scheme + "://" + u.Host + path
	st, err := newStorage(o.clock, o.mode, clients, people, path+"/login")
	if err != nil {
		return nil, err
	}
	var cryptoKey [32]byte
	_, _ = rand.Read(cryptoKey[:])
	cfg := &op.Config{
		CryptoKey:                cryptoKey,
		CryptoKeyId:              newID(),
		DefaultLogoutRedirectURI: path + "/deconnecte",
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.French},
		SupportedClaims:          supportedClaims(o.mode),
		SupportedScopes:          supportedScopes(st.scopes),
	}
	// The provider library's default CORS policy reflects any Origin with
	// credentials allowed: any site could then read, in a signed-in
	// visitor's browser, what the provider answers them. Browsers only
	// need the provider's own origin, without credentials; the relying
	// party calls the token and userinfo endpoints server to server.
	opOpts := []op.Option{op.WithCORSOptions(&cors.Options{
		AllowedOrigins:   []string{u.Scheme + "://" + u.Host},
		AllowedMethods:   []string{http.MethodGet, http.MethodHead, http.MethodPost},
		AllowCredentials: false,
	})}
	if u.Scheme == "http" {
		opOpts = append(opOpts, op.WithAllowInsecure())
	}
	p, err := op.NewProvider(cfg, st, op.StaticIssuer(issuer), opOpts...)
	if err != nil {
		return nil, fmt.Errorf("oidcdemo: %w", err)
	}
	pv := &provider{op: p, storage: st, issuer: issuer, path: path, logger: o.logger, people: people, mode: o.mode}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", pv.loginPage)
	mux.Handle("POST /login", http.NewCrossOriginProtection().Handler(http.HandlerFunc(pv.login)))
	mux.HandleFunc("GET /deconnecte", pv.loggedOut)
	mux.HandleFunc("GET /session", pv.sessionPage)
	mux.HandleFunc("GET /demo.css", serveCSS)
	mux.HandleFunc("/end_session", pv.endSession)
	if o.mode != FranceConnectV1 {
		mux.HandleFunc("/userinfo", pv.signedUserinfo)
	}
	mux.Handle("/", p)
	var h http.Handler = mux
	if path != "" {
		h = http.StripPrefix(path, mux)
	}
	return &Provider{handler: h, pv: pv}, nil
}

// newStorage checks the clients and people and generates the signing key.
func newStorage(c clock.Clock, mode Mode, clients []Client, people []Identity, loginPath string) (*storage, error) {
	st := &storage{
		now: c.Now, mode: mode, scopes: scopesOf(mode), clients: map[string]*client{}, people: map[string]Identity{},
		requests: map[string]*authRequest{}, codes: map[string]string{}, tokens: map[string]accessToken{},
		sessions: map[string]string{},
	}
	for _, c := range clients {
		if c.ID == "" || c.Secret == "" || len(c.RedirectURIs) == 0 {
			return nil, errors.New("oidcdemo: a client needs an id, a secret and a redirect URI")
		}
		if _, dup := st.clients[c.ID]; dup {
			return nil, fmt.Errorf("oidcdemo: client %q registered twice", c.ID)
		}
		st.clients[c.ID] = &client{id: c.ID, secret: c.Secret, redirects: c.RedirectURIs,
			postLogouts: c.PostLogoutRedirectURIs, loginPath: loginPath, scopes: st.scopes}
	}
	for _, p := range people {
		if p.Subject == "" {
			return nil, errors.New("oidcdemo: a person needs a subject")
		}
		if _, dup := st.people[p.Subject]; dup {
			return nil, fmt.Errorf("oidcdemo: subject %q given twice", p.Subject)
		}
		st.people[p.Subject] = p
	}
	if err := st.rotate(); err != nil {
		return nil, err
	}
	return st, nil
}
