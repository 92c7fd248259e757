package portal_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/browsertest"
	"permis/internal/oidcdemo"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// providers watches the built-in providers' userinfo answers: it counts
// the signed ones (application/jwt) and, when tamper is on, changes a
// character of their signature, as an attacker between the service and
// the provider would.
type providers struct {
	signed atomic.Int64
	tamper atomic.Bool
}

func (pv *providers) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/userinfo") {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.String()
		if rec.Header().Get("Content-Type") == "application/jwt" {
			pv.signed.Add(1)
			if pv.tamper.Load() {
				i := strings.LastIndex(body, ".") + 10
				c := "A"
				if body[i] == 'A' {
					c = "B"
				}
				body = body[:i] + c + body[i+1:]
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write([]byte(body))
	})
}

// startNational starts the service with both built-in providers watched,
// and a desktop Chromium tab.
func startNational(t *testing.T) (*browsertest.Browser, *routertest.Env, *providers, func(status, want int)) {
	t.Helper()
	b := browsertest.New(t)
	b.Viewport(1280, 800)
	theme := "dsfr"
	if !dsfrBuilt() {
		theme = "neutral"
	}
	pv := &providers{}
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3, Theme: theme,
		ProviderMiddleware: pv.middleware})
	checked := func(status, want int) {
		t.Helper()
		if status != want {
			t.Fatalf("%s: %d, want %d", b.URL(), status, want)
		}
		b.CheckA11y(t)
		b.CheckConsole(t)
	}
	return b, e, pv, checked
}

// A citizen signs in through the built-in provider in FranceConnect v2
// mode (its userinfo answer a signed JWT) and links a licence; signing out
// ends both sessions; cancelling at the provider and a tampered userinfo
// signature both come back to a clear sign-in page.
func TestFranceConnectV2InABrowser(t *testing.T) {
	b, e, pv, checked := startNational(t)
	dp, person := e.Person(t, "48m")
	subject := oidcdemo.FromPerson(dp.Key, person).Subject
	visit := func(path string, want int) {
		t.Helper()
		checked(b.Visit(e.URL+path), want)
	}
	errorSummary := func(want string) {
		t.Helper()
		if got := b.Text("#resume-erreurs"); !strings.Contains(got, want) {
			t.Errorf("error summary %q, want %q", got, want)
		}
	}

	// Cancelling at the provider.
	visit("/connexion", 200)
	checked(b.Follow("#oidc-button"), 200)
	checked(b.Follow(`button[value="refus"]`), 400)
	if !strings.Contains(b.URL(), "/connexion/oidc/retour") || b.Text("h1") != "Se connecter" {
		t.Fatalf("after cancelling: %s %q", b.URL(), b.Text("h1"))
	}
	errorSummary("Vous avez annulé la connexion")

	// A tampered userinfo signature.
	pv.tamper.Store(true)
	checked(b.Follow("#oidc-button"), 200)
	b.Click(`input[name="personne"][value="` + subject + `"]`)
	checked(b.Follow(`button[value="connexion"]`), 400)
	errorSummary("La connexion n'a pas pu être vérifiée")
	visit("/mon-espace", 200)
	if !strings.Contains(b.URL(), "/connexion?retour=") {
		t.Fatalf("signed in despite the tampered userinfo: %s", b.URL())
	}
	pv.tamper.Store(false)

	// The genuine sign-in, with a signed userinfo answer, and the licence.
	before := pv.signed.Load()
	checked(b.Follow("#oidc-button"), 200)
	b.Click(`input[name="personne"][value="` + subject + `"]`)
	checked(b.Follow(`button[value="connexion"]`), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace") {
		t.Fatalf("after sign-in: %s", b.URL())
	}
	if pv.signed.Load() != before+1 {
		t.Errorf("%d signed userinfo answers during the sign-in, want 1", pv.signed.Load()-before)
	}
	visit("/mon-espace/permis/rattacher", 200)
	b.Fill("#number", dp.NEPH.String())
	checked(b.Submit("#number"), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace/points") {
		t.Fatalf("after linking: %s", b.URL())
	}

	// The provider has a session too; signing out ends both.
	visit("/fc-demo/session", 200)
	if got := b.Text("h1"); got != "Session ouverte" {
		t.Fatalf("provider session before sign-out: %q", got)
	}
	visit("/mon-espace", 200)
	checked(b.Follow(`form[action="/deconnexion"] button`), 200)
	if !strings.Contains(b.URL(), "/deconnexion/fin?state=") || !strings.Contains(b.Text("main"), "Vous êtes déconnecté") {
		t.Errorf("after sign-out: %s\n%s", b.URL(), b.Text("main"))
	}
	visit("/fc-demo/session", 200)
	if got := b.Text("h1"); got != "Aucune session ouverte" {
		t.Errorf("provider session after sign-out: %q", got)
	}
	visit("/mon-espace", 200)
	if !strings.Contains(b.URL(), "/connexion") {
		t.Errorf("after sign-out, my space is at %s", b.URL())
	}
}

