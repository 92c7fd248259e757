// Package router assembles the whole HTTP surface of `permis serve`: every
// audience's routes on one mux (health, metrics, the agents' JSON API, the
// public pages), wrapped in the global middleware chain of package server.
package router

import (
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"permis/internal/api"
	"permis/internal/app"
	"permis/internal/server"
	"permis/internal/server/metrics"
	"permis/internal/store"
	"permis/internal/web"
)

// New returns the handler of the service over a store and its application.
func New(s *store.Store, a *app.App, logger *slog.Logger) (http.Handler, error) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", server.Healthz())
	mux.Handle("GET /readyz", server.Readyz(s.Ready, logger))
	mux.Handle("GET /metrics", metrics.Handler(reg))
	api.Register(mux, a, logger)
	web.Register(mux, logger)
	return server.Chain(mux, server.Options{Logger: logger, Metrics: m}), nil
}
