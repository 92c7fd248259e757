// Package router assembles the whole HTTP surface of `permis serve`: every
// audience's routes on one mux (health, metrics, the agents' JSON API, the
// public pages), wrapped in the global middleware chain of package server.
package router

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"permis/internal/access"
	"permis/internal/api"
	"permis/internal/app"
	"permis/internal/server"
	"permis/internal/server/metrics"
	"permis/internal/store"
	"permis/internal/web"
)

// New returns the handler of the service over a store and its application.
func New(s *store.Store, a *app.App, logger *slog.Logger) (http.Handler, error) {
	h, _, err := NewWithRoutes(s, a, logger)
	return h, err
}

// NewWithRoutes is New, and the list of every route with the roles that own
// it, which the tests walk to check that each route refuses everyone else.
func NewWithRoutes(s *store.Store, a *app.App, logger *slog.Logger) (http.Handler, []access.Route, error) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	var routes []access.Route
	public := func(pattern string, h http.Handler) {
		mux.Handle(pattern, h)
		routes = append(routes, access.Route{Pattern: pattern, Policy: access.Public()})
	}
	public("GET /healthz", server.Healthz())
	public("GET /readyz", server.Readyz(s.Ready, logger))
	public("GET /metrics", metrics.Handler(reg))
	pages, err := web.NewRenderer(web.Options{Theme: web.ThemeAuto, Logger: logger}, nil)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range web.Register(mux, pages) {
		routes = append(routes, access.Route{Pattern: p, Policy: access.Public()})
	}
	routes = append(routes, api.Register(mux, a, logger).List()...)
	return server.Chain(mux, server.Options{Logger: logger, Metrics: m}), routes, nil
}
