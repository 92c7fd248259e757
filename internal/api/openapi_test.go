package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// The OpenAPI document and the routes must describe the same operations,
// owned by the same roles.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Roles []string `json:"x-roles"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	documented := map[string][]string{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			roles := slices.Clone(op.Roles)
			slices.Sort(roles)
			documented[strings.ToUpper(method)+" "+path] = roles
		}
	}
	s, err := store.Open(context.Background(), storetest.SQLiteDSN(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := app.New(app.Config{Store: s})
	defer a.Close()
	rs := Register(http.NewServeMux(), a, slog.New(slog.DiscardHandler))
	routed := map[string][]string{}
	for _, r := range rs.List() {
		if r.Pattern == "GET /api/v1/openapi.json" {
			continue // the document itself
		}
		var roles []string
		for _, role := range r.Policy.Roles() {
			roles = append(roles, string(role))
		}
		slices.Sort(roles)
		routed[r.Pattern] = roles
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
