package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"

	"permis/internal/apperr"
)

// HandlerFunc is a handler that returns its error instead of writing it, so
// that every error of every audience is answered and logged the same way,
// by Handle.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adapts f to an http.Handler: when f returns an error, it writes the
// JSON error shape with the status of the error's code, and logs the cause
// of server-side errors with the request id. The cause never reaches the
// client. If f had already started its response, the error is only logged.
func Handle(logger *slog.Logger, f HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		err := f(rec, r)
		if RetryRead(r, err, rec.written()) {
			err = f(rec, r)
		}
		if err == nil {
			return
		}
		if rec.written() {
			logger.LogAttrs(r.Context(), slog.LevelError, "erreur après le début de la réponse",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("route", r.Pattern),
				slog.Any("error", err))
			return
		}
		WriteError(w, r, logger, err)
	})
}

// RetryRead reports whether a handler that failed with err should run once
// more: the database connection broke (apperr.ConnectionLost), the request
// only reads (GET or HEAD), and nothing was sent yet. A write is never run
// twice: its outcome is unknown to us.
func RetryRead(r *http.Request, err error, started bool) bool {
	return err != nil && !started && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		apperr.IsConnectionLost(err) && r.Context().Err() == nil
}

// SetRetryAfter tells the client when to come back after a 503.
func SetRetryAfter(w http.ResponseWriter, e *apperr.Error) {
	if e.Code == apperr.Unavailable {
		w.Header().Set("Retry-After", strconv.Itoa(apperr.RetryAfterSeconds))
	}
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Code    apperr.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// WriteError answers err as JSON with the status of its code (anything that
// is not an *apperr.Error is internal). Causes of 5xx errors are logged at
// error level with the request id; causes of client errors at debug level.
func WriteError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	e := apperr.As(err)
	status := apperr.Status(e.Code)
	level := slog.LevelDebug
	if status >= 500 {
		level = slog.LevelError
	}
	if e.Cause != nil || status >= 500 {
		logger.LogAttrs(r.Context(), level, "erreur de traitement",
			slog.String("request_id", RequestID(r.Context())),
			slog.String("route", r.Pattern),
			slog.String("code", string(e.Code)),
			slog.Any("error", err))
	}
	SetRetryAfter(w, e)
	writeErrorBody(w, e)
}

func writeErrorBody(w http.ResponseWriter, e *apperr.Error) {
	fields := e.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	// A body of strings always marshals; WriteJSON's error can be ignored.
	_ = WriteJSON(w, apperr.Status(e.Code), ErrorBody{Code: e.Code, Message: e.Message, Fields: fields})
}

// WriteJSON renders v into a buffer first, so that a value that fails to
// marshal leaves the response untouched (the caller returns the error and
// gets a clean 500), then writes it with status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
