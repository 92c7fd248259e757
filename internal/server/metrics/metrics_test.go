package metrics

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"permis/internal/server"
)

func TestMetricsExposedByRoute(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/dossiers/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	mux.Handle("GET /metrics", Handler(reg))
	h := server.Chain(mux, server.Options{Logger: logger, Metrics: m})

	for _, path := range []string{"/v1/dossiers/1", "/v1/dossiers/2", "/v1/dossiers/3", "/inconnu"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want the text exposition format", ct)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`permis_http_requests_total{code="200",method="GET",route="GET /v1/dossiers/{id}"} 3`,
		`permis_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`permis_http_request_duration_seconds_count{method="GET",route="GET /v1/dossiers/{id}"} 3`,
		`permis_http_request_duration_seconds_bucket{method="GET",route="GET /v1/dossiers/{id}",le="+Inf"} 3`,
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "/v1/dossiers/1") {
		t.Error("raw path used as a label")
	}
}

func TestNewTwiceOnOneRegistryFails(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := New(reg); err != nil {
		t.Fatal(err)
	}
	if _, err := New(reg); err == nil {
		t.Fatal("second registration on the same registry succeeded")
	}
}
