package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"permis/internal/apperr"
	"permis/internal/server"
)

// LoginPath is where Handle sends an anonymous visitor of a page that needs
// a signed-in person, with the page to come back to in RetourParam.
const (
	LoginPath   = "/connexion"
	RetourParam = "retour"
)

// Handle adapts f to an http.Handler for HTML pages, like server.Handle for
// JSON: when f returns an error, the visitor gets a French error page with
// the status of the error's code (see Error), and the cause goes to the log
// with the request id, never to the page. If f had already started its
// response, the error is only logged.
func (r *Renderer) Handle(f server.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		sw := &startWatcher{ResponseWriter: w}
		err := f(sw, req)
		if server.RetryRead(req, err, sw.started) {
			err = f(sw, req)
		}
		if err == nil {
			return
		}
		if sw.started {
			r.logger.LogAttrs(req.Context(), slog.LevelError, "erreur après le début de la réponse",
				slog.String("request_id", server.RequestID(req.Context())),
				slog.String("route", req.Pattern),
				slog.Any("error", err))
			return
		}
		r.Error(w, req, err)
	})
}

// Error answers err as a page. An Unauthenticated error redirects (303) to
// LoginPath, with the current page in RetourParam for a GET; every other
// code renders the error page with its status and French text: the
// error's own message for client errors (404, 403, 409, 422, 429, 503),
// a generic message and the request id for internal errors.
func (r *Renderer) Error(w http.ResponseWriter, req *http.Request, err error) {
	e := apperr.As(err)
	status := apperr.Status(e.Code)
	level := slog.LevelDebug
	if status >= 500 {
		level = slog.LevelError
	}
	if e.Cause != nil || status >= 500 {
		r.logger.LogAttrs(req.Context(), level, "erreur de traitement",
			slog.String("request_id", server.RequestID(req.Context())),
			slog.String("route", req.Pattern),
			slog.String("code", string(e.Code)),
			slog.Any("error", err))
	}
	if e.Code == apperr.Unauthenticated {
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, req, loginURL(req), http.StatusSeeOther)
		return
	}
	server.SetRetryAfter(w, e)
	page := errorPageFor(e, status)
	if rerr := r.Render(w, req, status, "erreur.html", page); rerr != nil {
		r.logger.LogAttrs(req.Context(), slog.LevelError, "la page d'erreur n'a pas pu être produite",
			slog.String("request_id", server.RequestID(req.Context())),
			slog.Any("error", rerr))
		http.Error(w, "Une erreur interne est survenue. Veuillez réessayer plus tard.", http.StatusInternalServerError)
	}
}

// errorPage is the data of erreur.html.
type errorPage struct {
	Page
	Status  int
	Heading string
	Message string
	Fields  []FieldError
	// Internal: show the request id to quote to the helpdesk.
	Internal bool
}

// errorPageFor chooses the heading and the text of the error page.
func errorPageFor(e *apperr.Error, status int) *errorPage {
	p := &errorPage{Status: status, Message: e.Message}
	switch e.Code {
	case apperr.NotFound:
		p.Heading = "Page introuvable"
		p.Message = "La page que vous cherchez n'existe pas ou n'existe plus. Si vous avez saisi l'adresse, vérifiez-la."
	case apperr.Forbidden:
		p.Heading = "Accès refusé"
	case apperr.Invalid:
		p.Heading = "Demande incorrecte"
		p.Fields = FieldErrors(e.Fields)
	case apperr.Conflict:
		p.Heading = "Action impossible"
	case apperr.TooMany:
		p.Heading = "Trop de tentatives"
	case apperr.Unavailable:
		p.Heading = "Service momentanément indisponible"
	default:
		p.Heading = "Une erreur est survenue"
		p.Message = "Le service a rencontré un problème. Veuillez réessayer dans quelques minutes."
		p.Internal = true
	}
	p.Title = p.Heading
	return p
}

// loginURL is LoginPath, with the current path and query as the page to
// return to for a GET or HEAD (a form's POST cannot be replayed).
func loginURL(req *http.Request) string {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return LoginPath
	}
	back := req.URL.EscapedPath()
	if req.URL.RawQuery != "" {
		back += "?" + req.URL.RawQuery
	}
	if !LocalPath(back) {
		return LoginPath
	}
	return LoginPath + "?" + url.Values{RetourParam: {back}}.Encode()
}

// ReturnPath is the one check of every "page to come back to" (the
// sign-in's ?retour=, the identity provider's return cookie): s with its
// control characters removed — browsers drop tabs and line breaks inside
// URLs, so "/\t/evil.example" is "//evil.example" to them — when what
// remains is a path of this site: no scheme, no host, no user, starting
// with one slash, not "//" nor "/\\" (browsers read a backslash as a
// slash). Anything else gives "": the caller then uses its default page.
func ReturnPath(s string) string {
	s = strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) {
			return -1
		}
		return c
	}, s)
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsRune(s, '\\') {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return s
}

// LocalPath reports whether s is, as it is, a safe page to come back to
// (see ReturnPath).
func LocalPath(s string) bool { return s != "" && ReturnPath(s) == s }

// startWatcher remembers whether the handler started its response.
type startWatcher struct {
	http.ResponseWriter
	started bool
}

func (s *startWatcher) WriteHeader(code int) {
	if code >= 200 {
		s.started = true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *startWatcher) Write(b []byte) (int, error) {
	s.started = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *startWatcher) Unwrap() http.ResponseWriter { return s.ResponseWriter }
