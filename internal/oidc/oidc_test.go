package oidc_test

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/oidc"
)

func TestSignInEndToEnd(t *testing.T) {
	e := newEnv(t, nil, nil)
	want := e.person("Garnier") // has a usage name: every claim is filled
	authURL, p := e.start()

	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, v := range map[string]string{
		"response_type": "code", "client_id": clientID, "redirect_uri": e.srv.URL + "/callback",
		"state": p.State, "nonce": p.Nonce, "code_challenge_method": "S256",
		"scope": strings.Join(oidc.DefaultScopes, " "),
		// What FranceConnect v2 requires of the authorization request.
		"acr_values": "eidas1", "prompt": "login consent",
	} {
		if q.Get(k) != v {
			t.Errorf("authorization URL %s=%q, want %q", k, q.Get(k), v)
		}
	}
	if len(p.State) < 32 || len(p.Nonce) < 32 {
		t.Errorf("state %q and nonce %q: FranceConnect v2 wants 32 characters or more", p.State, p.Nonce)
	}
	if strings.Contains(q.Get("scope"), "address") || strings.Contains(q.Get("scope"), "phone") {
		t.Errorf("scopes %q ask for address or phone, which v2 no longer has", q.Get("scope"))
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge") == p.Verifier {
		t.Errorf("code_challenge %q is not an S256 challenge of the verifier", q.Get("code_challenge"))
	}

	cb := e.signIn(authURL, "connexion", want.Subject)
	if cb.Get("state") != p.State || cb.Get("code") == "" {
		t.Fatalf("callback query %v", cb)
	}
	got, err := e.rp.Finish(context.Background(), p, cb)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if got.IDToken == "" {
		t.Error("no raw ID token kept")
	}
	got.IDToken = ""
	wantID := oidc.Identity{
		Issuer: e.issuer, Subject: want.Subject, GivenName: want.GivenName, FamilyName: want.FamilyName,
		Birthdate: want.Birthdate.String(), Birthplace: want.Birthplace, BirthCountry: want.BirthCountry,
		Gender: want.Gender, Email: want.Email, PreferredUsername: want.UsageName,
		ACR: "eidas1", AMR: []string{"pwd"},
	}
	if !reflect.DeepEqual(got, wantID) {
		t.Errorf("identity\n got %+v\nwant %+v", got, wantID)
	}
	if want.UsageName == "" || want.Birthplace == "" || want.Email == "" {
		t.Errorf("demo person lacks claims the test relies on: %+v", want)
	}
}

func TestScopesLimitClaims(t *testing.T) {
	e := newEnv(t, nil, []string{"openid", "given_name", "birthdate"})
	want := e.person("Roux")
	authURL, p := e.start()
	got, err := e.rp.Finish(context.Background(), p, e.signIn(authURL, "connexion", want.Subject))
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if got.GivenName != want.GivenName || got.Birthdate != want.Birthdate.String() {
		t.Errorf("asked claims missing: %+v", got)
	}
	if got.FamilyName != "" || got.Email != "" || got.Birthplace != "" || got.Gender != "" {
		t.Errorf("claims released without their scope: %+v", got)
	}
}

func TestLogoutURL(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.up.Store(false)
	if _, ok := e.rp.LogoutURL(context.Background(), "x", e.srv.URL+"/au-revoir", "s"); ok {
		t.Error("LogoutURL with the provider out of reach")
	}
	e.up.Store(true)
	authURL, p := e.start()
	id, err := e.rp.Finish(context.Background(), p, e.signIn(authURL, "connexion", e.person("Haddad").Subject))
	if err != nil {
		t.Fatal(err)
	}
	state := oidc.NewLogoutState()
	lu, ok := e.rp.LogoutURL(context.Background(), id.IDToken, e.srv.URL+"/au-revoir", state)
	if !ok || !strings.HasPrefix(lu, e.issuer+"/") {
		t.Fatalf("LogoutURL = %q, %v", lu, ok)
	}
	resp, _ := e.get(lu)
	if resp.Request.URL.Path != "/au-revoir" || resp.Request.URL.Query().Get("state") != state || len(state) < 32 {
		t.Errorf("after end_session: %s", resp.Request.URL)
	}
	// A post-logout URI that was not registered is refused by the provider.
	lu, _ = e.rp.LogoutURL(context.Background(), id.IDToken, e.srv.URL+"/ailleurs", state)
	if resp, _ := e.get(lu); resp.Request.URL.Path == "/ailleurs" || resp.StatusCode < 400 {
		t.Errorf("unregistered post-logout redirect followed: %d %s", resp.StatusCode, resp.Request.URL)
	}
}

// wantErr checks err's code and that its French message or its cause
// mentions what the case is about.
func wantErr(t *testing.T, err error, code apperr.Code, message, cause string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	ae := apperr.As(err)
	if ae.Code != code || !strings.Contains(ae.Message, message) {
		t.Fatalf("error %s %q, want %s containing %q", ae.Code, ae.Message, code, message)
	}
	if cause != "" && (ae.Cause == nil || !strings.Contains(ae.Cause.Error(), cause)) {
		t.Fatalf("cause %v, want it to mention %q", ae.Cause, cause)
	}
}

