package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"permis/internal/apperr"
)

func TestHealthz(t *testing.T) {
	rec := serve(Healthz(), httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "{\"status\":\"ok\"}\n" {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
}

func TestReadyz(t *testing.T) {
	logger, logs := newTestLogger(t)
	var notReady error
	h := Readyz(func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("readiness check without deadline")
		}
		return notReady
	}, logger)

	rec := serve(h, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "{\"status\":\"ready\"}\n" {
		t.Errorf("ready: got %d %q", rec.Code, rec.Body)
	}

	notReady = errors.New("migration 0007 not applied")
	rec = serve(h, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("not ready: status %d", rec.Code)
	}
	if b := decodeErrorBody(t, rec); b.Code != apperr.Unavailable || b.Message != "Le service n'est pas prêt." {
		t.Errorf("body %+v", b)
	}
	if strings.Contains(rec.Body.String(), "0007") || !strings.Contains(logs.String(), "migration 0007 not applied") {
		t.Errorf("cause shown or not logged: body %q logs %s", rec.Body, logs)
	}
}
