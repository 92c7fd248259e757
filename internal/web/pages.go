package web

import (
	"io/fs"
	"net/http"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

// Register adds the shell's own public pages to mux and returns their
// patterns: the static files (/static/, the DSFR under /static/dsfr/ when
// the theme uses it), the home page, the accessibility statement, the legal
// notice, the personal-data page, the site map, the help page, the 404 page
// for every GET no other route matches, and /dev/composants with
// Options.DevPages.
func Register(mux *http.ServeMux, r *Renderer) []string {
	routes := []struct {
		pattern string
		h       http.Handler
	}{
		{"GET /static/", http.HandlerFunc(r.serveStatic)},
		// Browsers ask for /favicon.ico on pages that name no icon (the
		// demo identity provider's, a PDF opened in a tab).
		{"GET /favicon.ico", http.HandlerFunc(r.serveFavicon)},
		{"GET /{$}", r.simple("accueil.html")},
		{"GET /accessibilite", r.accessibility()},
		{"GET /mentions-legales", r.simple("mentions-legales.html")},
		{"GET /donnees-personnelles", r.simple("donnees-personnelles.html")},
		{"GET /plan-du-site", r.Handle(r.siteMap)},
		{"GET /aide", r.Handle(func(w http.ResponseWriter, req *http.Request) error {
			return r.Render(w, req, http.StatusOK, "aide.html", &helpPage{Topics: r.helpTopics})
		})},
		// The least specific GET pattern: any path no route claims.
		{"GET /", r.Handle(func(w http.ResponseWriter, req *http.Request) error {
			return apperr.New(apperr.NotFound, "Page introuvable.")
		})},
	}
	if r.dev {
		routes = append(routes, struct {
			pattern string
			h       http.Handler
		}{"GET /dev/composants", r.Handle(r.components)})
	}
	patterns := make([]string, len(routes))
	for i, rt := range routes {
		mux.Handle(rt.pattern, rt.h)
		patterns[i] = rt.pattern
	}
	return patterns
}

// simple serves a page that needs no data of its own.
func (r *Renderer) simple(name string) http.Handler {
	return r.Handle(func(w http.ResponseWriter, req *http.Request) error {
		return r.Render(w, req, http.StatusOK, name, &Page{})
	})
}

// serveStatic serves the embedded static files. URLs made by the template
// func "static" carry the files' version and may be cached for a year;
// others for an hour. Folders are not listed.
func (r *Renderer) serveStatic(w http.ResponseWriter, req *http.Request) {
	name := strings.TrimPrefix(req.URL.Path, "/static/")
	fsys := r.static
	if rest, ok := strings.CutPrefix(name, "dsfr/"); ok {
		fsys, name = r.dsfr, rest
	}
	if fsys == nil || !fs.ValidPath(name) || name == "." {
		r.Error(w, req, apperr.New(apperr.NotFound, "Fichier introuvable."))
		return
	}
	if fi, err := fs.Stat(fsys, name); err != nil || fi.IsDir() {
		r.Error(w, req, apperr.New(apperr.NotFound, "Fichier introuvable."))
		return
	}
	h := w.Header()
	if req.URL.Query().Get("v") == r.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	h.Set("ETag", `"`+r.version+`"`)
	http.ServeFileFS(w, req, fsys, name)
}

// helpPage is the help page: the contacts, and the help centre's topics.
type helpPage struct {
	Page
	Topics []Link
}

// serveFavicon answers /favicon.ico with the theme's icon.
func (r *Renderer) serveFavicon(w http.ResponseWriter, req *http.Request) {
	if r.dsfr != nil {
		req.URL.Path = "/static/dsfr/favicon/favicon.ico"
	} else {
		req.URL.Path = "/static/favicon.svg"
	}
	r.serveStatic(w, req)
}

// componentsPage is the data of the developers' page of components.
type componentsPage struct {
	Page
	NEPH, Email string
	Rows        []componentRow
	Updated     time.Time
}

type componentRow struct {
	Date   date.Date
	Reason string
	Points int
}

// components shows every shared component, with the form in error when
// the query has ?erreurs=1.
func (r *Renderer) components(w http.ResponseWriter, req *http.Request) error {
	p := &componentsPage{
		NEPH:    req.URL.Query().Get("neph"),
		Email:   req.URL.Query().Get("email"),
		Updated: time.Date(2026, time.March, 12, 13, 5, 0, 0, time.UTC),
		Rows: []componentRow{
			{date.Of(2025, time.June, 1), "Excès de vitesse inférieur à 20 km/h", -1},
			{date.Of(2026, time.March, 12), "Stage de sensibilisation", 4},
		},
	}
	p.Breadcrumb = []Link{{Href: "/", Text: "Accueil"}, {Text: "Composants"}}
	p.Steps = &Steps{Current: 2, Total: 3, Title: "Votre permis", NextTitle: "Vérification"}
	p.Banner = []Notice{{Kind: NoticeWarning, Title: "Maintenance prévue", Text: "Le service sera indisponible dimanche de 2 h à 4 h."}}
	p.Notices = []Notice{
		{Kind: NoticeSuccess, Title: "Relevé prêt", Text: "Votre relevé a été créé."},
		{Kind: NoticeInfo, Title: "Information"},
	}
	if req.URL.Query().Get("erreurs") == "1" {
		p.Errors = FieldErrors(map[string]string{
			"email": "Saisissez une adresse électronique au format nom@domaine.fr.",
			"neph":  "Le numéro de dossier compte 12 chiffres.",
		}, "neph", "email")
	}
	return r.Render(w, req, http.StatusOK, "composants.html", p)
}
