package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"permis/internal/access"
	"permis/internal/apperr"
)

// TokenAuthenticator finds the actor behind an API token's plaintext. It
// returns an Unauthenticated or NotFound error for an unknown, expired or
// revoked token; any other error is a failure of the lookup itself.
type TokenAuthenticator interface {
	AuthenticateToken(ctx context.Context, plaintext string) (access.Actor, error)
}

// Guard enforces a route's policy in front of its handler: it establishes
// the actor, refuses the request or lets it through with the actor in the
// context. Each audience chooses its guard (bearer tokens, sessions).
type Guard func(p access.Policy, next http.Handler) http.Handler

// BearerGuard authenticates "Authorization: Bearer <token>" with authn.
// A public route is let through untouched. Otherwise a missing, malformed,
// unknown or revoked token is answered 401 (unauthenticated) with a
// WWW-Authenticate challenge, an actor whose role the policy does not admit
// 403 (forbidden).
func BearerGuard(authn TokenAuthenticator, logger *slog.Logger) Guard {
	return func(p access.Policy, next http.Handler) http.Handler {
		if p.IsPublic() {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, ok := bearerToken(r)
			if !ok || !access.WellFormedToken(token) {
				challenge(w, !ok)
				WriteError(w, r, logger, apperr.New(apperr.Unauthenticated, "Authentification requise : fournissez un jeton d'accès valide (Authorization: Bearer …)."))
				return
			}
			actor, err := authn.AuthenticateToken(r.Context(), token)
			if err != nil {
				if c := apperr.CodeOf(err); c == apperr.Unauthenticated || c == apperr.NotFound {
					challenge(w, false)
					WriteError(w, r, logger, apperr.Wrap(apperr.Unauthenticated, "Jeton d'accès inconnu, expiré ou révoqué.", err))
					return
				}
				WriteError(w, r, logger, err)
				return
			}
			Admit(w, r, logger, p, actor, next)
		})
	}
}

// Admit is the one place where an authenticated actor is checked against
// the route's policy and written into the request context; guards other
// than BearerGuard (sessions) end with it too.
func Admit(w http.ResponseWriter, r *http.Request, logger *slog.Logger, p access.Policy, actor access.Actor, next http.Handler) {
	if ri := infoFrom(r.Context()); ri != nil {
		ri.actorID = string(actor.Kind) + ":" + actor.ID
	}
	if !p.Allows(actor.Role) {
		WriteError(w, r, logger, apperr.New(apperr.Forbidden, "Votre rôle ("+actor.Role.Label()+") ne permet pas d'accéder à cette ressource."))
		return
	}
	next.ServeHTTP(w, r.WithContext(access.NewContext(r.Context(), actor)))
}

// bearerToken extracts the token of a Bearer Authorization header; ok is
// false when the header is missing or uses another scheme.
func bearerToken(r *http.Request) (token string, ok bool) {
	h := r.Header.Get("Authorization")
	scheme, token, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// challenge sets WWW-Authenticate (RFC 6750): no error code when no
// credentials were sent, invalid_token otherwise.
func challenge(w http.ResponseWriter, missing bool) {
	v := `Bearer realm="permis"`
	if !missing {
		v += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", v)
}

// Actor returns the actor the route's guard admitted, and whether there is
// one (there is none on public routes).
func Actor(r *http.Request) (access.Actor, bool) { return access.FromContext(r.Context()) }

// NoteActor records the actor of a request for the access log, for guards
// that admit the actor themselves (sessions with HTML error pages).
func NoteActor(r *http.Request, actor access.Actor) {
	if ri := infoFrom(r.Context()); ri != nil {
		ri.actorID = string(actor.Kind) + ":" + actor.ID
	}
}
