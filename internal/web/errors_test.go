package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"permis/internal/apperr"
	"permis/internal/server"
)

func TestHandleAnswersErrorsWithPages(t *testing.T) {
	var log strings.Builder
	r, err := newRenderer(Options{Theme: ThemeNeutral, Logger: slog.New(slog.NewTextHandler(&log, nil))}, noDSFR(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		err    error
		status int
		want   []string
		not    []string
	}{
		{"not found", apperr.New(apperr.NotFound, "Permis inconnu."), 404, []string{"<h1>Page introuvable</h1>", "Erreur 404"}, nil},
		{"forbidden", apperr.New(apperr.Forbidden, "Votre rôle ne permet pas de voir ce dossier."), 403, []string{"<h1>Accès refusé</h1>", "Votre rôle ne permet pas de voir ce dossier."}, nil},
		{"invalid", apperr.Field("neph", "Le NEPH compte 12 chiffres."), 422, []string{"Demande incorrecte", "Le NEPH compte 12 chiffres."}, nil},
		{"too many", apperr.New(apperr.TooMany, "Réessayez dans une heure."), 429, []string{"Trop de tentatives", "Réessayez dans une heure."}, nil},
		{"internal", errors.New("pq: connection refused secret-detail"), 500, []string{"Une erreur est survenue", `<code class="request-id">REQ-ID-12345678</code>`}, []string{"secret-detail", "connection refused"}},
		{"wrapped internal", apperr.Wrap(apperr.Internal, "Échec interne.", errors.New("disk full secret-detail")), 500, []string{"REQ-ID-12345678"}, []string{"secret-detail"}},
	}
	for _, tt := range tests {
		log.Reset()
		h := server.AssignRequestID(r.Handle(func(w http.ResponseWriter, req *http.Request) error { return tt.err }))
		req := httptest.NewRequest(http.MethodGet, "/mon-espace", nil)
		req.Header.Set(server.RequestIDHeader, "REQ-ID-12345678")
		res, body := do(t, h, req)
		if res.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.status)
		}
		if !strings.Contains(body, `<html lang="fr">`) {
			t.Errorf("%s: not a page", tt.name)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %q", tt.name, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(body, w) {
				t.Errorf("%s: the page shows %q", tt.name, w)
			}
		}
		if tt.status >= 500 && (!strings.Contains(log.String(), "secret-detail") || !strings.Contains(log.String(), "REQ-ID-12345678")) {
			t.Errorf("%s: cause or request id missing from the log: %s", tt.name, log.String())
		}
	}
}

func TestUnauthenticatedRedirectsToSignIn(t *testing.T) {
	r := mustRenderer(t, ThemeNeutral, nil)
	h := r.Handle(func(w http.ResponseWriter, req *http.Request) error {
		return apperr.New(apperr.Unauthenticated, "Connectez-vous.")
	})
	tests := []struct{ method, target, want string }{
		{"GET", "/mon-espace", "/connexion?retour=%2Fmon-espace"},
		{"GET", "/mon-espace/releves?annee=2025&x=%C3%A9", "/connexion?retour=%2Fmon-espace%2Freleves%3Fannee%3D2025%26x%3D%25C3%25A9"},
		{"HEAD", "/mon-espace", "/connexion?retour=%2Fmon-espace"},
		{"POST", "/mon-espace/codes", "/connexion"},
		{"GET", "//evil.example/x", "/connexion"},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.target, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Errorf("%s %s: status %d, want 303", tt.method, tt.target, rec.Code)
		}
		if got := rec.Header().Get("Location"); got != tt.want {
			t.Errorf("%s %s: Location %q, want %q", tt.method, tt.target, got, tt.want)
		}
	}
}

func TestHandleAfterTheResponseStarted(t *testing.T) {
	r := mustRenderer(t, ThemeNeutral, nil)
	h := r.Handle(func(w http.ResponseWriter, req *http.Request) error {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("début"))
		return errors.New("trop tard")
	})
	res, body := get(t, h, "/x")
	if res.StatusCode != http.StatusOK || body != "début" {
		t.Errorf("status %d, body %q: the error page was appended", res.StatusCode, body)
	}
}

func TestLocalPath(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"/", true},
		{"/mon-espace", true},
		{"/mon-espace/releves?annee=2025", true},
		{"/a#b", true},
		{"", false},
		{"mon-espace", false},
		{"//evil.example", false},
		{"/x\r\nSet-Cookie: a=b", false},
		{"/x\t", false},
	}
	for _, tt := range tests {
		if got := LocalPath(tt.in); got != tt.want {
			t.Errorf("LocalPath(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// Known open-redirect bypasses (issue 10, finding 4; the OWASP and
// PortSwigger lists): each must give no page to come back to.
func TestReturnPathRefusesOpenRedirectBypasses(t *testing.T) {
	for _, in := range []string{
		"//evil.example", "//evil.example/x", "///evil.example", "////evil.example",
		"/\\evil.example", "\\evil.example", "\\/evil.example", "/\\/evil.example", "/x\\..\\\\evil.example",
		"/\t/evil.example", "/\t/127.0.0.1:18444/", "/\n/evil.example", "/\r/evil.example", "\t//evil.example",
		"/\x00/evil.example", "/\x7f/evil.example", "/\u0085/evil.example", " //evil.example", "\x01//evil.example",
		"https://evil.example/", "http:evil.example", "http:/evil.example", "HTTPS://evil.example",
		"javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
		"//user@evil.example", "evil.example", "@evil.example", "mon-espace", "",
	} {
		if got := ReturnPath(in); got != "" {
			t.Errorf("ReturnPath(%q) = %q, want \"\" (open redirect)", in, got)
		}
	}
	for in, want := range map[string]string{
		"/mon-espace":               "/mon-espace",
		"/mes-demarches/12?etape=2": "/mes-demarches/12?etape=2",
		"/mon-espace\t":             "/mon-espace",
		"/mon-espace/%2F%2Fevil.fr": "/mon-espace/%2F%2Fevil.fr",
		"/.//evil.example":          "/.//evil.example", // a path of this site: browsers resolve it here
	} {
		if got := ReturnPath(in); got != want {
			t.Errorf("ReturnPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnknownPathsGetThe404Page(t *testing.T) {
	h := shell(mustRenderer(t, ThemeDSFR, nil))
	for _, p := range []string{"/nulle-part", "/static/", "/static/absent.css", "/static/dsfr/", "/static/dsfr/icons"} {
		res, body := get(t, h, p)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page introuvable") {
			t.Errorf("%s: status %d, want the 404 page", p, res.StatusCode)
		}
	}
}
