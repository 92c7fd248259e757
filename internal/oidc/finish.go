package oidc

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"permis/internal/apperr"
)

// Identity is the person the provider vouched for. The fields are the
// FranceConnect v2 claims, then ProConnect's; a claim the provider did not
// send is "".
type Identity struct {
	Issuer       string // iss of the ID token
	Subject      string // sub: stable identifier of the person at this provider, for this service
	GivenName    string // given_name: all given names, space-separated
	FamilyName   string // family_name: birth name
	Birthdate    string // birthdate: YYYY-MM-DD
	Birthplace   string // birthplace: INSEE code of the commune of birth ("" when born abroad)
	BirthCountry string // birthcountry: INSEE code of the country of birth ("99100" for France)
	Gender       string // gender: "female" or "male"
	Email        string // email (ProConnect: the professional address, verified by the agent's identity provider)
	// PreferredUsername is the usage name: FranceConnect v2's
	// preferred_username ("" if none; v1 called it preferred_name).
	PreferredUsername string
	UsualName         string   // ProConnect's usual_name: the agent's usage family name
	UID               string   // ProConnect's uid: the agent's identifier at their identity provider
	Siret             string   // ProConnect's siret: the agent's establishment
	ACR               string   // acr of the ID token: the eIDAS level, e.g. "eidas1"
	AMR               []string // amr of the ID token: how the person authenticated ("pwd", "totp", "mfa"…)
	IDToken           string   // the raw ID token, kept as id_token_hint for LogoutURL
}

// MFA reports whether the provider says the person used multi-factor
// authentication: amr lists "mfa" (ProConnect's value for it,
// resources/claim_amr.md of its partner documentation), or acr is an eIDAS
// level of substantial or high (eidas2, eidas3), which requires it. A
// single factor ("pwd", "mail", "totp" or "pop" alone) is not enough: the
// safe reading.
func (id Identity) MFA() bool {
	return slices.Contains(id.AMR, "mfa") || id.ACR == "eidas2" || id.ACR == "eidas3"
}

// claims are the identity claims as sent in the ID token and userinfo.
type claims struct {
	Subject           string `json:"sub"`
	GivenName         string `json:"given_name"`
	FamilyName        string `json:"family_name"`
	Birthdate         string `json:"birthdate"`
	Birthplace        string `json:"birthplace"`
	BirthCountry      string `json:"birthcountry"`
	Gender            string `json:"gender"`
	Email             string `json:"email"`
	PreferredUsername string `json:"preferred_username"`
	PreferredName     string `json:"preferred_name"` // FranceConnect v1's name of the usage name
	UsualName         string `json:"usual_name"`
	UID               string `json:"uid"`
	Siret             string `json:"siret"`
}

// tokenLevel is what the ID token says of the authentication.
type tokenLevel struct {
	ACR string   `json:"acr"`
	AMR []string `json:"amr"`
}

// fill copies into c the claims that c lacks and o has.
func (c *claims) fill(o claims) {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&c.GivenName, o.GivenName}, {&c.FamilyName, o.FamilyName}, {&c.Birthdate, o.Birthdate},
		{&c.Birthplace, o.Birthplace}, {&c.BirthCountry, o.BirthCountry}, {&c.Gender, o.Gender},
		{&c.Email, o.Email}, {&c.PreferredUsername, o.PreferredUsername}, {&c.PreferredName, o.PreferredName},
		{&c.UsualName, o.UsualName}, {&c.UID, o.UID}, {&c.Siret, o.Siret},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
}

// French messages of Finish's errors.
const (
	msgCancelled = "Vous avez annulé la connexion ou refusé de transmettre vos informations : vous n'êtes pas connecté. Vous pouvez recommencer quand vous le souhaitez."
	msgRefused   = "Le service d'identification a refusé la connexion. Veuillez recommencer ou choisir un autre moyen de connexion."
	msgExpired   = "La demande de connexion a expiré. Veuillez recommencer la connexion."
	msgInvalid   = "La connexion n'a pas pu être vérifiée. Veuillez recommencer la connexion."
	msgClaims    = "Les informations d'identité reçues sont incomplètes ou mal formées. Veuillez recommencer la connexion."
	msgLevel     = "Le niveau de sécurité de la connexion ne correspond pas à celui demandé. Veuillez recommencer la connexion."
	msgProvider  = "Le service d'identification n'a pas pu traiter votre connexion pour le moment. Veuillez réessayer dans quelques minutes."
)

