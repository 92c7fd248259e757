package server

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"permis/internal/apperr"
)

func TestAssignRequestID(t *testing.T) {
	var seen string
	h := AssignRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestID(r.Context())
	}))
	tests := []struct {
		name, incoming string
		keep           bool
	}{
		{"none", "", false},
		{"uuid kept", "0b6c2a4e-3f1d-4c8e-9a57-2e1f0c9d8b7a", true},
		{"too short", "abc", false},
		{"log injection", "abcdefgh\nlevel=ERROR", false},
		{"too long", strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.incoming != "" {
				r.Header.Set(RequestIDHeader, tt.incoming)
			}
			rec := serve(h, r)
			got := rec.Header().Get(RequestIDHeader)
			if got == "" || got != seen {
				t.Fatalf("header %q, context %q", got, seen)
			}
			if (got == tt.incoming) != tt.keep {
				t.Errorf("id = %q, incoming %q, keep = %v", got, tt.incoming, tt.keep)
			}
			if !saneRequestID(got) {
				t.Errorf("generated id %q is not sane", got)
			}
		})
	}
}

// fakeObserver records observations.
type fakeObserver struct {
	mu  sync.Mutex
	obs []string
}

func (f *fakeObserver) ObserveRequest(route, method string, status int, _ time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.obs = append(f.obs, method+" "+route+" "+http.StatusText(status))
}

func testChain(t *testing.T) (http.Handler, *logBuffer, *fakeObserver) {
	t.Helper()
	logger, logs := newTestLogger(t)
	mux := http.NewServeMux()
	mux.Handle("GET /dossiers/{id}", Handle(logger, func(w http.ResponseWriter, r *http.Request) error {
		return WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	}))
	mux.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) { panic("kaboom") })
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	obs := &fakeObserver{}
	return Chain(mux, Options{Logger: logger, Metrics: obs}), logs, obs
}

func TestAccessLog(t *testing.T) {
	h, logs, obs := testChain(t)
	r := httptest.NewRequest("GET", "/dossiers/42?token=secret-in-query", nil)
	r.Header.Set("Authorization", "Bearer pmt_supersecret")
	r.Header.Set(RequestIDHeader, "req-12345678")
	rec := serve(h, r)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	lines := logs.records(t, "requête HTTP")
	if len(lines) != 1 {
		t.Fatalf("%d access log lines: %s", len(lines), logs)
	}
	l := lines[0]
	want := map[string]any{"method": "GET", "route": "GET /dossiers/{id}", "status": float64(200),
		"bytes": float64(rec.Body.Len()), "request_id": "req-12345678"}
	for k, v := range want {
		if l[k] != v {
			t.Errorf("log %s = %v, want %v", k, l[k], v)
		}
	}
	if _, ok := l["duration"]; !ok {
		t.Error("no duration logged")
	}
	for _, secret := range []string{"secret-in-query", "supersecret", "/dossiers/42"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log contains %q: %s", secret, logs)
		}
	}
	serve(h, httptest.NewRequest("GET", "/nowhere/personal-data", nil))
	if strings.Contains(logs.String(), "personal-data") {
		t.Errorf("raw path of an unmatched request logged: %s", logs)
	}
	wantObs := []string{"GET GET /dossiers/{id} OK", "GET unmatched Not Found"}
	if strings.Join(obs.obs, "|") != strings.Join(wantObs, "|") {
		t.Errorf("observations %q, want %q", obs.obs, wantObs)
	}
}

func TestRecover(t *testing.T) {
	h, logs, obs := testChain(t)
	r := httptest.NewRequest("GET", "/boom", nil)
	r.Header.Set(RequestIDHeader, "req-boom-0001")
	rec := serve(h, r)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", rec.Code)
	}
	body := decodeErrorBody(t, rec)
	if body.Code != apperr.Internal || strings.Contains(body.Message, "kaboom") {
		t.Errorf("body %+v", body)
	}
	panics := logs.records(t, "panique dans un gestionnaire HTTP")
	if len(panics) != 1 || panics[0]["request_id"] != "req-boom-0001" || panics[0]["panic"] != "kaboom" {
		t.Fatalf("panic log %v", panics)
	}
	access := logs.records(t, "requête HTTP")
	if len(access) != 1 || access[0]["status"] != float64(500) || access[0]["route"] != "GET /boom" {
		t.Errorf("access log %v", access)
	}
	if len(obs.obs) != 1 || obs.obs[0] != "GET GET /boom Internal Server Error" {
		t.Errorf("observations %q", obs.obs)
	}
}

func TestRecoverAfterWrite(t *testing.T) {
	logger, _ := newTestLogger(t)
	h := Recover(logger, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		panic("late")
	}))
	rec := serve(h, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusAccepted || rec.Body.Len() != 0 {
		t.Errorf("status %d body %q: a started response must not get an error appended", rec.Code, rec.Body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	h, _, _ := testChain(t)
	for _, withTLS := range []bool{false, true} {
		r := httptest.NewRequest("GET", "/dossiers/1", nil)
		if withTLS {
			r.TLS = &tls.ConnectionState{}
		}
		rec := serve(h, r)
		want := map[string]string{
			"Content-Security-Policy": ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
		}
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("tls=%v %s = %q, want %q", withTLS, k, got, v)
			}
		}
		if !strings.Contains(ContentSecurityPolicy, "default-src 'self'") || !strings.Contains(ContentSecurityPolicy, "frame-ancestors 'none'") {
			t.Error("CSP misses default-src or frame-ancestors")
		}
		if hsts := rec.Header().Get("Strict-Transport-Security"); (hsts != "") != withTLS {
			t.Errorf("tls=%v HSTS = %q", withTLS, hsts)
		}
	}
}

func TestCrossOriginProtection(t *testing.T) {
	h, _, _ := testChain(t)
	tests := []struct {
		name, method, site string
		want               int
	}{
		{"cross-site POST refused", "POST", "cross-site", http.StatusForbidden},
		{"same-origin POST allowed", "POST", "same-origin", http.StatusNoContent},
		{"non-browser POST allowed", "POST", "", http.StatusNoContent},
		{"cross-site GET allowed", "GET", "cross-site", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/form"
			if tt.method == "GET" {
				path = "/dossiers/1"
			}
			r := httptest.NewRequest(tt.method, path, nil)
			if tt.site != "" {
				r.Header.Set("Sec-Fetch-Site", tt.site)
			}
			rec := serve(h, r)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
			if tt.want == http.StatusForbidden {
				if b := decodeErrorBody(t, rec); b.Code != apperr.Forbidden || b.Message == "" {
					t.Errorf("body %+v", b)
				}
			}
		})
	}
}
