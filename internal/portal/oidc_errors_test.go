package portal_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// Whatever the provider answers on the callback, or if it cannot be
// reached, the person sees the sign-in page with a French sentence, never
// an error page; nobody is signed in.
func TestProviderErrorsOnTheCallback(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		var tokenDown atomic.Bool
		e := routertest.Start(t, dsn, routertest.Options{Licences: 1, ProviderMiddleware: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tokenDown.Load() && strings.HasSuffix(r.URL.Path, "/token") {
					http.Error(w, "indisponible", http.StatusServiceUnavailable)
					return
				}
				next.ServeHTTP(w, r)
			})
		}})
		for _, c := range []struct {
			name, start string
			query       func(state string) url.Values
			down        bool
			status      int
			want        string
		}{
			{"cancelled", "/connexion/oidc", func(s string) url.Values { return url.Values{"state": {s}, "error": {"access_denied"}} },
				false, 400, "Vous avez annulé la connexion"},
			{"consent refused", "/connexion/oidc", func(s string) url.Values { return url.Values{"state": {s}, "error": {"consent_required"}} },
				false, 400, "Vous avez annulé la connexion"},
			{"provider unavailable", "/connexion/oidc", func(s string) url.Values {
				return url.Values{"state": {s}, "error": {"temporarily_unavailable"}, "error_description": {"maintenance"}}
			}, false, 400, "n&#39;a pas pu traiter votre connexion"},
			{"other error", "/connexion/oidc", func(s string) url.Values { return url.Values{"state": {s}, "error": {"invalid_request"}} },
				false, 400, "a refusé la connexion"},
			{"token endpoint down", "/connexion/oidc", func(s string) url.Values { return url.Values{"state": {s}, "code": {"abc"}} },
				true, 503, "momentanément indisponible"},
			{"forged state", "/connexion/oidc", func(string) url.Values { return url.Values{"state": {"autre"}, "code": {"abc"}} },
				false, 400, "n&#39;a pas pu être vérifiée"},
			{"ProConnect cancelled", "/connexion/proconnect", func(s string) url.Values { return url.Values{"state": {s}, "error": {"access_denied"}} },
				false, 400, "Vous avez annulé la connexion"},
		} {
			t.Run(c.name, func(t *testing.T) {
				jar, _ := cookiejar.New(nil)
				browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				resp, err := browser.Get(e.URL + c.start)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				loc, _ := url.Parse(resp.Header.Get("Location"))
				if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Query().Get("state") == "" {
					t.Fatalf("start: %d %s", resp.StatusCode, resp.Header.Get("Location"))
				}
				tokenDown.Store(c.down)
				defer tokenDown.Store(false)
				resp, err = browser.Get(e.URL + c.start + "/retour?" + c.query(loc.Query().Get("state")).Encode())
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != c.status || !strings.Contains(string(body), c.want) || !strings.Contains(string(body), `id="resume-erreurs"`) {
					t.Errorf("%d, want %d with %q:\n%s", resp.StatusCode, c.status, c.want, body)
				}
				for _, ck := range jar.Cookies(&url.URL{Scheme: "http", Host: strings.TrimPrefix(e.URL, "http://"), Path: "/"}) {
					if ck.Name == routertest.CookieName {
						t.Errorf("a session cookie was set")
					}
				}
			})
		}
	})
}