var birthdateShape = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// Finish completes a sign-in from the callback's query q and the Pending
// kept since Start. It refuses an error answer from the provider, a pending
// sign-in older than PendingLifetime, a missing or different state, a code
// that the provider does not exchange (replayed, or with a wrong PKCE
// verifier), an ID token that does not verify (signature, issuer, audience,
// expiry, access-token hash) or does not carry the pending nonce, and
// userinfo about another subject. Every error is an apperr value with a
// French message; the cause is wrapped for the logs.
func (c *Client) Finish(ctx context.Context, p Pending, q url.Values) (Identity, error) {
	if err := c.checkCallback(p, q); err != nil {
		return Identity{}, err
	}
	d, err := c.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	hctx := c.ctx(ctx)
	tok, err := d.oauth.Exchange(hctx, q.Get("code"), oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return Identity{}, exchangeError(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid, errors.New("oidc: token response without id_token"))
	}
	idt, err := d.verifier.Verify(hctx, raw)
	if err != nil {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(p.Nonce)) != 1 {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid, errors.New("oidc: ID token nonce does not match the pending sign-in"))
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid, err)
		}
	}
	var lvl tokenLevel
	if err := idt.Claims(&lvl); err != nil {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgClaims, err)
	}
	if len(c.cfg.ACRValues) > 0 && !acrSatisfies(c.cfg.ACRValues, lvl.ACR) {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgLevel,
			fmt.Errorf("oidc: ID token acr %q, asked %v", lvl.ACR, c.cfg.ACRValues))
	}
	id, err := c.identity(hctx, d, tok, idt, raw)
	id.ACR, id.AMR = lvl.ACR, lvl.AMR
	return id, err
}

// acrSatisfies reports whether the acr a provider returned answers the
// acr_values asked: one of them, or a higher eIDAS level than the lowest
// eIDAS level asked (eidas1 < eidas2 < eidas3).
func acrSatisfies(asked []string, got string) bool {
	if got == "" {
		return false
	}
	if slices.Contains(asked, got) {
		return true
	}
	g := eidasLevel(got)
	for _, a := range asked {
		if l := eidasLevel(a); l > 0 && g > l {
			return true
		}
	}
	return false
}

// eidasLevel is 1, 2 or 3 for "eidas1", "eidas2", "eidas3", else 0.
func eidasLevel(acr string) int {
	switch acr {
	case "eidas1":
		return 1
	case "eidas2":
		return 2
	case "eidas3":
		return 3
	}
	return 0
}

// checkCallback does the checks that need no network: the pending sign-in,
// the state, the provider's error answer and the presence of a code.
func (c *Client) checkCallback(p Pending, q url.Values) error {
	if p.State == "" || p.Nonce == "" || p.Verifier == "" {
		return errBadPending(errors.New("oidc: empty pending sign-in"))
	}
	if age := c.clock.Now().Sub(p.Created); age > PendingLifetime || age < -PendingLifetime {
		return apperr.Wrap(apperr.Unauthenticated, msgExpired, fmt.Errorf("oidc: pending sign-in is %s old", age))
	}
	state := q.Get("state")
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(p.State)) != 1 {
		return apperr.Wrap(apperr.Unauthenticated, msgInvalid, errors.New("oidc: callback state missing or different from the pending one"))
	}
	if e := q.Get("error"); e != "" {
		// FranceConnect v2 sends the person back with error and
		// error_description when they cancel, refuse to share their data or
		// when it cannot serve them; each gets a French sentence, never an
		// error page.
		cause := fmt.Errorf("oidc: provider answered error=%q error_description=%q", e, q.Get("error_description"))
		switch e {
		case "access_denied", "consent_required", "login_required", "interaction_required":
			return apperr.Wrap(apperr.Unauthenticated, msgCancelled, cause)
		case "server_error", "temporarily_unavailable":
			return apperr.Wrap(apperr.Unauthenticated, msgProvider, cause)
		}
		return apperr.Wrap(apperr.Unauthenticated, msgRefused, cause)
	}
	if q.Get("code") == "" {
		return apperr.Wrap(apperr.Unauthenticated, msgInvalid, errors.New("oidc: callback without code"))
	}
	return nil
}

