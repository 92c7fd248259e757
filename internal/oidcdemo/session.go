package oidcdemo

import (
	"net/http"
)

// sessionCookie is the provider's own session: set when a person signs in,
// ended by the end-session endpoint. The provider still shows its login
// page at every sign-in (FranceConnect v2 asks prompt=login); the session
// only lets a person (and the tests) see that signing out of the service
// also signed them out here.
const sessionCookie = "oidcdemo_session"

// openSession records that subject signed in on this browser.
func (pv *provider) openSession(w http.ResponseWriter, subject string) {
	id := newID()
	pv.storage.mu.Lock()
	pv.storage.sessions[id] = subject
	pv.storage.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: pv.path + "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
}

// sessionSubject returns the subject of the browser's open session.
func (pv *provider) sessionSubject(r *http.Request) (string, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", false
	}
	pv.storage.mu.Lock()
	defer pv.storage.mu.Unlock()
	sub, ok := pv.storage.sessions[c.Value]
	return sub, ok
}

// endSession ends the browser's session at the provider, then lets the
// library validate the request (id_token_hint, post_logout_redirect_uri)
// and send the browser back to the service with its state.
func (pv *provider) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		pv.storage.mu.Lock()
		delete(pv.storage.sessions, c.Value)
		pv.storage.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: pv.path + "/", MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteLaxMode})
	}
	pv.op.ServeHTTP(w, r)
}

// sessionPage tells whether a session is open at the provider, and whose.
func (pv *provider) sessionPage(w http.ResponseWriter, r *http.Request) {
	d := messageData{CSS: pv.path + "/demo.css", Title: "Aucune session ouverte",
		Text: "Vous n'êtes pas connecté au fournisseur d'identité de démonstration (" + pv.mode.label() + ")."}
	if sub, ok := pv.sessionSubject(r); ok {
		d.Title = "Session ouverte"
		d.Text = "Vous êtes connecté au fournisseur d'identité de démonstration (" + pv.mode.label() + ") en tant que " +
			pv.storage.people[sub].Label() + "."
	}
	pv.render(w, http.StatusOK, "message", d)
}
