package api_test

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/router"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// httpMethods are the keys of an OpenAPI path item that are operations.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// The OpenAPI document and the routes of the whole service under /api/
// (the API's own, and the portal's JSON routes behind the session cookie)
// describe the same operations, owned by the same roles. x-roles is
// required on every operation; [] means public.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := mustOpenStore(t)
	a := app.New(app.Config{Store: s})
	t.Cleanup(func() { a.Close() })
	h, routes, err := router.NewWithRoutes(s, a, slog.New(slog.DiscardHandler), router.Options{})
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	doc := mustGetOpenAPI(t, h)

	documented := map[string][]string{}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			at := strings.ToUpper(method) + " " + path
			raw, ok := op.(map[string]any)["x-roles"].([]any)
			if !ok {
				t.Errorf("openapi.json: %s has no x-roles list", at)
				continue
			}
			roles := []string{}
			for _, r := range raw {
				roles = append(roles, r.(string))
			}
			slices.Sort(roles)
			documented[at] = roles
		}
	}

	routed := map[string][]string{}
	for _, r := range routes.All() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if path == "" {
			method, path = "", method
		}
		if !strings.HasPrefix(path, "/api/") || r.Pattern == "GET /api/v1/openapi.json" {
			continue // not the API, or the document itself
		}
		if method == "" {
			t.Errorf("route %q under /api/ answers every method: give it one", r.Pattern)
			continue
		}
		if _, dup := routed[r.Pattern]; dup {
			t.Errorf("route %q is listed twice", r.Pattern)
		}
		roles := []string{}
		for _, role := range r.Policy.Roles() {
			roles = append(roles, string(role))
		}
		slices.Sort(roles)
		routed[r.Pattern] = roles
	}
	if len(routed) < 2 {
		t.Fatalf("only %d routes under /api/: %v", len(routed), routed)
	}

	for op, roles := range routed {
		want, ok := documented[op]
		if !ok {
			t.Errorf("route %s is not in openapi.json", op)
			continue
		}
		if !slices.Equal(want, roles) {
			t.Errorf("%s: openapi.json says roles %v, the route allows %v", op, want, roles)
		}
	}
	for op := range documented {
		if _, ok := routed[op]; !ok {
			t.Errorf("openapi.json documents %s, which no route serves", op)
		}
	}
}

// Every reference of the document resolves, every example follows its
// schema, and public operations say so with an empty security list.
func TestOpenAPIDocument(t *testing.T) {
	_, h, _ := newAPIWith(t, app.Config{Store: mustOpenStore(t)})
	doc := mustGetOpenAPI(t, h)
	for _, e := range doc.brokenRefs() {
		t.Errorf("openapi.json: %s", e)
	}
	exs := doc.examples(t)
	if len(exs) < 5 {
		t.Fatalf("openapi.json has %d examples, want at least 5", len(exs))
	}
	for at, ex := range exs {
		for _, p := range doc.validate(ex[0], ex[1], "$") {
			t.Errorf("example %s: %s", at, p)
		}
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			op, _ := op.(map[string]any)
			roles, _ := op["x-roles"].([]any)
			security, hasSecurity := op["security"].([]any)
			public := roles != nil && len(roles) == 0
			if public && (!hasSecurity || len(security) != 0) {
				t.Errorf("%s %s is public but does not set \"security\": []", method, path)
			}
		}
	}
}

// mustOpenStore opens a fresh SQLite store.
func mustOpenStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), storetest.SQLiteDSN(t), store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The agents' answers follow their documented schemas, no undocumented
// field included (the verification's answers are checked in verify_test.go).
func TestAnswersFollowOpenAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLiteDSN(t))
	agent, _ := mustToken(t, f, access.Agent)
	doc := mustGetOpenAPI(t, f.h)
	for path, schema := range map[string]string{
		"/api/v1/licences/" + testNEPH:             "Licence",
		"/api/v1/licences/" + testNEPH + "/points": "Points",
		"/api/v1/licences/999999999999":            "Error",
	} {
		rec := get(t, f.h, path, agent, "")
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		for _, p := range doc.validate(map[string]any{"$ref": "#/components/schemas/" + schema}, v, "$") {
			t.Errorf("%s: %s", path, p)
		}
	}
}