// exchangeError sorts a failed code exchange: an OAuth error answer (the
// code was replayed, expired, or the PKCE verifier is wrong) is the
// person's problem to retry; anything else is the provider being out of
// reach.
func exchangeError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && (re.ErrorCode != "" || re.Response != nil && re.Response.StatusCode < 500) {
		return apperr.Wrap(apperr.Unauthenticated, msgInvalid, err)
	}
	return apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
}

// identity reads the userinfo endpoint, checks that it speaks of the ID
// token's subject and merges both sources (userinfo first).
func (c *Client) identity(ctx context.Context, d *discovered, tok *oauth2.Token, idt *gooidc.IDToken, raw string) (Identity, error) {
	var fromToken claims
	if err := idt.Claims(&fromToken); err != nil {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgClaims, err)
	}
	got, err := c.userinfo(ctx, d, tok)
	if err != nil {
		return Identity{}, err
	}
	if got.Subject != idt.Subject {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid,
			fmt.Errorf("oidc: userinfo sub %q differs from ID token sub %q", got.Subject, idt.Subject))
	}
	got.fill(fromToken)
	if got.PreferredUsername == "" {
		got.PreferredUsername = got.PreferredName
	}
	if got.Birthdate != "" && !birthdateShape.MatchString(got.Birthdate) {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgClaims, fmt.Errorf("oidc: birthdate %q is not YYYY-MM-DD", got.Birthdate))
	}
	return Identity{
		Issuer: idt.Issuer, Subject: idt.Subject,
		GivenName: got.GivenName, FamilyName: got.FamilyName, Birthdate: got.Birthdate,
		Birthplace: got.Birthplace, BirthCountry: got.BirthCountry, Gender: got.Gender,
		Email: got.Email, PreferredUsername: got.PreferredUsername,
		UsualName: got.UsualName, UID: got.UID, Siret: got.Siret, IDToken: raw,
	}, nil
}

// maxUserinfo bounds the userinfo answer read.
const maxUserinfo = 64 << 10

// userinfo calls the userinfo endpoint with the access token. A JWT answer
// (application/jwt, FranceConnect v2 and ProConnect) is read only once its
// signature (ES256 or RS256, by a key of the provider's key set), issuer
// and audience (this client) verify. A plain JSON answer (the v1 shape) is
// refused unless AllowUnsignedUserinfo.
func (c *Client) userinfo(ctx context.Context, d *discovered, tok *oauth2.Token) (claims, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.userinfoAt, nil)
	if err != nil {
		return claims{}, apperr.Wrap(apperr.Internal, msgUnavailable, err)
	}
	tok.SetAuthHeader(req)
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return claims{}, apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxUserinfo))
	if err != nil {
		return claims{}, apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("oidc: userinfo answered %s", resp.Status)
		if resp.StatusCode >= 500 {
			return claims{}, apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
		}
		return claims{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid, err)
	}
	var got claims
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case mt == "application/jwt":
		t, err := d.userinfo.Verify(ctx, strings.TrimSpace(string(body)))
		if err != nil {
			return claims{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid, fmt.Errorf("oidc: signed userinfo: %w", err))
		}
		if err := t.Claims(&got); err != nil {
			return claims{}, apperr.Wrap(apperr.Unauthenticated, msgClaims, err)
		}
	case mt == "application/json" && c.cfg.AllowUnsignedUserinfo:
		if err := json.Unmarshal(body, &got); err != nil {
			return claims{}, apperr.Wrap(apperr.Unauthenticated, msgClaims, err)
		}
	default:
		return claims{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid,
			fmt.Errorf("oidc: userinfo answer of type %q is not a signed JWT (unsigned answers are not allowed)", mt))
	}
	return got, nil
}
