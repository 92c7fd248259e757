package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"permis/internal/apperr"
)

func TestHandleErrorShape(t *testing.T) {
	cause := errors.New("pq: connection refused to 10.0.0.7")
	tests := []struct {
		err        error
		wantStatus int
		wantCode   apperr.Code
		wantMsg    string
		wantFields map[string]string
		logged     bool
	}{
		{apperr.Field("neph", "Le NEPH doit comporter 12 chiffres."), 422, apperr.Invalid, "Certaines informations sont incorrectes.", map[string]string{"neph": "Le NEPH doit comporter 12 chiffres."}, false},
		{apperr.New(apperr.Unauthenticated, "Connectez-vous."), 401, apperr.Unauthenticated, "Connectez-vous.", nil, false},
		{apperr.New(apperr.Forbidden, "Accès refusé."), 403, apperr.Forbidden, "Accès refusé.", nil, false},
		{apperr.New(apperr.NotFound, "Dossier introuvable."), 404, apperr.NotFound, "Dossier introuvable.", nil, false},
		{apperr.New(apperr.Conflict, "Déjà déposé."), 409, apperr.Conflict, "Déjà déposé.", nil, false},
		{apperr.New(apperr.TooMany, "Trop de requêtes."), 429, apperr.TooMany, "Trop de requêtes.", nil, false},
		{apperr.Wrap(apperr.Unavailable, "Service indisponible.", cause), 503, apperr.Unavailable, "Service indisponible.", nil, true},
		{apperr.Wrap(apperr.Internal, "Erreur interne.", cause), 500, apperr.Internal, "Erreur interne.", nil, true},
		{fmt.Errorf("loading: %w", cause), 500, apperr.Internal, "Une erreur interne est survenue. Veuillez réessayer plus tard.", nil, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.wantCode), func(t *testing.T) {
			logger, logs := newTestLogger(t)
			h := AssignRequestID(Handle(logger, func(w http.ResponseWriter, r *http.Request) error { return tt.err }))
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set(RequestIDHeader, "req-err-00001")
			rec := serve(h, r)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			body := decodeErrorBody(t, rec)
			if body.Code != tt.wantCode || body.Message != tt.wantMsg {
				t.Errorf("body %+v", body)
			}
			if body.Fields == nil || len(body.Fields) != len(tt.wantFields) {
				t.Errorf("fields %v, want %v", body.Fields, tt.wantFields)
			}
			for k, v := range tt.wantFields {
				if body.Fields[k] != v {
					t.Errorf("fields[%s] = %q, want %q", k, body.Fields[k], v)
				}
			}
			raw := rec.Body.String()
			if strings.Contains(raw, "10.0.0.7") {
				t.Errorf("cause leaked to the client: %s", raw)
			}
			errLogs := logs.records(t, "erreur de traitement")
			if tt.logged {
				if len(errLogs) != 1 || errLogs[0]["level"] != "ERROR" || errLogs[0]["request_id"] != "req-err-00001" ||
					!strings.Contains(fmt.Sprint(errLogs[0]["error"]), "10.0.0.7") {
					t.Errorf("error log %v", errLogs)
				}
			} else if len(errLogs) != 0 {
				t.Errorf("client error logged: %v", errLogs)
			}
		})
	}
}

func TestHandleSuccessAndLateError(t *testing.T) {
	logger, logs := newTestLogger(t)
	ok := Handle(logger, func(w http.ResponseWriter, r *http.Request) error {
		return WriteJSON(w, http.StatusCreated, struct {
			Numero string `json:"numero"`
		}{"AB12"})
	})
	rec := serve(ok, httptest.NewRequest("POST", "/", nil))
	if rec.Code != http.StatusCreated || rec.Body.String() != "{\"numero\":\"AB12\"}\n" {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}

	late := Handle(logger, func(w http.ResponseWriter, r *http.Request) error {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("partial"))
		return errors.New("stream broke")
	})
	rec = serve(late, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "partial" {
		t.Errorf("late error changed the response: %d %q", rec.Code, rec.Body)
	}
	if n := len(logs.records(t, "erreur après le début de la réponse")); n != 1 {
		t.Errorf("late error logged %d times", n)
	}
}

func TestWriteJSONFailureLeavesResponseClean(t *testing.T) {
	logger, _ := newTestLogger(t)
	h := Handle(logger, func(w http.ResponseWriter, r *http.Request) error {
		return WriteJSON(w, http.StatusOK, map[string]float64{"x": math.NaN()})
	})
	rec := serve(h, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", rec.Code)
	}
	if b := decodeErrorBody(t, rec); b.Code != apperr.Internal {
		t.Errorf("body %+v", b)
	}
}
