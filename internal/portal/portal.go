// Package portal is the citizens' web portal: sign-in (OpenID Connect or a
// local account), "my space" (licence, points, statements, check codes,
// consents, who consulted my file), the public check of a driving-rights
// code and the public verification of a 2D-Doc. Pages are server-rendered
// with the shell of package web and work without JavaScript. Every route
// and its owner are listed in routes.go.
package portal

import (
	"embed"
	"log/slog"
	"net/http"

	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/app/fines"
	medicalapp "permis/internal/app/medical"
	"permis/internal/booking"
	"permis/internal/oidc"
	"permis/internal/store"
	"permis/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the portal's page files, for a renderer shared with other
// audiences (web.NewRendererSources).
var Templates = web.Source{FS: templates, Patterns: []string{"templates/*.html"}}

// Options configure the portal.
type Options struct {
	// OIDC is the identity provider's client; nil hides the provider's
	// button (local accounts only).
	OIDC *oidc.Client
	// ProviderName is shown on the sign-in button.
	ProviderName string
	// ProConnect is the agents' identity provider's client; nil hides its
	// button (agents sign in with their password and TOTP code).
	ProConnect *oidc.Client
	// SecureCookies sets the Secure flag (and the __Host- prefix) on the
	// session cookie; true whenever the public URL is https.
	SecureCookies bool
	// DevPages serves the developer pages (the mail outbox).
	DevPages bool
	// Store is read by the developer pages only.
	Store  *store.Store
	Logger *slog.Logger
	Web    web.Options
	// Fines is the fines capability (issue 12); nil builds one over the
	// application with fines.DefaultConfig.
	Fines *fines.Service
	// Renderer, when set, is the shared renderer (it must include
	// Templates); otherwise New builds one from Web with the portal's
	// pages only.
	Renderer *web.Renderer
}

// Portal holds the portal's dependencies.
type Portal struct {
	app   *app.App
	appts *app.Appointments
	// medical is the medical-fitness capability (internal/app/medical).
	medical *medicalapp.Service
	// exams is the exams capability (internal/app/exams).
	exams *examsapp.Service
	// fines is the fines capability (internal/app/fines, issue 12).
	fines  *fines.Service
	r      *web.Renderer
	opts   Options
	log    *slog.Logger
	cookie string
}

// New parses the portal's templates (failing fast on a broken one).
func New(a *app.App, opts Options) (*Portal, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ProviderName == "" {
		opts.ProviderName = "FranceConnect"
	}
	r := opts.Renderer
	if r == nil {
		wo := opts.Web
		wo.Logger = opts.Logger
		var err error
		if r, err = web.NewRendererSources(wo, Templates); err != nil {
			return nil, err
		}
	}
	p := &Portal{app: a, appts: a.Appointments(booking.Config{}), medical: medicalapp.New(a),
		exams: examsapp.New(a.Kernel(), a.Kernel().Exams), fines: opts.Fines, r: r, opts: opts,
		log: opts.Logger, cookie: "permis_session"}
	if p.fines == nil {
		p.fines = fines.New(a.Kernel(), fines.DefaultConfig())
	}
	if opts.SecureCookies {
		p.cookie = "__Host-permis_session"
	}
	return p, nil
}

// Renderer is the portal's page renderer, for the shell's own pages.
func (p *Portal) Renderer() *web.Renderer { return p.r }

// Handler wraps a page handler in the HTML error adapter.
func (p *Portal) handle(f func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return p.r.Handle(f)
}
