package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"permis/internal/apperr"
)

// A lost database connection answers 503 "unavailable" with Retry-After,
// never 500 "internal"; a read (GET, HEAD) is run once more first, a write
// never (issue 10, finding 13).
func TestConnectionLossRetriesReadsAndAnswers503(t *testing.T) {
	lost := &apperr.Error{Code: apperr.Unavailable, Message: "Le service est momentanément indisponible.",
		Cause: errors.Join(apperr.ConnectionLost, errors.New("FATAL: terminating connection (SQLSTATE 57P01)"))}
	for _, tt := range []struct {
		method    string
		failures  int
		wantCalls int
		want      int
	}{
		{http.MethodGet, 1, 2, http.StatusOK},
		{http.MethodHead, 1, 2, http.StatusOK},
		{http.MethodGet, 2, 2, http.StatusServiceUnavailable},
		{http.MethodPost, 1, 1, http.StatusServiceUnavailable},
	} {
		calls := 0
		h := Handle(slog.New(slog.DiscardHandler), func(w http.ResponseWriter, r *http.Request) error {
			calls++
			if calls <= tt.failures {
				return lost
			}
			return WriteJSON(w, http.StatusOK, map[string]string{"ok": "oui"})
		})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, "/api/v1/x", nil))
		if rec.Code != tt.want || calls != tt.wantCalls {
			t.Errorf("%s failing %d times: %d after %d calls, want %d after %d", tt.method, tt.failures, rec.Code, calls, tt.want, tt.wantCalls)
		}
		if rec.Code == http.StatusServiceUnavailable {
			var body ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Code != apperr.Unavailable {
				t.Errorf("%s: body %s, want code unavailable", tt.method, rec.Body)
			}
			if rec.Header().Get("Retry-After") == "" {
				t.Errorf("%s: 503 without Retry-After", tt.method)
			}
		}
	}
}