// An agent signs in with ProConnect: with multi-factor authentication at
// ProConnect, straight to the instruction queue; with a password only,
// Permis asks for its own TOTP code first; an address without an agent
// account is refused.
func TestProConnectInABrowser(t *testing.T) {
	b, e, _, checked := startNational(t)
	agents := oidcdemo.DemoAgents()
	claire := agents[0]
	if _, err := e.App.CreateStaffAccount(context.Background(), app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{
		Role: access.Agent, Email: claire.Email, Password: "une phrase de passe assez longue",
		GivenName: claire.GivenName, FamilyName: claire.FamilyName, Organisation: "Préfecture de l'Hérault",
	}); err != nil {
		t.Fatal(err)
	}
	signIn := func(who oidcdemo.Identity, methode string, want int) {
		t.Helper()
		checked(b.Visit(e.URL+"/connexion"), 200)
		checked(b.Follow("#proconnect-button"), 200)
		b.Click(`input[name="personne"][value="` + who.Subject + `"]`)
		b.Click("#methode-" + methode)
		checked(b.Follow(`button[value="connexion"]`), want)
	}

	// With MFA: no TOTP step.
	signIn(claire, "mfa", 200)
	if strings.Contains(b.URL(), "second-facteur") {
		t.Fatalf("asked for a TOTP code after ProConnect's MFA: %s", b.URL())
	}
	checked(b.Visit(e.URL+"/agents/demandes"), 200)
	if !strings.HasSuffix(b.URL(), "/agents/demandes") {
		t.Fatalf("the queue is at %s", b.URL())
	}
	checked(b.Follow(`form[action="/deconnexion"] button`), 200)
	if !strings.Contains(b.URL(), "/deconnexion/fin?state=") {
		t.Errorf("agent's sign-out did not go through ProConnect: %s", b.URL())
	}

	// Password only: Permis's own second factor first.
	signIn(claire, "pwd", 200)
	if !strings.HasSuffix(b.URL(), "/connexion/second-facteur") {
		t.Fatalf("after a password-only ProConnect sign-in: %s", b.URL())
	}
	checked(b.Visit(e.URL+"/agents/demandes"), 200)
	if strings.HasSuffix(b.URL(), "/agents/demandes") {
		t.Fatalf("the queue was reached without the TOTP code")
	}
	checked(b.Visit(e.URL+"/connexion/second-facteur"), 200)
	b.Fill("#code", e.TOTPCode(t, b.Text("#totp-secret")))
	checked(b.Submit("#code"), 200)
	checked(b.Visit(e.URL+"/agents/demandes"), 200)
	if !strings.HasSuffix(b.URL(), "/agents/demandes") {
		t.Fatalf("after the TOTP code, the queue is at %s", b.URL())
	}
	checked(b.Follow(`form[action="/deconnexion"] button`), 200)

	// No agent account for this address: a clear refusal.
	signIn(agents[4], "mfa", 403)
	if got := b.Text("#resume-erreurs"); !strings.Contains(got, "Aucun compte d'agent") || !strings.Contains(got, agents[4].Email) {
		t.Errorf("refusal %q", got)
	}
}
