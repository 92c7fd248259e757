// Package router assembles the whole HTTP surface of `permis serve`: every
// audience's routes on one mux (health, metrics, the JSON API, the citizen
// portal and the shell's public pages), wrapped in the global middleware
// chain of package server.
package router

import (
	"log/slog"
	"net/http"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"permis/internal/access"
	"permis/internal/api"
	"permis/internal/app"
	"permis/internal/portal"
	"permis/internal/server"
	"permis/internal/server/metrics"
	"permis/internal/store"
	"permis/internal/web"
)

// Options are what serve adds to the defaults.
type Options struct {
	// Portal is the citizen portal; nil builds one with local accounts
	// only and the automatic theme.
	Portal *portal.Portal
	// Mounts are public handlers by ServeMux pattern, such as the demo
	// identity provider on "GET /fc-demo/".
	Mounts map[string]http.Handler
}

// Routes lists every route with the roles that own it, by the way callers
// authenticate: API tokens (Authorization: Bearer) or the portal's session
// cookie. Tests walk both to check that each route refuses everyone else.
type Routes struct {
	Token   []access.Route
	Session []access.Route
}

// All returns both lists.
func (rs Routes) All() []access.Route { return slices.Concat(rs.Token, rs.Session) }

// New returns the handler of the service over a store and its application.
func New(s *store.Store, a *app.App, logger *slog.Logger, opts Options) (http.Handler, error) {
	h, _, err := NewWithRoutes(s, a, logger, opts)
	return h, err
}

// NewWithRoutes is New, and the list of every route with its owners.
func NewWithRoutes(s *store.Store, a *app.App, logger *slog.Logger, opts Options) (http.Handler, Routes, error) {
	var rs Routes
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		return nil, rs, err
	}
	p := opts.Portal
	if p == nil {
		if p, err = portal.New(a, portal.Options{Store: s, Logger: logger}); err != nil {
			return nil, rs, err
		}
	}
	mux := http.NewServeMux()
	public := func(pattern string, h http.Handler) {
		mux.Handle(pattern, h)
		rs.Token = append(rs.Token, access.Route{Pattern: pattern, Policy: access.Public()})
	}
	public("GET /healthz", server.Healthz())
	public("GET /readyz", server.Readyz(s.Ready, logger))
	public("GET /metrics", metrics.Handler(reg))
	for pattern, h := range opts.Mounts {
		public(pattern, h)
	}
	rs.Token = append(rs.Token, api.Register(mux, a, logger).List()...)
	rs.Session = p.Register(mux)
	// The shell's pages (home, help, legal pages, static files, the 404
	// page) read the session too, so that the header shows who is signed in.
	shell := http.NewServeMux()
	for _, pattern := range web.Register(shell, p.Renderer()) {
		if pattern == "GET /static/" {
			mux.Handle(pattern, shell) // no session read for a stylesheet
		} else {
			mux.Handle(pattern, p.Guard(access.Public(), shell))
		}
		rs.Session = append(rs.Session, access.Route{Pattern: pattern, Policy: access.Public()})
	}
	return server.Chain(mux, server.Options{Logger: logger, Metrics: m}), rs, nil
}
