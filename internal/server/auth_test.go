package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/apperr"
)

// fakeTokens authenticates tokens by the hash stored for them, like the
// real store does.
type fakeTokens struct {
	byHash  map[string]access.Actor
	revoked map[string]bool
	fail    error
}

func (f *fakeTokens) AuthenticateToken(_ context.Context, plaintext string) (access.Actor, error) {
	if f.fail != nil {
		return access.Actor{}, f.fail
	}
	h := access.HashToken(plaintext)
	a, ok := f.byHash[string(h)]
	if !ok || f.revoked[string(h)] {
		return access.Actor{}, apperr.New(apperr.NotFound, "jeton inconnu")
	}
	return a, nil
}

// issue creates a token for a role.
func (f *fakeTokens) issue(role access.Role) string {
	plain, hash, prefix := access.NewToken()
	f.byHash[string(hash)] = access.Actor{Kind: access.KindToken, ID: prefix, Name: "partenaire", Role: role}
	return plain
}

func testAPI(t *testing.T) (http.Handler, *Routes, *fakeTokens) {
	t.Helper()
	logger, _ := newTestLogger(t)
	tokens := &fakeTokens{byHash: map[string]access.Actor{}, revoked: map[string]bool{}}
	mux := http.NewServeMux()
	rs := NewRoutes(mux, BearerGuard(tokens, logger), logger)
	whoami := func(w http.ResponseWriter, r *http.Request) error {
		a, ok := Actor(r)
		if !ok {
			return WriteJSON(w, http.StatusOK, map[string]string{"role": ""})
		}
		return WriteJSON(w, http.StatusOK, map[string]string{"role": string(a.Role)})
	}
	rs.Handle("GET /healthz", access.Public(), Healthz())
	rs.HandleFunc("GET /v1/dossiers/{id}", access.Allow(access.Agent, access.Helpdesk), whoami)
	rs.HandleFunc("POST /v1/ephoto", access.Allow(access.Photographer), whoami)
	rs.HandleFunc("POST /v1/contestations/{id}/decision", access.Allow(access.Prosecutor), whoami)
	rs.HandleFunc("GET /v1/moi", access.Allow(access.Roles()...), whoami)
	return Chain(mux, Options{Logger: logger}), rs, tokens
}

func TestBearerGuard(t *testing.T) {
	h, _, tokens := testAPI(t)
	agent := tokens.issue(access.Agent)
	citizen := tokens.issue(access.Citizen)
	revoked := tokens.issue(access.Helpdesk)
	tokens.revoked[string(access.HashToken(revoked))] = true
	unknown, _, _ := access.NewToken()

	tests := []struct {
		name, auth string
		want       int
		wantCode   apperr.Code
		challenge  string
	}{
		{"no header", "", 401, apperr.Unauthenticated, `Bearer realm="permis"`},
		{"basic scheme", "Basic dXNlcjpwYXNz", 401, apperr.Unauthenticated, `Bearer realm="permis"`},
		{"malformed token", "Bearer abc", 401, apperr.Unauthenticated, `Bearer realm="permis", error="invalid_token"`},
		{"unknown token", "Bearer " + unknown, 401, apperr.Unauthenticated, `Bearer realm="permis", error="invalid_token"`},
		{"revoked token", "Bearer " + revoked, 401, apperr.Unauthenticated, `Bearer realm="permis", error="invalid_token"`},
		{"role not allowed", "Bearer " + citizen, 403, apperr.Forbidden, ""},
		{"allowed", "Bearer " + agent, 200, "", ""},
		{"scheme case-insensitive", "bearer " + agent, 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/v1/dossiers/7", nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			rec := serve(h, r)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if got := rec.Header().Get("WWW-Authenticate"); got != tt.challenge {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.challenge)
			}
			if tt.wantCode != "" {
				if b := decodeErrorBody(t, rec); b.Code != tt.wantCode || b.Message == "" {
					t.Errorf("body %+v", b)
				}
			} else if !strings.Contains(rec.Body.String(), `"role":"agent"`) {
				t.Errorf("actor not in context: %s", rec.Body)
			}
		})
	}
}

func TestBearerGuardLookupFailure(t *testing.T) {
	h, _, tokens := testAPI(t)
	agent := tokens.issue(access.Agent)
	tokens.fail = apperr.Wrap(apperr.Unavailable, "Base indisponible.", errors.New("dial tcp: refused"))
	r := httptest.NewRequest("GET", "/v1/dossiers/7", nil)
	r.Header.Set("Authorization", "Bearer "+agent)
	rec := serve(h, r)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d: a failing lookup is not the client's fault", rec.Code)
	}
}

// TestEveryRouteHasOwnerAndRefusesOthers is the check each audience's
// routes test repeats: list the routes, each has an owner, and every role
// outside the policy is refused.
func TestEveryRouteHasOwnerAndRefusesOthers(t *testing.T) {
	h, rs, tokens := testAPI(t)
	if err := rs.Check(); err != nil {
		t.Fatal(err)
	}
	tokenOf := map[access.Role]string{}
	for _, role := range access.Roles() {
		tokenOf[role] = tokens.issue(role)
	}
	for _, route := range rs.List() {
		method, path, _ := strings.Cut(route.Pattern, " ")
		path = strings.NewReplacer("{id}", "1").Replace(path)
		for _, role := range access.Roles() {
			r := httptest.NewRequest(method, path, nil)
			r.Header.Set("Authorization", "Bearer "+tokenOf[role])
			rec := serve(h, r)
			want := http.StatusForbidden
			if route.Policy.Allows(role) {
				want = http.StatusOK
			}
			if rec.Code != want {
				t.Errorf("%s as %s: status %d, want %d", route.Pattern, role, rec.Code, want)
			}
		}
		if !route.Policy.IsPublic() {
			rec := serve(h, httptest.NewRequest(method, path, nil))
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s anonymous: status %d, want 401", route.Pattern, rec.Code)
			}
		}
	}
}
