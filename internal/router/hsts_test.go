package router_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"permis/internal/app"
	"permis/internal/router"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// When the public address is https, TLS ends at the reverse proxy: the
// request reaching permis is plain HTTP, yet browsers must be told to come
// back over https only (issue 10, finding 8). A plain-http public address
// (development) sends no HSTS.
func TestHSTSWhenThePublicURLIsHTTPS(t *testing.T) {
	for public, want := range map[string]bool{"https://permis.example.gouv.fr": true, "http://localhost:8080": false} {
		s, err := store.Open(context.Background(), storetest.SQLiteDSN(t), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		a := app.New(app.Config{Store: s, PublicURL: public, Logger: slog.New(slog.DiscardHandler)})
		t.Cleanup(func() { a.Close() })
		h, err := router.New(s, a, slog.New(slog.DiscardHandler), router.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/healthz", "/", "/connexion"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if got := rec.Header().Get("Strict-Transport-Security"); (got != "") != want {
				t.Errorf("public URL %s, %s: Strict-Transport-Security %q", public, path, got)
			}
		}
	}
}
