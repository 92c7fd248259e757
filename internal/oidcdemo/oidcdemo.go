// Package oidcdemo is a built-in OpenID Connect identity provider "shaped
// like FranceConnect", for the demonstration and the tests: the
// authorization code flow only, PKCE S256 and a nonce required, one scope
// per claim, and a server-rendered login page listing demonstration people.
//
// The protocol is github.com/zitadel/oidc/v3's op package (a real provider,
// not a mock); this package supplies its storage, in memory, and the login
// page. Everything is lost at restart, including the signing key, which is
// generated at start.
package oidcdemo

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

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
// FranceConnect claims it releases.
type Identity struct {
	Subject        string    // sub: stable, unique among the people
	GivenName      string    // given_name: all given names, space-separated
	FamilyName     string    // family_name: birth name
	PreferredName  string    // preferred_name: usage name, "" if none
	Birthdate      date.Date // birthdate, sent as YYYY-MM-DD
	Birthplace     string    // birthplace: INSEE code of the commune ("" if born abroad)
	BirthplaceName string    // the commune's name, shown on the login page only
	BirthCountry   string    // birthcountry: INSEE country code, "99100" for France
	Gender         string    // gender: "female" or "male"
	Email          string    // email
}

// Option changes a default of New.
type Option func(*options)

type options struct {
	clock  clock.Clock
	logger *slog.Logger
}

// WithClock sets the clock that dates auth requests, codes and access
// tokens (the library dates the ID tokens with the system clock).
func WithClock(c clock.Clock) Option { return func(o *options) { o.clock = c } }

// WithLogger sets where the login page logs its failures.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// provider holds what the login page needs.
type provider struct {
	op      *op.Provider
	storage *storage
	path    string // the issuer's path, "" or "/fc-demo"
	logger  *slog.Logger
	people  []Identity // in the order given to New
}

// New returns the provider for issuer, serving clients and people. The
// handler expects the full request path, issuer's path included: mount it as
// mux.Handle("/fc-demo/", h) for the issuer "http://host:8080/fc-demo". It
// serves discovery (/.well-known/openid-configuration), /authorize, the
// login page (/login), /oauth/token, /userinfo, /keys, /end_session and
// /revoke under that path. An http:// issuer is accepted (for the demo and
// tests); use https in any other setting.
func New(issuer string, clients []Client, people []Identity, opts ...Option) (http.Handler, error) {
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
	st, err := newStorage(o.clock, clients, people, path+"/login")
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
		SupportedClaims:          supportedClaims,
		SupportedScopes:          supportedScopes(),
	}
	var opOpts []op.Option
	if u.Scheme == "http" {
		opOpts = append(opOpts, op.WithAllowInsecure())
	}
	p, err := op.NewProvider(cfg, st, op.StaticIssuer(issuer), opOpts...)
	if err != nil {
		return nil, fmt.Errorf("oidcdemo: %w", err)
	}
	pv := &provider{op: p, storage: st, path: path, logger: o.logger, people: people}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", pv.loginPage)
	mux.Handle("POST /login", http.NewCrossOriginProtection().Handler(http.HandlerFunc(pv.login)))
	mux.HandleFunc("GET /deconnecte", pv.loggedOut)
	mux.HandleFunc("GET /demo.css", serveCSS)
	mux.Handle("/", p)
	if path == "" {
		return mux, nil
	}
	return http.StripPrefix(path, mux), nil
}

// newStorage checks the clients and people and generates the signing key.
func newStorage(c clock.Clock, clients []Client, people []Identity, loginPath string) (*storage, error) {
	st := &storage{
		now: c.Now, clients: map[string]*client{}, people: map[string]Identity{},
		requests: map[string]*authRequest{}, codes: map[string]string{}, tokens: map[string]accessToken{},
	}
	for _, c := range clients {
		if c.ID == "" || c.Secret == "" || len(c.RedirectURIs) == 0 {
			return nil, errors.New("oidcdemo: a client needs an id, a secret and a redirect URI")
		}
		if _, dup := st.clients[c.ID]; dup {
			return nil, fmt.Errorf("oidcdemo: client %q registered twice", c.ID)
		}
		st.clients[c.ID] = &client{id: c.ID, secret: c.Secret, redirects: c.RedirectURIs,
			postLogouts: c.PostLogoutRedirectURIs, loginPath: loginPath}
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
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("oidcdemo: signing key: %w", err)
	}
	st.signing = signingKey{id: newID(), key: key}
	return st, nil
}
