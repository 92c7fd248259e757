package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"
	"regexp"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"permis/internal/apperr"
)

// Identity is the person the provider vouched for. The fields are the
// FranceConnect claims; a claim the provider did not send is "".
type Identity struct {
	Issuer        string // iss of the ID token
	Subject       string // sub: stable identifier of the person at this provider, for this service
	GivenName     string // given_name: all given names, space-separated
	FamilyName    string // family_name: birth name
	Birthdate     string // birthdate: YYYY-MM-DD
	Birthplace    string // birthplace: INSEE code of the commune of birth ("" when born abroad)
	BirthCountry  string // birthcountry: INSEE code of the country of birth ("99100" for France)
	Gender        string // gender: "female" or "male"
	Email         string // email
	PreferredName string // preferred_name: usage name, "" if none
	IDToken       string // the raw ID token, kept as id_token_hint for LogoutURL
}

// claims are the identity claims as sent in the ID token and userinfo.
type claims struct {
	Subject       string `json:"sub"`
	GivenName     string `json:"given_name"`
	FamilyName    string `json:"family_name"`
	Birthdate     string `json:"birthdate"`
	Birthplace    string `json:"birthplace"`
	BirthCountry  string `json:"birthcountry"`
	Gender        string `json:"gender"`
	Email         string `json:"email"`
	PreferredName string `json:"preferred_name"`
}

// fill copies into c the claims that c lacks and o has.
func (c *claims) fill(o claims) {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&c.GivenName, o.GivenName}, {&c.FamilyName, o.FamilyName}, {&c.Birthdate, o.Birthdate},
		{&c.Birthplace, o.Birthplace}, {&c.BirthCountry, o.BirthCountry}, {&c.Gender, o.Gender},
		{&c.Email, o.Email}, {&c.PreferredName, o.PreferredName},
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
	return c.identity(hctx, d, tok, idt, raw)
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
		cause := fmt.Errorf("oidc: provider answered error=%q error_description=%q", e, q.Get("error_description"))
		if e == "access_denied" {
			return apperr.Wrap(apperr.Unauthenticated, msgCancelled, cause)
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
	ui, err := d.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return Identity{}, apperr.Wrap(apperr.Unavailable, msgUnavailable, err)
	}
	var got claims
	if err := ui.Claims(&got); err != nil {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgClaims, err)
	}
	if got.Subject != idt.Subject {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgInvalid,
			fmt.Errorf("oidc: userinfo sub %q differs from ID token sub %q", got.Subject, idt.Subject))
	}
	got.fill(fromToken)
	if got.Birthdate != "" && !birthdateShape.MatchString(got.Birthdate) {
		return Identity{}, apperr.Wrap(apperr.Unauthenticated, msgClaims, fmt.Errorf("oidc: birthdate %q is not YYYY-MM-DD", got.Birthdate))
	}
	return Identity{
		Issuer: idt.Issuer, Subject: idt.Subject,
		GivenName: got.GivenName, FamilyName: got.FamilyName, Birthdate: got.Birthdate,
		Birthplace: got.Birthplace, BirthCountry: got.BirthCountry, Gender: got.Gender,
		Email: got.Email, PreferredName: got.PreferredName, IDToken: raw,
	}, nil
}