func TestFinishRefuses(t *testing.T) {
	ctx := context.Background()
	t.Run("tampered state", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		authURL, p := e.start()
		cb := e.signIn(authURL, "connexion", e.people[0].Subject)
		bad := url.Values{"code": {cb.Get("code")}, "state": {cb.Get("state") + "x"}}
		_, err := e.rp.Finish(ctx, p, bad)
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "state")
		delete(bad, "state")
		_, err = e.rp.Finish(ctx, p, bad)
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "state")
		// The code was not spent by the refused attempts.
		if _, err := e.rp.Finish(ctx, p, cb); err != nil {
			t.Fatalf("genuine callback after the tampered ones: %v", err)
		}
	})
	t.Run("replayed code", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		authURL, p := e.start()
		cb := e.signIn(authURL, "connexion", e.people[1].Subject)
		if _, err := e.rp.Finish(ctx, p, cb); err != nil {
			t.Fatalf("first use: %v", err)
		}
		_, err := e.rp.Finish(ctx, p, cb)
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "invalid_grant")
	})
	t.Run("wrong nonce", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		authURL, p := e.start()
		cb := e.signIn(authURL, "connexion", e.people[2].Subject)
		forged := p
		forged.Nonce = "une-autre-valeur"
		_, err := e.rp.Finish(ctx, forged, cb)
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "nonce")
	})
	t.Run("PKCE verifier mismatch", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		authURL, p := e.start()
		cb := e.signIn(authURL, "connexion", e.people[3].Subject)
		forged := p
		forged.Verifier = oauth2.GenerateVerifier()
		_, err := e.rp.Finish(ctx, forged, cb)
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "code_verifier")
	})
	t.Run("access denied", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		authURL, p := e.start()
		cb := e.signIn(authURL, "refus", "")
		if cb.Get("error") != "access_denied" || cb.Get("code") != "" || cb.Get("state") != p.State {
			t.Fatalf("callback after refusal: %v", cb)
		}
		_, err := e.rp.Finish(ctx, p, cb)
		wantErr(t, err, apperr.Unauthenticated, "Vous avez annulé la connexion", "access_denied")
	})
	t.Run("provider unavailable", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		_, p := e.start()
		_, err := e.rp.Finish(ctx, p, url.Values{"state": {p.State}, "error": {"server_error"}})
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu traiter votre connexion", "server_error")
		_, err = e.rp.Finish(ctx, p, url.Values{"state": {p.State}, "error": {"temporarily_unavailable"}})
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu traiter votre connexion", "temporarily_unavailable")
	})
	t.Run("other provider error", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		_, p := e.start()
		_, err := e.rp.Finish(ctx, p, url.Values{"state": {p.State}, "error": {"invalid_request"}})
		wantErr(t, err, apperr.Unauthenticated, "a refusé la connexion", "invalid_request")
	})
	t.Run("expired pending", func(t *testing.T) {
		t0 := time.Now()
		clk := clock.NewFixed(t0)
		e := newEnv(t, clk, nil)
		authURL, p := e.start()
		cb := e.signIn(authURL, "connexion", e.people[4].Subject)
		clk.Set(t0.Add(oidc.PendingLifetime + time.Second))
		_, err := e.rp.Finish(ctx, p, cb)
		wantErr(t, err, apperr.Unauthenticated, "a expiré", "old")
		clk.Set(t0.Add(time.Minute))
		if _, err := e.rp.Finish(ctx, p, cb); err != nil {
			t.Fatalf("same callback within the lifetime: %v", err)
		}
	})
	t.Run("userinfo about someone else", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		authURL, p := e.start()
		cb := e.signIn(authURL, "connexion", e.people[0].Subject)
		e.rewriteUserinfo(func(claims map[string]any) { claims["sub"] = e.people[1].Subject })
		_, err := e.rp.Finish(ctx, p, cb)
		wantErr(t, err, apperr.Unauthenticated, "n'a pas pu être vérifiée", "userinfo sub")
	})
	t.Run("empty pending", func(t *testing.T) {
		e := newEnv(t, nil, nil)
		_, err := e.rp.Finish(ctx, oidc.Pending{}, url.Values{"state": {""}, "code": {"x"}})
		wantErr(t, err, apperr.Unauthenticated, "introuvable", "")
	})
}

func TestLazyDiscovery(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.up.Store(false) // the client was built; the provider is not answering
	_, _, err := e.rp.Start(context.Background())
	wantErr(t, err, apperr.Unavailable, "momentanément indisponible", "503")
	_, err = e.rp.Finish(context.Background(), oidc.Pending{State: "s", Nonce: "n", Verifier: "v", Created: time.Now()},
		url.Values{"state": {"s"}, "code": {"c"}})
	wantErr(t, err, apperr.Unavailable, "momentanément indisponible", "")

	e.up.Store(true)
	authURL, p := e.start()
	id, err := e.rp.Finish(context.Background(), p, e.signIn(authURL, "connexion", e.people[0].Subject))
	if err != nil || id.Subject != e.people[0].Subject {
		t.Fatalf("after the provider came up: %+v, %v", id, err)
	}
	// Discovery is cached: the provider's metadata are not needed again.
	e.up.Store(false)
	if _, _, err := e.rp.Start(context.Background()); err != nil {
		t.Fatalf("Start with cached discovery: %v", err)
	}
}

func TestPendingEncoding(t *testing.T) {
	p := oidc.Pending{State: "st", Nonce: "no", Verifier: "ve", Created: time.Date(2025, 6, 15, 10, 0, 0, 0, time.UTC)}
	s := p.Encode()
	if strings.ContainsAny(s, ";, \"=") {
		t.Errorf("encoded pending %q is not cookie-safe", s)
	}
	back, err := oidc.DecodePending(s)
	if err != nil || back != p {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	for _, bad := range []string{"", "p1.", "p1.!!!", "p2." + s[3:], "p1.e30", s[:len(s)-4]} {
		if _, err := oidc.DecodePending(bad); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("DecodePending(%q) = %v, want unauthenticated", bad, err)
		}
	}
}
