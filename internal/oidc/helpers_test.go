package oidc_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/demo"
	"permis/internal/oidc"
	"permis/internal/oidcdemo"
)

const (
	clientID     = "permis"
	clientSecret = "s3cret-for-tests"
)

// env is one service under test: a server that mounts the demo provider at
// /fc-demo and the relying party's callback at /callback, a browser with a
// cookie jar, and the relying party.
type env struct {
	t       *testing.T
	srv     *httptest.Server
	issuer  string
	people  []oidcdemo.Identity
	rp      *oidc.Client
	browser *http.Client
	up      atomic.Bool // the provider answers; when false it is "down" (503)
	// otherSub, when set, is put in place of the subject in userinfo
	// answers, as a provider mixing up two people would.
	otherSub atomic.Pointer[string]
}

// newEnv starts the server. The provider is up unless down is true; the
// client's clock is clk (nil: the system clock) and its scopes scopes.
func newEnv(t *testing.T, clk clock.Clock, scopes []string) *env {
	t.Helper()
	e := &env{t: t}
	e.up.Store(true)
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.issuer = e.srv.URL + "/fc-demo"

	g, err := demo.New(demo.Config{Seed: 1, Licences: 5, Today: date.MustParse("2025-06-15")})
	if err != nil {
		t.Fatal(err)
	}
	e.people = oidcdemo.DemoPeople(g)
	op, err := oidcdemo.New(e.issuer, []oidcdemo.Client{{
		ID: clientID, Secret: clientSecret,
		RedirectURIs:           []string{e.srv.URL + "/callback"},
		PostLogoutRedirectURIs: []string{e.srv.URL + "/au-revoir"},
	}}, e.people)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/fc-demo/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !e.up.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		if other := e.otherSub.Load(); other != nil && strings.HasSuffix(r.URL.Path, "/userinfo") {
			rec := httptest.NewRecorder()
			op.ServeHTTP(rec, r)
			var claims map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &claims); err != nil {
				t.Errorf("userinfo answer %q: %v", rec.Body, err)
			}
			claims["sub"] = *other
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(claims)
			return
		}
		op.ServeHTTP(w, r)
	}))
	// The relying party's pages: the test reads the query of the final URL.
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "callback") })
	mux.HandleFunc("GET /au-revoir", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "au revoir") })

	e.rp = oidc.New(oidc.Config{
		Issuer: e.issuer, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: e.srv.URL + "/callback", Scopes: scopes,
		HTTPClient: e.srv.Client(), Clock: clk,
	})
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	e.browser = &http.Client{Jar: jar}
	return e
}

// person returns the demo identity whose family name is family.
func (e *env) person(family string) oidcdemo.Identity {
	e.t.Helper()
	for _, p := range e.people {
		if p.FamilyName == family {
			return p
		}
	}
	e.t.Fatalf("no demo person %q", family)
	return oidcdemo.Identity{}
}

var (
	hiddenID  = regexp.MustCompile(`<input type="hidden" name="id" value="([^"]+)">`)
	formStart = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
)

// get fetches u with the browser and returns the final URL and body.
func (e *env) get(u string) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.browser.Get(u)
	if err != nil {
		e.t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// signIn plays the browser: it opens authURL, reads the login page, posts
// the form with action ("connexion" or "refus") and the chosen subject, and
// returns the query the relying party's callback received.
func (e *env) signIn(authURL, action, subject string) url.Values {
	e.t.Helper()
	resp, page := e.get(authURL)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Request.URL.Path, "/fc-demo/login") {
		e.t.Fatalf("login page: %d at %s:\n%s", resp.StatusCode, resp.Request.URL, page)
	}
	id, action0 := hiddenID.FindStringSubmatch(page), formStart.FindStringSubmatch(page)
	if id == nil || action0 == nil {
		e.t.Fatalf("login page without form or request id:\n%s", page)
	}
	target, err := resp.Request.URL.Parse(action0[1])
	if err != nil {
		e.t.Fatal(err)
	}
	form := url.Values{"id": {id[1]}, "action": {action}}
	if subject != "" {
		form.Set("personne", subject)
	}
	post, err := e.browser.PostForm(target.String(), form)
	if err != nil {
		e.t.Fatalf("POST login: %v", err)
	}
	defer post.Body.Close()
	body, _ := io.ReadAll(post.Body)
	if post.StatusCode != http.StatusOK || post.Request.URL.Path != "/callback" {
		e.t.Fatalf("after login: %d at %s:\n%s", post.StatusCode, post.Request.URL, body)
	}
	return post.Request.URL.Query()
}

// start runs Start and fails the test on error.
func (e *env) start() (string, oidc.Pending) {
	e.t.Helper()
	u, p, err := e.rp.Start(context.Background())
	if err != nil {
		e.t.Fatalf("Start: %v", err)
	}
	return u, p
}
