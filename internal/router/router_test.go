package router_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// Every route of the service has an owner, written in wantOwners (a literal
// table, not the route table under test), and the running router admits
// exactly those roles. API routes authenticate with a
// bearer token: public ones answer without one, others refuse a request
// without a token (401) and every role their policy does not name (403).
// Portal routes authenticate with the session cookie: without one, a
// protected page sends the browser to the sign-in page (303), a form post
// or an API call gets 401; a signed-in account of another role gets 403.
func TestEveryRouteHasAnOwnerAndRefusesOthers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 5})
		if len(e.Routes.Token) < 5 || len(e.Routes.Session) < 30 {
			t.Fatalf("only %d API and %d portal routes listed", len(e.Routes.Token), len(e.Routes.Session))
		}
		registered := map[string]bool{}
		for _, rt := range e.Routes.All() {
			registered[rt.Pattern] = true
		}
		for pattern := range wantOwners {
			if !registered[pattern] && !slices.ContainsFunc(demoOnly, func(p string) bool { return strings.Contains(pattern, " "+p) }) {
				t.Errorf("wantOwners lists %s, which the router does not register", pattern)
			}
		}
		tokens := map[access.Role]string{}
		for _, r := range access.Roles() {
			tok, err := e.App.CreateToken(ctx, "test "+string(r), r)
			if err != nil {
				t.Fatal(err)
			}
			tokens[r] = tok
		}
		send := func(method, path, header, value string) (int, string) {
			req := httptest.NewRequest(method, path, nil)
			if value != "" {
				if header == "Cookie" {
					req.AddCookie(&http.Cookie{Name: routertest.CookieName, Value: value})
				} else {
					req.Header.Set(header, value)
				}
			}
			rec := httptest.NewRecorder()
			e.Handler.ServeHTTP(rec, req)
			body, _ := io.ReadAll(rec.Result().Body)
			return rec.Code, rec.Header().Get("Location") + " " + rec.Header().Get("Content-Type") + " " + string(body[:min(len(body), 200)])
		}

		for _, rt := range e.Routes.Token {
			method, path := splitPattern(rt.Pattern)
			want := expected(t, rt)
			if want.IsPublic() {
				if code, _ := send(method, path, "", ""); code == 401 || code == 403 || code == 404 {
					t.Errorf("public route %s answered %d without a token", rt.Pattern, code)
				}
				continue
			}
			if len(want.Roles()) == 0 {
				t.Errorf("route %s has no owner", rt.Pattern)
			}
			if code, _ := send(method, path, "", ""); code != http.StatusUnauthorized {
				t.Errorf("%s without a token: %d, want 401", rt.Pattern, code)
			}
			for _, r := range access.Roles() {
				code, _ := send(method, path, "Authorization", "Bearer "+tokens[r])
				if want.Allows(r) && (code == 401 || code == 403) {
					t.Errorf("%s refused its owner %s: %d", rt.Pattern, r, code)
				}
				if !want.Allows(r) && code != http.StatusForbidden {
					t.Errorf("%s with role %s: %d, want 403", rt.Pattern, r, code)
				}
			}
		}

		sessions := func() map[access.Role]string {
			m := map[access.Role]string{access.Citizen: e.Citizen(t, "48m", true).Token}
			for _, r := range access.Roles() {
				if r != access.Citizen {
					m[r] = e.Staff(t, r).Token
				}
			}
			return m
		}
		cookies := sessions()
		for _, rt := range e.Routes.Session {
			method, path := splitPattern(rt.Pattern)
			want := expected(t, rt)
			if want.IsPublic() {
				code, _ := send(method, path, "", "")
				if code == 401 || code == 403 || (code == 404 && rt.Pattern != "GET /" && !strings.Contains(rt.Pattern, "{id}") && !strings.Contains(rt.Pattern, "{token}")) {
					t.Errorf("public page %s answered %d to an anonymous visitor", rt.Pattern, code)
				}
				continue
			}
			if len(want.Roles()) == 0 {
				t.Errorf("route %s has no owner", rt.Pattern)
			}
			// A person's own space belongs to citizens only: no agent or
			// partner reads it through the portal.
			if (strings.HasPrefix(path, "/mon-espace") || strings.HasPrefix(path, "/api/v1/me/")) &&
				want.String() != string(access.Citizen) {
				t.Errorf("%s is owned by %s, want citizen only", rt.Pattern, want)
			}
			code, got := send(method, path, "", "")
			switch {
			case strings.HasPrefix(path, "/api/"):
				if code != 401 || !strings.Contains(got, "application/json") {
					t.Errorf("%s anonymous: %d %q, want a JSON 401", rt.Pattern, code, got)
				}
			case method == http.MethodGet:
				if code != http.StatusSeeOther || !strings.HasPrefix(got, "/connexion?retour=") {
					t.Errorf("%s anonymous: %d %q, want 303 to the sign-in page", rt.Pattern, code, got)
				}
			default:
				// A form posted without a session (expired, signed out)
				// goes to the sign-in page, the page's form of a 401.
				if code != http.StatusSeeOther || !strings.HasPrefix(got, "/connexion ") {
					t.Errorf("%s anonymous: %d %q, want 303 to the sign-in page", rt.Pattern, code, got)
				}
			}
			if rt.Pattern == "POST /deconnexion" {
				cookies = sessions() // each role signs out below
			}
			for _, r := range access.Roles() {
				code, got := send(method, path, "Cookie", cookies[r])
				if want.Allows(r) && (code == 401 || code == 403) {
					t.Errorf("%s refused its owner %s: %d %q", rt.Pattern, r, code, got)
				}
				if !want.Allows(r) && code != http.StatusForbidden {
					t.Errorf("%s with role %s: %d, want 403", rt.Pattern, r, code)
				}
			}
			if rt.Pattern == "POST /deconnexion" {
				cookies = sessions()
			}
		}
	})
}

// expected returns the policy wantOwners gives pattern, or fails the test
// when the table has no line for it.
func expected(t *testing.T, rt access.Route) access.Policy {
	t.Helper()
	v, ok := wantOwners[rt.Pattern]
	if !ok {
		t.Errorf("route %s (owned by %s in the code) has no line in wantOwners: add it, after checking that owner is right", rt.Pattern, rt.Policy)
		return rt.Policy
	}
	want := access.Public()
	if v != public {
		var roles []access.Role
		for _, f := range strings.Fields(v) {
			r, err := access.ParseRole(f)
			if err != nil {
				t.Fatalf("wantOwners[%q]: %v", rt.Pattern, err)
			}
			roles = append(roles, r)
		}
		want = access.Allow(roles...)
	}
	got := rt.Policy.Roles()
	slices.Sort(got)
	wantRoles := want.Roles()
	slices.Sort(wantRoles)
	if rt.Policy.IsPublic() != want.IsPublic() || !slices.Equal(got, wantRoles) {
		t.Errorf("%s is owned by %s in the code, by %s in wantOwners", rt.Pattern, rt.Policy, want)
	}
	return want
}

// splitPattern turns a mux pattern into a method and a concrete path.
func splitPattern(pattern string) (string, string) {
	method, path, _ := strings.Cut(pattern, " ")
	path = strings.NewReplacer("{neph}", "230334100123", "{$}", "", "{id}", "1", "{token}", "jeton-inconnu", "{slug}", "neph", "{point}", "1", "{kind}", "aide-permis", "{closure}", "1").Replace(path)
	if path == "/fc-demo/" || path == "/pc-demo/" { // the demo identity providers
		path += ".well-known/openid-configuration"
	}
	if strings.HasSuffix(path, "/static/") {
		path += "site.css"
	}
	return method, path
}
