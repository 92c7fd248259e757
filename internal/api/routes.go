// Package api is the agents' and partners' JSON API (/api/v1/…), and the
// public verification of 2D-Doc codes. Every route and the roles that own it
// are written in this file; the handlers call the application layer and
// nothing else.
package api

import (
	"log/slog"
	"net/http"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/exams"
	"permis/internal/server"
)

// Register adds the API's routes to mux, behind bearer-token authentication
// (public routes take none), and returns the registrar (its List is what the
// route-ownership test reads).
func Register(mux *http.ServeMux, a *app.App, logger *slog.Logger) *server.Routes {
	h := &handlers{app: a, exams: exams.New(a.Kernel(), a.Kernel().Exams)}
	rs := server.NewRoutes(mux, server.BearerGuard(a, logger), logger)
	readers := access.Allow(app.RecordReaders()...)
	rs.HandleFunc("GET /api/v1/licences/{neph}", readers, h.licence)
	rs.HandleFunc("GET /api/v1/licences/{neph}/points", readers, h.points)
	rs.HandleFunc("POST /api/v1/2ddoc/verify", access.Public(), h.verify2DDoc)
	rs.HandleFunc("POST /api/v1/ephoto", access.Allow(access.Photographer), h.createEPhoto)
	rs.HandleFunc("POST /api/v1/exams/theory-results", access.Allow(access.ExamOperator), h.recordTheory)
	rs.HandleFunc("GET /api/v1/openapi.json", access.Public(), serveOpenAPI)
	return rs
}

type handlers struct {
	app   *app.App
	exams *exams.Service
}

func request(r *http.Request) app.Request {
	actor, _ := server.Actor(r)
	return app.Request{Actor: actor, RequestID: server.RequestID(r.Context()), Reason: r.Header.Get("X-Permis-Reason")}
}

// licence answers a licence record: civil status, categories, restrictions,
// titles and the state of the right.
func (h *handlers) licence(w http.ResponseWriter, r *http.Request) error {
	v, err := h.app.Licence(r.Context(), request(r), r.PathValue("neph"))
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, v)
}

// points answers the balance, ceiling, movements, letters and the recoveries
// to come, recomputed today from the ledger.
func (h *handlers) points(w http.ResponseWriter, r *http.Request) error {
	v, err := h.app.Points(r.Context(), request(r), r.PathValue("neph"))
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusOK, v)
}
