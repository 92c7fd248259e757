package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"permis/internal/apperr"
)

// ReadinessCheck reports whether the service can serve: database reachable,
// migrations applied. It returns nil when ready.
type ReadinessCheck func(ctx context.Context) error

// readinessTimeout bounds a readiness check, so a hung database makes the
// probe fail rather than hang.
const readinessTimeout = 3 * time.Second

// Healthz answers 200 while the process is alive; it checks nothing else,
// so an orchestrator restarts the process only when it is truly stuck.
func Healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// Readyz answers 200 when check passes, and 503 with the JSON error shape
// (code "unavailable") when it fails; the cause is logged, not shown.
func Readyz(check ReadinessCheck, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readinessTimeout)
		defer cancel()
		if err := check(ctx); err != nil {
			WriteError(w, r, logger, apperr.Wrap(apperr.Unavailable, "Le service n'est pas prêt.", err))
			return
		}
		_ = WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}
