package router

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// Every route of the service has an owner: public routes answer without a
// token, and every other route refuses a request without a token (401) and
// every role its policy does not name (403).
func TestEveryRouteHasAnOwnerAndRefusesOthers(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, storetest.SQLiteDSN(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := app.New(app.Config{Store: s})
	defer a.Close()
	h, routes, err := NewWithRoutes(s, a, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[access.Role]string{}
	for _, r := range access.Roles() {
		tok, err := a.CreateToken(ctx, "test "+string(r), r)
		if err != nil {
			t.Fatal(err)
		}
		tokens[r] = tok
	}
	if len(routes) < 7 {
		t.Fatalf("only %d routes listed", len(routes))
	}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = strings.NewReplacer("{neph}", "230334100123", "{$}", "").Replace(path)
		if strings.HasSuffix(path, "/static/") {
			path += "site.css"
		}
		do := func(token string) int {
			req := httptest.NewRequest(method, path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		if rt.Policy.IsPublic() {
			if code := do(""); code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusNotFound {
				t.Errorf("public route %s answered %d without a token", rt.Pattern, code)
			}
			continue
		}
		if len(rt.Policy.Roles()) == 0 {
			t.Errorf("route %s has no owner", rt.Pattern)
		}
		if code := do(""); code != http.StatusUnauthorized {
			t.Errorf("%s without a token: %d, want 401", rt.Pattern, code)
		}
		for _, r := range access.Roles() {
			code := do(tokens[r])
			if rt.Policy.Allows(r) && (code == http.StatusUnauthorized || code == http.StatusForbidden) {
				t.Errorf("%s refused its owner %s: %d", rt.Pattern, r, code)
			}
			if !rt.Policy.Allows(r) && code != http.StatusForbidden {
				t.Errorf("%s with role %s: %d, want 403", rt.Pattern, r, code)
			}
		}
	}
}
