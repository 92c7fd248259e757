// Package backoffice is the agents' web pages: the support staff's queue of
// fault reports and appeals, the incidents they declare, and (next) the
// instruction of licence requests and the help points' agendas. Pages are
// server-rendered in the shell of package web, behind the portal's session
// guard: every route needs a signed-in account of a staff role, and agents
// give their second factor first. Every route and its owners are in
// routes.go.
package backoffice

import (
	"embed"
	"log/slog"
	"net/http"

	"permis/internal/access"
	"permis/internal/booking"
	"permis/internal/server"
	"permis/internal/web"

	"permis/internal/app"
	"permis/internal/app/exams"
	"permis/internal/app/fines"
	medicalapp "permis/internal/app/medical"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the back office's page files, for the shared renderer.
var Templates = web.Source{FS: templates, Patterns: []string{"templates/*.html"}}

// Backoffice holds the pages' dependencies.
type Backoffice struct {
	app   *app.App
	appts *app.Appointments
	fines *fines.Service
	exams *exams.Service
	// medical is the medical-fitness capability (the préfet's decisions).
	medical *medicalapp.Service
	r       *web.Renderer
	guard   server.Guard
	log     *slog.Logger
}

// New returns the back office over the application, rendering with r (which
// must include Templates) behind guard (the portal's session guard). fs is
// the fines capability (the OMP's pages); nil builds one with
// fines.DefaultConfig.
func New(a *app.App, fs *fines.Service, r *web.Renderer, guard server.Guard, logger *slog.Logger) *Backoffice {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if fs == nil {
		fs = fines.New(a.Kernel(), fines.DefaultConfig())
	}
	return &Backoffice{app: a, appts: a.Appointments(booking.Config{}),
		fines: fs, exams: exams.New(a.Kernel(), a.Kernel().Exams),
		medical: medicalapp.New(a), r: r, guard: guard, log: logger}
}

// request builds the application request of an HTTP request.
func request(r *http.Request) app.Request {
	actor, _ := access.FromContext(r.Context())
	return app.Request{Actor: actor, RequestID: server.RequestID(r.Context())}
}
