package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"permis/internal/apperr"
)

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-Id"

// AssignRequestID keeps a sane incoming X-Request-Id (set by the reverse
// proxy, so one id follows the request across systems) or generates one,
// puts it in the context and echoes it in the response header.
func AssignRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) {
			id = rand.Text()
		}
		w.Header().Set(RequestIDHeader, id)
		ctx := context.WithValue(r.Context(), infoKey{}, &requestInfo{id: id})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// saneRequestID accepts 8 to 64 characters of [A-Za-z0-9._-]: enough for
// UUIDs and proxy ids, nothing that could forge a log line.
func saneRequestID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// AccessLog logs one line per request and reports it to m (which may be
// nil). It logs the route pattern, never the raw path or query string
// (they may carry personal data or secrets), and no request header.
func AccessLog(logger *slog.Logger, m Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		elapsed := time.Since(start)
		status := rec.statusOr200()
		route, id, actor := UnmatchedRoute, "", ""
		if ri := infoFrom(r.Context()); ri != nil {
			id, actor = ri.id, ri.actorID
			if ri.pattern != "" {
				route = ri.pattern
			}
		}
		if m != nil {
			m.ObserveRequest(route, methodLabel(r.Method), status, elapsed)
		}
		logger.LogAttrs(r.Context(), slog.LevelInfo, "requête HTTP",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Duration("duration", elapsed),
			slog.Int64("bytes", rec.bytes),
			slog.String("request_id", id),
			slog.String("actor", actor),
		)
	})
}

// methodLabel bounds the method label's cardinality.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// recorder remembers the status and the body size.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 && code >= 200 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush, deadlines, etc.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) written() bool { return r.status != 0 }

func (r *recorder) statusOr200() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// Recover turns a panic into a logged error (with the request id and the
// stack) and a generic 500, if nothing was sent yet. http.ErrAbortHandler
// is re-raised: it is net/http's way to abort a response on purpose.
func Recover(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			logger.LogAttrs(r.Context(), slog.LevelError, "panique dans un gestionnaire HTTP",
				slog.String("request_id", RequestID(r.Context())),
				slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())),
			)
			if !rec.written() {
				writeErrorBody(w, apperr.As(errors.New("panic")))
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// ContentSecurityPolicy is sent on every response: only our own origin,
// never framed (clickjacking), no plugins, forms post only to us.
const ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"

// SecurityHeaders sets the headers every response carries; HSTS only over
// TLS, where the browser will honour it.
func SecurityHeaders(next http.Handler) http.Handler { return securityHeaders(next, false) }

// securityHeaders is SecurityHeaders, with HSTS on every answer when https
// is true (the public address is https, TLS ending at the proxy).
func securityHeaders(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if https || r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// errCrossOrigin answers a state-changing request from another site.
func errCrossOrigin() error {
	return apperr.New(apperr.Forbidden, "Cette requête provenant d'un autre site a été refusée.")
}
