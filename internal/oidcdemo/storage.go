package oidcdemo

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Lifetimes of what the provider hands out.
const (
	authRequestLifetime = 10 * time.Minute // from /authorize to the code
	codeLifetime        = time.Minute      // from the code to its exchange
	accessTokenLifetime = 5 * time.Minute
	idTokenLifetime     = 5 * time.Minute
)

// storage is the provider's memory: clients, people, pending authorization
// requests, issued codes and access tokens. It implements op.Storage and
// op.CanSetUserinfoFromRequest; everything the demo does not offer (refresh
// tokens, introspection, JWT profile) is refused.
type storage struct {
	now      func() time.Time
	mode     Mode
	scopes   map[string][]string // scope → claims it releases
	clients  map[string]*client
	people   map[string]Identity // by Subject
	mu       sync.Mutex
	signing  signingKey // under mu: RotateKey replaces it
	requests map[string]*authRequest
	codes    map[string]string // code → auth request id
	tokens   map[string]accessToken
	sessions map[string]string // provider session cookie → subject
}

// minRandomLength is the shortest state and nonce FranceConnect v2 and
// ProConnect accept ("minimum 32 caractères", ProConnect's partner
// documentation, doc_fs/implementation_technique.md).
const minRandomLength = 32

// accessToken is what an access token's id stands for.
type accessToken struct {
	Subject, ClientID string
	Scopes            []string
	Expires           time.Time
}

// errNotFound marks a lookup of something the provider does not know.
type errNotFound struct{ what string }

func (e errNotFound) Error() string { return "oidcdemo: " + e.what + " not found" }

// IsNotFound marks the error for op.StorageNotFoundError.
func (errNotFound) IsNotFound() {}

var errUnsupported = errors.New("oidcdemo: not offered by the demonstration provider")

// newID returns 128 random bits as 32 hexadecimal digits.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}

// CreateAuthRequest keeps a validated /authorize request until the person
// signs in. On top of the library's checks it requires PKCE with S256 and a
// nonce, as FranceConnect does.
func (s *storage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if r.CodeChallenge == "" || r.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method=S256 is required")
	}
	if r.Nonce == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("nonce is required")
	}
	if err := s.checkModeParams(r); err != nil {
		return nil, err
	}
	now := s.now()
	a := &authRequest{
		ID: newID(), ClientID: r.ClientID, RedirectURI: r.RedirectURI, State: r.State, Nonce: r.Nonce,
		Scopes: slices.Clone(r.Scopes), ResponseType: r.ResponseType, ResponseMode: r.ResponseMode,
		Challenge: &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod},
		Created:   now, ACR: "eidas1",
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune(now)
	s.requests[a.ID] = a
	c := *a
	return &c, nil
}

// checkModeParams refuses the authorization requests the imitated provider
// refuses: FranceConnect v2 wants acr_values with eidas1, prompt with login
// and consent, a state and a nonce of 32 characters or more, and knows no
// address or phone scope; ProConnect wants the same lengths.
func (s *storage) checkModeParams(r *oidc.AuthRequest) error {
	if s.mode == FranceConnectV1 {
		return nil
	}
	if len(r.State) < minRandomLength || len(r.Nonce) < minRandomLength {
		return oidc.ErrInvalidRequest().WithDescription("state and nonce must be at least 32 characters long")
	}
	if s.mode != FranceConnectV2 {
		return nil
	}
	if !slices.Contains(r.ACRValues, "eidas1") {
		return oidc.ErrInvalidRequest().WithDescription("acr_values must ask for eidas1")
	}
	if !slices.Contains(r.Prompt, oidc.PromptLogin) || !slices.Contains(r.Prompt, oidc.PromptConsent) {
		return oidc.ErrInvalidRequest().WithDescription("prompt must be \"login consent\"")
	}
	for _, sc := range r.Scopes {
		if sc == "address" || sc == "phone" {
			return oidc.ErrInvalidScope().WithDescription("the address and phone scopes no longer exist in version 2")
		}
	}
	return nil
}

