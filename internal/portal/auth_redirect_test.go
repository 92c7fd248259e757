package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// The page to come back to after signing in cannot be another site's
// (issue 10, finding 4): "/\t/host" is "//host" to a browser, which drops
// tabs inside URLs. Neither the sign-in form, nor its redirect, nor the
// identity provider's return cookie carry it.
func TestSignInDoesNotRedirectElsewhere(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 1})
		const pw = "une phrase de passe assez longue"
		if _, err := e.App.CreateStaffAccount(context.Background(), app.Request{Actor: access.SystemActor("test")}, app.StaffAccount{
			Role: access.DrivingSchool, Email: "ecole@auto-ecole.test", Password: pw, GivenName: "Test", FamilyName: "École", Organisation: "Auto-école",
		}); err != nil {
			t.Fatal(err)
		}
		for _, evil := range []string{"/\t/127.0.0.1:18444/", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"} {
			q := "?retour=" + url.QueryEscape(evil)
			body := read(t, e.Do(t, routertest.Session{}, http.MethodGet, "/connexion"+q, nil))
			if strings.Contains(body, "evil.example") || strings.Contains(body, "127.0.0.1:18444") {
				t.Errorf("GET /connexion%s: the page carries the foreign return address", q)
			}
			res := e.Do(t, routertest.Session{}, http.MethodGet, "/connexion/oidc"+q, nil)
			for _, c := range res.Cookies() {
				if c.Name == "permis_retour" && c.Value != "" {
					t.Errorf("GET /connexion/oidc%s: return cookie %q", q, c.Value)
				}
			}
			res = e.Do(t, routertest.Session{}, http.MethodPost, "/connexion", map[string]string{
				"email": "ecole@auto-ecole.test", "password": pw, "retour": evil})
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/auto-ecole" {
				t.Errorf("sign-in with retour=%q: %d to %q, want 303 to /auto-ecole", evil, res.StatusCode, loc)
			}
		}
		res := e.Do(t, routertest.Session{}, http.MethodPost, "/connexion", map[string]string{
			"email": "ecole@auto-ecole.test", "password": pw, "retour": "/aide"})
		if loc := res.Header.Get("Location"); loc != "/aide" {
			t.Errorf("sign-in with a page of this site: to %q, want /aide", loc)
		}
	})
}
