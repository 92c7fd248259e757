package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"permis/internal/access"
	"permis/internal/server"
)

type noTokens struct{}

func (noTokens) AuthenticateToken(context.Context, string) (access.Actor, error) {
	return access.Actor{}, nil
}

// An audience's routes.go: every route with its owners, read at a glance;
// the serve command wraps the mux in the global chain once.
func ExampleRoutes() {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux := http.NewServeMux()
	rs := server.NewRoutes(mux, server.BearerGuard(noTokens{}, logger), logger)
	rs.Handle("GET /healthz", access.Public(), server.Healthz())
	rs.Handle("GET /readyz", access.Public(), server.Readyz(func(context.Context) error { return nil }, logger))
	rs.HandleFunc("GET /v1/dossiers/{id}", access.Allow(access.Agent, access.Helpdesk),
		func(w http.ResponseWriter, r *http.Request) error {
			return server.WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
		})
	_ = server.Chain(mux, server.Options{Logger: logger}) // handed to server.Serve

	for _, r := range rs.List() {
		fmt.Printf("%-22s %s\n", r.Pattern, r.Policy)
	}
	// Output:
	// GET /healthz           public
	// GET /readyz            public
	// GET /v1/dossiers/{id}  agent,helpdesk
}
