package server

import (
	"log/slog"
	"net/http"

	"permis/internal/access"
)

// Routes registers an audience's routes on a ServeMux, each with its access
// policy, enforced by the audience's guard and recorded so that tests can
// list every route with its owners. An audience's routes.go reads:
//
//	rs := server.NewRoutes(mux, guard, logger)
//	rs.HandleFunc("GET /v1/dossiers/{id}", access.Allow(access.Agent, access.Helpdesk), h.dossier)
type Routes struct {
	mux    *http.ServeMux
	guard  Guard
	logger *slog.Logger
	table  access.Table
}

// NewRoutes returns a route registrar over mux.
func NewRoutes(mux *http.ServeMux, guard Guard, logger *slog.Logger) *Routes {
	return &Routes{mux: mux, guard: guard, logger: logger}
}

// Handle registers h for pattern behind the guard for policy p.
func (rs *Routes) Handle(pattern string, p access.Policy, h http.Handler) {
	rs.table.Add(pattern, p)
	rs.mux.Handle(pattern, rs.guard(p, h))
}

// HandleFunc registers an error-returning handler (see Handle).
func (rs *Routes) HandleFunc(pattern string, p access.Policy, f HandlerFunc) {
	rs.Handle(pattern, p, Handle(rs.logger, f))
}

// List returns every registered route with its policy.
func (rs *Routes) List() []access.Route { return rs.table.Routes() }

// Check reports routes without owner or with an unknown role.
func (rs *Routes) Check() error { return rs.table.Check() }
