package portal

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/server"
)

// Guard is the portal's route guard: it reads the session cookie on every
// route (public pages show who is signed in), then enforces the route's
// policy. Anonymous visitors of a protected page are sent to the sign-in
// page and brought back after; a signed-in person without the role gets a
// 403 page; an agent who still owes the second factor is sent to give it.
func (p *Portal) Guard(pol access.Policy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, ok, err := p.session(w, r)
		if err != nil {
			// The session could not be read (the database is down): say
			// so, rather than treat the person as signed out.
			fail := func(http.ResponseWriter, *http.Request) error { return err }
			if strings.HasPrefix(r.URL.Path, "/api/") {
				server.Handle(p.log, fail).ServeHTTP(w, r)
			} else {
				p.r.Handle(fail).ServeHTTP(w, r)
			}
			return
		}
		if ok && st.Pending && !secondFactorRoute(r.Pattern) {
			if pol.IsPublic() {
				// Public pages stay public; the person is simply not
				// signed in yet.
				next.ServeHTTP(w, r)
				return
			}
			http.Redirect(w, r, "/connexion/second-facteur", http.StatusSeeOther)
			return
		}
		if ok && !st.Pending {
			server.NoteActor(r, st.Actor)
			r = r.WithContext(access.NewContext(withState(r.Context(), st), st.Actor))
		} else if ok {
			r = r.WithContext(withState(r.Context(), st))
		}
		if pol.IsPublic() {
			next.ServeHTTP(w, r)
			return
		}
		if !ok {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				// API clients get the API's JSON error, never a page.
				server.Handle(p.log, func(http.ResponseWriter, *http.Request) error {
					return apperr.New(apperr.Unauthenticated, "Connectez-vous pour utiliser ce service.")
				}).ServeHTTP(w, r)
				return
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/connexion?retour="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			p.r.Handle(func(http.ResponseWriter, *http.Request) error {
				return apperr.New(apperr.Unauthenticated, "Votre session a expiré. Connectez-vous de nouveau.")
			}).ServeHTTP(w, r)
			return
		}
		if st.Pending {
			// Only the second-factor routes get here.
			if pol.Allows(st.Actor.Role) {
				next.ServeHTTP(w, r)
				return
			}
		}
		if !pol.Allows(st.Actor.Role) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				server.Handle(p.log, func(http.ResponseWriter, *http.Request) error {
					return apperr.New(apperr.Forbidden, "Ce service n'est pas accessible avec votre compte.")
				}).ServeHTTP(w, r)
				return
			}
			p.r.Handle(func(http.ResponseWriter, *http.Request) error {
				return apperr.New(apperr.Forbidden, "Cette page n'est pas accessible avec votre compte ("+st.Actor.Role.Label()+").")
			}).ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// secondFactorRoute lists the routes a session owing its second factor may
// reach.
func secondFactorRoute(pattern string) bool {
	switch pattern {
	case "GET /connexion/second-facteur", "POST /connexion/second-facteur",
		"GET /connexion/second-facteur/qr.png", "POST /deconnexion":
		return true
	}
	return false
}

// session reads and checks the session cookie. A stale cookie is removed.
// A database that cannot answer is an error (the cookie is kept): reading
// the session is idempotent, so it is tried once more first when the
// connection broke.
func (p *Portal) session(w http.ResponseWriter, r *http.Request) (app.SessionState, bool, error) {
	c, err := r.Cookie(p.cookie)
	if err != nil || c.Value == "" {
		return app.SessionState{}, false, nil
	}
	st, err := p.app.Authenticate(r.Context(), c.Value)
	if apperr.IsConnectionLost(err) {
		st, err = p.app.Authenticate(r.Context(), c.Value)
	}
	if err != nil {
		if apperr.Is(err, apperr.Unavailable) {
			return app.SessionState{}, false, err
		}
		if !apperr.Is(err, apperr.Unauthenticated) {
			p.log.ErrorContext(r.Context(), "lecture de session impossible", "error", err,
				"request_id", server.RequestID(r.Context()))
		}
		p.clearCookie(w, p.cookie)
		return app.SessionState{}, false, nil
	}
	return st, true, nil
}

// setSession puts a new session's token in the cookie.
func (p *Portal) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: p.cookie, Value: token, Path: "/", HttpOnly: true, Secure: p.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(app.SessionMax.Seconds()),
	})
}

func (p *Portal) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: p.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// request builds the application request of an HTTP request: the actor the
// guard admitted (zero on public pages), the request id and the client's
// address for rate limits.
func request(r *http.Request) app.Request {
	actor, _ := access.FromContext(r.Context())
	return app.Request{Actor: actor, RequestID: server.RequestID(r.Context()), Client: clientAddr(r)}
}

// clientAddr is the client's IP address. Behind a reverse proxy, the
// proxy's address is what is seen here: rate limits per client then apply
// to the proxy as a whole, which is safe (never looser) — trusting
// X-Forwarded-For would let anyone pick their own address.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type stateKey struct{}

func withState(ctx context.Context, st app.SessionState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// stateOf returns the session the guard read, if any.
func stateOf(r *http.Request) (app.SessionState, bool) {
	st, ok := r.Context().Value(stateKey{}).(app.SessionState)
	return st, ok
}
