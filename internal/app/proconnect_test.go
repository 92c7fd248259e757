package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/store/storetest"
)

// ProConnect matches an existing agent account by its professional
// address; nobody gets an account or a role by signing in; multi-factor
// authentication at ProConnect stands for Permis's TOTP code.
func TestSignInAgentWithIdentity(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		_, a := mustOpenPortal(t, dsn, c)
		sys := app.Request{Actor: access.SystemActor("test")}
		for _, r := range []access.Role{access.Agent, access.Helpdesk, access.Prosecutor, access.Admin} {
			if _, err := a.CreateStaffAccount(ctx, sys, app.StaffAccount{Role: r, Email: string(r) + "@prefecture.test",
				Password: "une phrase de passe assez longue", GivenName: "Claire", FamilyName: "Agent"}); err != nil {
				t.Fatal(err)
			}
		}
		pc := func(email string, mfa bool) app.AgentIdentity {
			return app.AgentIdentity{Issuer: "https://proconnect.test/api/v2", Subject: "sub-" + email, Email: email,
				MFA: mfa, IDToken: "id-token"}
		}

		for _, r := range []access.Role{access.Agent, access.Helpdesk, access.Prosecutor, access.Admin} {
			// With MFA: no TOTP step, the session is complete at once.
			ns, err := a.SignInAgentWithIdentity(ctx, app.Request{}, pc(strings.ToUpper(string(r))+"@Prefecture.test", true), "test")
			if err != nil {
				t.Fatalf("%s with MFA: %v", r, err)
			}
			if ns.NeedsSecondFactor || ns.Account.Role != r {
				t.Errorf("%s with MFA: %+v", r, ns)
			}
			st, err := a.Authenticate(ctx, ns.Token)
			if err != nil || st.Pending || st.IDTokenHint != "id-token" {
				t.Errorf("%s with MFA: session %+v, %v", r, st, err)
			}
			if st.IdentityIssuer() != "" {
				t.Errorf("an agent's ProConnect session carries a civil identity issuer %q", st.IdentityIssuer())
			}
			// Without: the TOTP code is still owed.
			ns, err = a.SignInAgentWithIdentity(ctx, app.Request{}, pc(string(r)+"@prefecture.test", false), "test")
			if err != nil {
				t.Fatal(err)
			}
			st, _ = a.Authenticate(ctx, ns.Token)
			if !ns.NeedsSecondFactor || !st.Pending {
				t.Errorf("%s without MFA: needs second factor %v, pending %v", r, ns.NeedsSecondFactor, st.Pending)
			}
		}

		// Unknown address: refused, clearly, and no account appears.
		_, err := a.SignInAgentWithIdentity(ctx, app.Request{}, pc("inconnu@prefecture.test", true), "test")
		if e := apperr.As(err); e.Code != apperr.Forbidden || !strings.Contains(e.Message, "inconnu@prefecture.test") ||
			!strings.Contains(e.Message, "administrateur") {
			t.Fatalf("unknown address: %v", err)
		}
		if _, err := a.SignIn(ctx, app.Request{}, "inconnu@prefecture.test", "x", "test"); err == nil {
			t.Error("an account was created")
		}

		// A citizen's address gives no agent role.
		ns, err := a.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: "https://fc.test", Subject: "c1",
			GivenName: "Jean", FamilyName: "Dupont", Email: "jean.dupont@exemple.test", IDToken: "fc-token"}, "test")
		if err != nil {
			t.Fatal(err)
		}
		st, _ := a.Authenticate(ctx, ns.Token)
		if st.IdentityIssuer() != "https://fc.test" {
			t.Errorf("citizen's national identity issuer %q", st.IdentityIssuer())
		}
		_, err = a.SignInAgentWithIdentity(ctx, app.Request{}, pc("jean.dupont@exemple.test", true), "test")
		if !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("citizen's address through ProConnect: %v", err)
		}
	})
}
