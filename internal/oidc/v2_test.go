package oidc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"permis/internal/apperr"
	"permis/internal/oidc"
	"permis/internal/oidcdemo"
)

// signInOnce runs a whole sign-in of the first demo person and returns
// Finish's result.
func (e *env) signInOnce() (oidc.Identity, error) {
	e.t.Helper()
	authURL, p := e.start()
	cb := e.signIn(authURL, "connexion", e.people[0].Subject)
	return e.rp.Finish(context.Background(), p, cb)
}

// FranceConnect v2: the userinfo answer is a signed JWT, read only once its
// signature, issuer and audience verify.
func TestSignedUserinfoChecked(t *testing.T) {
	t.Run("genuine", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		id, err := e.signInOnce()
		if err != nil || id.GivenName != e.people[0].GivenName {
			t.Fatalf("%+v, %v", id, err)
		}
	})
	t.Run("tampered signature", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		e.replaceUserinfo(func(_ map[string]any, body string) (string, string) {
			return tamper(body), "application/jwt"
		})
		_, err := e.signInOnce()
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "signed userinfo")
	})
	t.Run("tampered claims", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		e.replaceUserinfo(func(claims map[string]any, body string) (string, string) {
			claims["family_name"] = "USURPATEUR"
			payload, _ := json.Marshal(claims)
			parts := strings.Split(body, ".")
			return parts[0] + "." + b64(payload) + "." + parts[2], "application/jwt"
		})
		_, err := e.signInOnce()
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "signed userinfo")
	})
	t.Run("for another client", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		e.rewriteUserinfo(func(claims map[string]any) { claims["aud"] = "un-autre-service" })
		_, err := e.signInOnce()
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "aud")
	})
	t.Run("from another issuer", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		e.rewriteUserinfo(func(claims map[string]any) { claims["iss"] = "https://ailleurs.example" })
		_, err := e.signInOnce()
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "different provider")
	})
	t.Run("signed with the client secret (HS256, v1)", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		e.replaceUserinfo(func(claims map[string]any, _ string) (string, string) {
			signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(clientSecret + clientSecret)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			payload, _ := json.Marshal(claims)
			jws, _ := signer.Sign(payload)
			s, _ := jws.CompactSerialize()
			return s, "application/jwt"
		})
		_, err := e.signInOnce()
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "signed userinfo")
	})
	t.Run("unsigned JSON refused by default", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		e.replaceUserinfo(func(claims map[string]any, _ string) (string, string) {
			b, _ := json.Marshal(claims)
			return string(b), "application/json"
		})
		_, err := e.signInOnce()
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "not a signed JWT")
	})
}

func tamper(jws string) string {
	// Change a character in the middle of the signature: the last one may
	// only carry padding bits.
	i := strings.LastIndex(jws, ".") + 10
	c := byte('A')
	if jws[i] == 'A' {
		c = 'B'
	}
	return jws[:i] + string(c) + jws[i+1:]
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// The v1-shaped flow (userinfo in plain JSON) is refused by default and
// accepted with AllowUnsignedUserinfo, for a provider that still uses it.
func TestV1ShapedProvider(t *testing.T) {
	v1 := func(allow bool) envOptions {
		return envOptions{mode: oidcdemo.FranceConnectV1, config: func(c *oidc.Config) {
			c.Scopes = []string{"openid", "given_name", "family_name", "preferred_name"}
			c.AllowUnsignedUserinfo = allow
		}}
	}
	e := newEnvWith(t, v1(false))
	_, err := e.signInOnce()
	wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "not a signed JWT")

	e = newEnvWith(t, v1(true))
	id, err := e.signInOnce()
	if err != nil || id.FamilyName != e.people[0].FamilyName {
		t.Fatalf("with the flag: %+v, %v", id, err)
	}
}

// The ID token's acr must answer the level asked.
func TestACRChecked(t *testing.T) {
	// The provider in v1 shape ignores acr_values and answers eidas1.
	e := newEnvWith(t, envOptions{mode: oidcdemo.FranceConnectV1, config: func(c *oidc.Config) {
		c.ACRValues = []string{"eidas2"}
		c.AllowUnsignedUserinfo = true
	}})
	_, err := e.signInOnce()
	wantErr(t, err, apperr.Unauthenticated, "niveau de sécurité", "acr")
}

// When the provider renews its signing key, the relying party fetches the
// key set again (once) instead of refusing the sign-in.
func TestKeyRenewed(t *testing.T) {
	e := newEnv(t, nil, nil)
	if _, err := e.signInOnce(); err != nil { // the keys are now cached
		t.Fatal(err)
	}
	if err := e.op.RotateKey(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.signInOnce(); err != nil {
		t.Fatalf("after the key was renewed: %v", err)
	}
}

// ProConnect: the agent's claims; MFA is what amr says.
func TestProConnect(t *testing.T) {
	agent := oidcdemo.Identity{Subject: "agent-7", GivenName: "Alice", FamilyName: "Agent",
		Email: "alice.agent@interieur.gouv.fr", Siret: "11000201100044"}
	for _, c := range []struct {
		methode string
		mfa     bool
	}{{"pwd", false}, {"mfa", true}} {
		t.Run(c.methode, func(t *testing.T) {
			e := newEnvWith(t, envOptions{mode: oidcdemo.ProConnect, people: []oidcdemo.Identity{agent}})
			authURL, p := e.start()
			if !strings.Contains(authURL, "claims=") || strings.Contains(authURL, "acr_values") {
				t.Errorf("authorization URL %s: want the claims parameter (amr), no acr_values", authURL)
			}
			cb := e.signInWith(authURL, map[string][]string{"action": {"connexion"}, "personne": {agent.Subject}, "methode": {c.methode}})
			id, err := e.rp.Finish(context.Background(), p, cb)
			if err != nil {
				t.Fatal(err)
			}
			if id.Email != agent.Email || id.UsualName != "Agent" || id.Siret != agent.Siret || id.UID != agent.Subject {
				t.Errorf("identity %+v", id)
			}
			if id.MFA() != c.mfa {
				t.Errorf("MFA() = %v with amr %v", id.MFA(), id.AMR)
			}
		})
	}
}

func TestMFA(t *testing.T) {
	for _, c := range []struct {
		acr  string
		amr  []string
		want bool
	}{
		{"eidas1", []string{"pwd"}, false},
		{"eidas1", []string{"totp"}, false},
		{"eidas1", []string{"pwd", "totp", "mfa"}, true},
		{"eidas2", nil, true},
		{"eidas3", []string{"pop"}, true},
		{"", nil, false},
	} {
		if got := (oidc.Identity{ACR: c.acr, AMR: c.amr}).MFA(); got != c.want {
			t.Errorf("MFA(acr %q, amr %v) = %v, want %v", c.acr, c.amr, got, c.want)
		}
	}
}