// prune forgets expired requests, codes and tokens. Called with mu held.
func (s *storage) prune(now time.Time) {
	for id, a := range s.requests {
		if now.Sub(a.Created) > authRequestLifetime+codeLifetime {
			delete(s.requests, id)
		}
	}
	for code, id := range s.codes {
		if _, ok := s.requests[id]; !ok {
			delete(s.codes, code)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.Expires) {
			delete(s.tokens, id)
		}
	}
}

// request returns a copy of a live auth request. Called with mu held.
func (s *storage) request(id string) (*authRequest, error) {
	a, ok := s.requests[id]
	if !ok || s.now().Sub(a.Created) > authRequestLifetime && a.CodeIssued.IsZero() {
		return nil, errNotFound{"auth request"}
	}
	c := *a
	return &c, nil
}

// AuthRequestByID returns a pending request.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.request(id)
}

// AuthRequestByCode returns the request a code was issued for, once: the
// request is deleted when the tokens are issued, so a replayed code fails.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, errNotFound{"code"}
	}
	a, err := s.request(id)
	if err != nil {
		return nil, err
	}
	if !a.done || s.now().Sub(a.CodeIssued) > codeLifetime {
		return nil, errNotFound{"code"}
	}
	return a, nil
}

// SaveAuthCode records the code issued for a signed-in request.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.requests[id]
	if !ok || !a.done {
		return errNotFound{"auth request"}
	}
	a.CodeIssued = s.now()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest forgets a request and its code.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// complete marks a request as signed in by subject, with the
// authentication methods amr. It fails if the request is unknown, expired
// or already completed.
func (s *storage) complete(id, subject string, amr []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.requests[id]
	if !ok || a.done || s.now().Sub(a.Created) > authRequestLifetime {
		return errNotFound{"auth request"}
	}
	if _, ok := s.people[subject]; !ok {
		return errNotFound{"person"}
	}
	a.Subject, a.AuthTime, a.AMR, a.done = subject, s.now(), amr, true
	return nil
}

// CreateAccessToken issues an opaque access token for the userinfo endpoint.
func (s *storage) CreateAccessToken(_ context.Context, r op.TokenRequest) (string, time.Time, error) {
	a, ok := r.(*authRequest)
	if !ok {
		return "", time.Time{}, errUnsupported
	}
	id := newID()
	exp := s.now().Add(accessTokenLifetime)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[id] = accessToken{Subject: a.Subject, ClientID: a.ClientID, Scopes: slices.Clone(a.Scopes), Expires: exp}
	return id, exp, nil
}

// CreateAccessAndRefreshTokens is refused: no refresh tokens.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType()
}

// TokenRequestByRefreshToken is refused: no refresh tokens.
func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

// TerminateSession revokes the person's access tokens for the client. The
// provider keeps no login session of its own: every sign-in shows the page.
func (s *storage) TerminateSession(_ context.Context, subject, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.Subject == subject && (clientID == "" || t.ClientID == clientID) {
			delete(s.tokens, id)
		}
	}
	return nil
}

// RevokeToken revokes an access token by id.
func (s *storage) RevokeToken(_ context.Context, tokenID, subject, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if ok && t.ClientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued for this client")
	}
	if ok && (subject == "" || t.Subject == subject) {
		delete(s.tokens, tokenID)
	}
	return nil
}

// GetRefreshTokenInfo: there are no refresh tokens.
func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// SigningKey returns the current signing key.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signing, nil
}

// SignatureAlgorithms lists the one algorithm of the mode: ES256, which
// FranceConnect v2 recommends, or RS256 for the v1 shape.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{s.alg()}, nil
}

// alg is the mode's signature algorithm.
func (s *storage) alg() jose.SignatureAlgorithm {
	if s.mode == FranceConnectV1 {
		return jose.RS256
	}
	return jose.ES256
}

