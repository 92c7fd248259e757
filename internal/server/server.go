// Package server is the HTTP infrastructure every audience shares (citizen
// portal, back office, partner API): the global middleware chain, the
// adapter that turns handler errors into responses, JSON helpers, bearer
// token authentication against per-route access policies, health and
// readiness endpoints, and graceful serving.
//
// Prometheus metrics live in the sub-package server/metrics, which
// implements Observer; this package does not depend on client_golang.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Observer receives one observation per finished request, keyed by the
// ServeMux route pattern (UnmatchedRoute when no route matched).
type Observer interface {
	ObserveRequest(route, method string, status int, elapsed time.Duration)
}

// UnmatchedRoute is the route label of requests no pattern matched, so
// that raw paths never become log fields or metric labels.
const UnmatchedRoute = "unmatched"

// Options configure the global chain.
type Options struct {
	Logger  *slog.Logger // required
	Metrics Observer     // nil: no metrics
	// CrossOrigin guards state-changing browser requests; nil means
	// http.NewCrossOriginProtection() with no trusted origin.
	CrossOrigin *http.CrossOriginProtection
	// HTTPS is true when the service's public address is https: TLS then
	// usually ends at the reverse proxy, so the request itself looks like
	// plain HTTP, yet every answer must carry Strict-Transport-Security.
	HTTPS bool
}

// Chain wraps the audience's router (usually an *http.ServeMux) in the
// global middleware chain, written out here and nowhere else. From the
// outside in:
//
//	request id → access log + metrics → recover → security headers →
//	cross-origin protection → router (route pattern captured) → route guard (actor)
//
// Recover sits inside the request id and the access log, not outside them as
// STYLE.md's sketch has it: that way the panic is logged with the request
// id, and the access log and metrics count the resulting 500 like any other
// response. The two outer layers are small and do not panic; should they,
// net/http still recovers the goroutine.
func Chain(router http.Handler, o Options) http.Handler {
	cop := o.CrossOrigin
	if cop == nil {
		cop = http.NewCrossOriginProtection()
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, o.Logger, errCrossOrigin())
	}))
	h := capturePattern(router)
	h = cop.Handler(h)
	h = securityHeaders(h, o.HTTPS)
	h = Recover(o.Logger, h)
	h = AccessLog(o.Logger, o.Metrics, h)
	h = AssignRequestID(h)
	return h
}

// requestInfo is what inner layers learn about a request and outer layers
// report: the access log runs before routing and authentication, yet logs
// the route pattern and the actor.
type requestInfo struct {
	id      string
	pattern string
	actorID string
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	ri, _ := ctx.Value(infoKey{}).(*requestInfo)
	return ri
}

// RequestID returns the request id AssignRequestID put in ctx, or "".
func RequestID(ctx context.Context) string {
	if ri := infoFrom(ctx); ri != nil {
		return ri.id
	}
	return ""
}

// capturePattern reads r.Pattern after the ServeMux ran (the mux sets it on
// the request it was given), deferred so that it is recorded even when the
// handler panics.
func capturePattern(router http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if ri := infoFrom(r.Context()); ri != nil && r.Pattern != "" {
				ri.pattern = r.Pattern
			}
		}()
		router.ServeHTTP(w, r)
	})
}
