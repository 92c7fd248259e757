// Package router assembles the whole HTTP surface of `permis serve`: every
// audience's routes on one mux (health, metrics, the JSON API, the citizen
// portal and the shell's public pages), wrapped in the global middleware
// chain of package server.
package router

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"permis/internal/access"
	"permis/internal/api"
	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/backoffice"
	"permis/internal/portal"
	"permis/internal/server"
	"permis/internal/server/metrics"
	"permis/internal/store"
	"permis/internal/web"
)

// Options are what serve adds to the defaults.
type Options struct {
	// Portal configures the citizen portal (identity provider, cookies,
	// theme in Portal.Web); its zero value is local accounts only and the
	// automatic theme. Store and Logger are filled in.
	Portal portal.Options
	// Mounts are public handlers by ServeMux pattern, such as the demo
	// identity provider on "GET /fc-demo/".
	Mounts map[string]http.Handler
	// Metrics, when set, receives the Prometheus handler, to serve on a
	// listener of its own (`permis serve --metrics-addr`, loopback by
	// default): request counts per route are no business of the public.
	Metrics func(http.Handler)
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
	// One renderer for every audience's pages, with the notice of any
	// open incident on the procedure a page belongs to.
	po := opts.Portal
	po.Store, po.Logger = s, logger
	wo := po.Web
	wo.Logger = logger
	wo.HelpTopics = portal.HelpTopics()
	// The site map lists the routes registered below (read at each visit
	// of /plan-du-site, once they all are).
	wo.SiteMap = func(u *web.User) []web.SiteSection { return siteMap(rs.Session, wo.HelpTopics, u) }
	wo.Banner = func(r *http.Request) []web.Notice {
		var out []web.Notice
		for _, in := range a.IncidentsOn(r.Context(), r.URL.Path) {
			out = append(out, web.Notice{Kind: web.NoticeWarning, Title: in.Title, Text: in.Message})
		}
		return out
	}
	if po.Renderer, err = web.NewRendererSources(wo, portal.Templates, backoffice.Templates); err != nil {
		return nil, rs, err
	}
	// One fines capability (issue 12) for the citizens' and the OMP's
	// pages, with the deployment's figures when serve was given them.
	if po.Fines == nil {
		po.Fines = fines.New(a.Kernel(), fines.DefaultConfig())
	}
	p, err := portal.New(a, po)
	if err != nil {
		return nil, rs, err
	}
	bo := backoffice.New(a, po.Fines, po.Renderer, p.Guard, logger)
	mux := http.NewServeMux()
	public := func(pattern string, h http.Handler) {
		mux.Handle(pattern, h)
		rs.Token = append(rs.Token, access.Route{Pattern: pattern, Policy: access.Public()})
	}
	public("GET /healthz", server.Healthz())
	public("GET /readyz", server.Readyz(s.Ready, logger))
	if opts.Metrics != nil {
		opts.Metrics(metrics.Handler(reg))
	}
	for pattern, h := range opts.Mounts {
		// A mount that draws pages (the test payment provider) gets the
		// site's renderer: its pages have the same layout as the others.
		if u, ok := h.(interface{ UseRenderer(*web.Renderer) }); ok {
			u.UseRenderer(po.Renderer)
		}
		public(pattern, h)
	}
	rs.Token = append(rs.Token, api.Register(mux, a, logger).List()...)
	rs.Session = p.Register(mux)
	rs.Session = append(rs.Session, bo.Register(mux)...)
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
	return server.Chain(mux, server.Options{Logger: logger, Metrics: m,
		HTTPS: strings.HasPrefix(a.PublicURL(), "https://")}), rs, nil
}