// KeySet publishes the public half of the current signing key.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return []op.Key{publicKey{s.signing}}, nil
}

// rotate generates a new signing key, which replaces the current one.
func (s *storage) rotate() error {
	var key any
	switch s.alg() {
	case jose.RS256:
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return fmt.Errorf("oidcdemo: signing key: %w", err)
		}
		key = k
	default:
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return fmt.Errorf("oidcdemo: signing key: %w", err)
		}
		key = k
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signing = signingKey{id: newID(), alg: s.alg(), key: key}
	return nil
}

// GetClientByClientID returns a registered client.
func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, errNotFound{"client"}
	}
	return c, nil
}

// AuthorizeClientIDSecret checks a client's secret in constant time.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.clients[id]
	if !ok || subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1 {
		return errors.New("oidcdemo: wrong client id or secret")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in the library; SetUserinfoFromRequest
// does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the claims the scopes ask for in the ID token.
func (s *storage) SetUserinfoFromRequest(_ context.Context, ui *oidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	return s.setClaims(ui, r.GetSubject(), scopes)
}

// SetUserinfoFromToken answers the userinfo endpoint for an access token.
// It tells the signed userinfo wrapper, through ctx, which client the
// token was issued to (the audience of the signed answer).
func (s *storage) SetUserinfoFromToken(ctx context.Context, ui *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || t.Subject != subject || s.now().After(t.Expires) {
		return errors.New("oidcdemo: access token unknown or expired")
	}
	if aud, ok := ctx.Value(audienceKey{}).(*string); ok {
		*aud = t.ClientID
	}
	return s.setClaims(ui, subject, t.Scopes)
}

// setClaims fills ui with the person's claims that scopes allow.
func (s *storage) setClaims(ui *oidc.UserInfo, subject string, scopes []string) error {
	p, ok := s.people[subject]
	if !ok {
		return errNotFound{"person"}
	}
	ui.Subject = subject
	want := claimsFor(s.scopes, scopes)
	if s.mode == ProConnect {
		setAgentClaims(ui, p, want)
		return nil
	}
	str := func(claim, v string) {
		if want[claim] && v != "" {
			ui.AppendClaims(claim, v)
		}
	}
	if want["given_name"] {
		ui.GivenName = p.GivenName
	}
	if want["family_name"] {
		ui.FamilyName = p.FamilyName
	}
	if want["birthdate"] {
		ui.Birthdate = p.Birthdate.String()
	}
	if want["gender"] {
		ui.Gender = oidc.Gender(p.Gender)
	}
	if want["email"] {
		ui.Email = p.Email
	}
	str("birthplace", p.Birthplace)
	str("birthcountry", p.BirthCountry)
	if s.mode == FranceConnectV1 {
		str("preferred_name", p.UsageName) // v1's name for it
	} else {
		str("preferred_username", p.UsageName)
	}
	return nil
}

// SetIntrospectionFromToken: the demo offers no introspection.
func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errUnsupported
}

// GetPrivateClaimsFromScopes: no private claims in access tokens (they are
// opaque anyway).
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID: no JWT client authentication.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errUnsupported
}

// ValidateJWTProfileScopes: no JWT profile grant.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errUnsupported
}

// Health is always fine: everything is in memory.
func (s *storage) Health(context.Context) error { return nil }

// signingKey is the private key tokens are signed with: *rsa.PrivateKey
// for RS256, *ecdsa.PrivateKey for ES256.
type signingKey struct {
	id  string
	alg jose.SignatureAlgorithm
	key any
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return k.alg }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

// publicKey is the published half of signingKey.
type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return k.alg }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any {
	switch key := k.key.(type) {
	case *rsa.PrivateKey:
		return &key.PublicKey
	case *ecdsa.PrivateKey:
		return &key.PublicKey
	}
	return nil
}
