package web

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"permis/internal/access"
	"permis/internal/browsertest"
	"permis/internal/server"
)

// shellPages are the shell's pages, visited in a real browser.
var shellPages = []struct {
	path   string
	status int
}{
	{"/", 200},
	{"/accessibilite", 200},
	{"/mentions-legales", 200},
	{"/donnees-personnelles", 200},
	{"/plan-du-site", 200},
	{"/aide", 200},
	{"/dev/composants", 200},
	{"/dev/composants?erreurs=1", 200},
	{"/nulle-part", 404},
}

// serveShell serves the shell pages through the service's real middleware
// chain (security headers and Content-Security-Policy included), with the
// real embedded files; as is the actor put in each request, if any.
func serveShell(t *testing.T, theme string, as *access.Actor) *httptest.Server {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	r, err := NewRenderer(Options{Theme: theme, DevPages: true, Logger: logger}, nil)
	if err != nil {
		// Skip only when the DSFR files are really absent (no `make
		// assets`) and CI does not require them; any other error fails.
		_, statErr := fs.Stat(dsfrFiles, "dsfr/dist/dsfr.min.css")
		if theme == ThemeDSFR && errors.Is(statErr, fs.ErrNotExist) && os.Getenv("PERMIS_BROWSER_REQUIRED") != "1" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	Register(mux, r)
	var h http.Handler = mux
	if as != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			mux.ServeHTTP(w, req.WithContext(access.NewContext(req.Context(), *as)))
		})
	}
	ts := httptest.NewServer(server.Chain(h, server.Options{Logger: logger}))
	t.Cleanup(ts.Close)
	return ts
}

// Every shell page, in both themes, anonymous and signed in: no serious
// or critical axe-core violation, no console error (a file refused by the
// Content-Security-Policy would show there), the expected status.
func TestShellPagesAreAccessible(t *testing.T) {
	b := browsertest.New(t)
	person := &access.Actor{Kind: access.KindUser, ID: "u1", Name: "Camille Martin", Role: access.Citizen}
	for _, theme := range []string{ThemeDSFR, ThemeNeutral} {
		for _, as := range []*access.Actor{nil, person} {
			name := theme + "/anonyme"
			if as != nil {
				name = theme + "/connecté"
			}
			t.Run(name, func(t *testing.T) {
				ts := serveShell(t, theme, as)
				for _, p := range shellPages {
					if got := b.VisitChecked(t, ts.URL+p.path); got != p.status {
						t.Errorf("%s: status %d, want %d", p.path, got, p.status)
					}
				}
			})
		}
	}
}

// The header's links stay reachable on a phone: with the DSFR's
// JavaScript, behind its menu button; without JavaScript (or with the
// neutral theme, which has none), shown as they are, with no menu button
// that would do nothing. Skip links stay out of sight until focused.
func TestHeaderLinksOnAPhone(t *testing.T) {
	b := browsertest.New(t)
	b.Viewport(375, 740)
	for _, theme := range []string{ThemeDSFR, ThemeNeutral} {
		for _, js := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/js=%v", theme, js), func(t *testing.T) {
				ts := serveShell(t, theme, nil)
				tb := b.With(t)
				tb.DisableJavaScript(!js)
				tb.Visit(ts.URL + "/aide")
				if !tb.Visible(`footer a[href="/accessibilite"]`) {
					t.Error("the footer's accessibility link is not visible")
				}
				if tb.Visible(`.fr-skiplinks a[href="#contenu"]`) {
					t.Error("the skip link shows before it has the focus")
				}
				menu := theme == ThemeDSFR && js
				if got := tb.Visible("#bouton-menu"); got != menu {
					t.Errorf("menu button visible: %v, want %v", got, menu)
				}
				if menu {
					tb.Click("#bouton-menu")
					tb.WaitVisible(`#menu-entete a[href="/connexion"]`)
				} else if !tb.Visible(`header a[href="/connexion"]`) {
					t.Error("the sign-in link is not visible")
				}
			})
		}
	}
	b.DisableJavaScript(false)
}
