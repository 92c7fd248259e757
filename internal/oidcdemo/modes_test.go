package oidcdemo_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"permis/internal/oidcdemo"
)

// jwtPayload returns the payload of a compact JWS, unverified.
func jwtPayload(t *testing.T, jws string) string {
	t.Helper()
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", jws)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// keys returns the provider's published key set.
func keys(t *testing.T, s *site) jose.JSONWebKeySet {
	t.Helper()
	resp, body := get(t, http.DefaultClient, s.issuer+"/keys")
	var ks jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(body), &ks); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("keys: %d %v", resp.StatusCode, err)
	}
	return ks
}

// userinfo signs subject in and returns the userinfo answer's content type
// and body.
func userinfo(t *testing.T, s *site, subject string) (string, string) {
	t.Helper()
	code, verifier := signIn(t, s, subject)
	tok, err := s.oauth.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := fetch(t, http.DefaultClient, bearer(t, s, tok.AccessToken))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("userinfo: %d %s", resp.StatusCode, body)
	}
	return resp.Header.Get("Content-Type"), body
}

// In FranceConnect v2 mode, userinfo is a JWT signed with ES256 by the key
// the key set publishes, for the client, from the issuer.
func TestSignedUserinfo(t *testing.T) {
	s := newSite(t, "/fc-demo")
	ct, body := userinfo(t, s, jeanne.Subject)
	if ct != "application/jwt" {
		t.Fatalf("content type %q", ct)
	}
	jws, err := jose.ParseSignedCompact(body, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	ks := keys(t, s)
	kid := jws.Signatures[0].Header.KeyID
	found := ks.Key(kid)
	if len(found) != 1 {
		t.Fatalf("key %q not published in %v", kid, ks)
	}
	payload, err := jws.Verify(found[0])
	if err != nil {
		t.Fatalf("signature: %v", err)
	}
	var claims map[string]any
	_ = json.Unmarshal(payload, &claims)
	if claims["iss"] != s.issuer || claims["aud"] != "permis" || claims["sub"] != jeanne.Subject ||
		claims["given_name"] != "Jeanne Louise" || claims["exp"] == nil {
		t.Errorf("claims %v", claims)
	}
}

// After RotateKey, the key set publishes the new key only, and tokens are
// signed with it.
func TestRotateKey(t *testing.T) {
	s := newSite(t, "/fc-demo")
	before := keys(t, s).Keys[0].KeyID
	if err := s.provider.RotateKey(); err != nil {
		t.Fatal(err)
	}
	after := keys(t, s)
	if len(after.Keys) != 1 || after.Keys[0].KeyID == before {
		t.Fatalf("after rotation: %v (before %s)", after, before)
	}
	_, body := userinfo(t, s, paul.Subject)
	jws, err := jose.ParseSignedCompact(body, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	if kid := jws.Signatures[0].Header.KeyID; kid != after.Keys[0].KeyID {
		t.Errorf("signed with %s, want the new key %s", kid, after.Keys[0].KeyID)
	}
}

func newJar(t *testing.T) *cookiejar.Jar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

// The v1 shape answers userinfo in plain JSON, signs with RS256, and asks
// for none of v2's parameters.
func TestFranceConnectV1Shape(t *testing.T) {
	s := newSite(t, "/fc-demo", oidcdemo.WithMode(oidcdemo.FranceConnectV1))
	s.oauth.Scopes = []string{"openid", "given_name", "preferred_name"}
	ct, body := userinfo(t, s, jeanne.Subject)
	if !strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"given_name":"Jeanne Louise"`) {
		t.Errorf("userinfo %q %s", ct, body)
	}
	if k := keys(t, s).Keys; len(k) != 1 || k[0].Algorithm != "RS256" {
		t.Errorf("keys %v", k)
	}
}

// In ProConnect mode the login page offers a second factor; the ID token's
// amr says which was used, and userinfo carries the agent's claims.
func TestProConnectMode(t *testing.T) {
	agent := oidcdemo.Identity{Subject: "agent-1", GivenName: "Alice", FamilyName: "Agent", Email: "alice.agent@interieur.gouv.fr",
		Siret: "11000201100044"}
	for _, c := range []struct {
		methode string
		amr     string
	}{{"pwd", `"amr":["pwd"]`}, {"mfa", `"amr":["pwd","totp","mfa"]`}} {
		t.Run(c.methode, func(t *testing.T) {
			s := newSitePeople(t, "/pc-demo", []oidcdemo.Identity{agent}, oidcdemo.WithMode(oidcdemo.ProConnect))
			s.oauth.Scopes = []string{"openid", "given_name", "usual_name", "email", "uid", "siret"}
			loginURL, id, page, verifier := authorize(t, s)
			if !strings.Contains(page, "double authentification") || !strings.Contains(page, "alice.agent@interieur.gouv.fr") {
				t.Fatalf("login page:\n%s", page)
			}
			target, _ := loginURL.Parse(action.FindStringSubmatch(page)[1])
			resp, body := post(t, http.DefaultClient, target.String(), url.Values{"id": {id}, "action": {"connexion"},
				"personne": {agent.Subject}, "methode": {c.methode}}, nil)
			code := resp.Request.URL.Query().Get("code")
			if code == "" {
				t.Fatalf("after login: %s\n%s", resp.Request.URL, body)
			}
			tok, err := s.oauth.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			idt := jwtPayload(t, tok.Extra("id_token").(string))
			if !strings.Contains(idt, c.amr) {
				t.Errorf("ID token %s, want %s", idt, c.amr)
			}
			_, body = fetch(t, http.DefaultClient, bearer(t, s, tok.AccessToken))
			ui := jwtPayload(t, body)
			for _, want := range []string{`"usual_name":"Agent"`, `"email":"alice.agent@interieur.gouv.fr"`, `"siret":"11000201100044"`, `"uid":"agent-1"`} {
				if !strings.Contains(ui, want) {
					t.Errorf("userinfo %s lacks %s", ui, want)
				}
			}
		})
	}
}

// Signing in opens a session at the provider; its end-session endpoint
// closes it.
func TestProviderSession(t *testing.T) {
	s := newSite(t, "/fc-demo")
	jar := newJar(t)
	browser := &http.Client{Jar: jar}
	if _, page := get(t, browser, s.issuer+"/session"); !strings.Contains(page, "Aucune session ouverte") {
		t.Fatalf("before sign-in:\n%s", page)
	}
	loginURL, id, page, verifier := authorize(t, s)
	target, _ := loginURL.Parse(action.FindStringSubmatch(page)[1])
	resp, _ := post(t, browser, target.String(), url.Values{"id": {id}, "action": {"connexion"}, "personne": {jeanne.Subject}}, nil)
	tok, err := s.oauth.Exchange(context.Background(), resp.Request.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if _, page := get(t, browser, s.issuer+"/session"); !strings.Contains(page, "Session ouverte") || !strings.Contains(page, "Jeanne Martin") {
		t.Fatalf("after sign-in:\n%s", page)
	}
	q := url.Values{"id_token_hint": {tok.Extra("id_token").(string)}, "state": {state},
		"post_logout_redirect_uri": {s.srv.URL + "/callback"}}
	resp, _ = get(t, browser, s.issuer+"/end_session?"+q.Encode())
	if resp.Request.URL.Path != "/callback" || resp.Request.URL.Query().Get("state") != state {
		t.Errorf("after end_session: %s", resp.Request.URL)
	}
	if _, page := get(t, browser, s.issuer+"/session"); !strings.Contains(page, "Aucune session ouverte") {
		t.Errorf("after end_session:\n%s", page)
	}
}
