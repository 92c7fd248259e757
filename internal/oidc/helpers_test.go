package oidc_test

import (
	"context"
	"encoding/base64"
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
	op      *oidcdemo.Provider
	// userinfo, when set, rewrites the provider's userinfo answer: its
	// claims (decoded, unverified) and its body; it returns the new body
	// and content type.
	userinfo atomic.Pointer[func(claims map[string]any, body string) (string, string)]
}

// envOptions tune newEnvWith.
type envOptions struct {
	clock  clock.Clock
	scopes []string
	mode   oidcdemo.Mode
	people []oidcdemo.Identity // nil: the demo people
	config func(*oidc.Config)  // changes the relying party's configuration
}

// newEnv starts the server with the provider in FranceConnect v2 mode and
// the relying party configured for it. The client's clock is clk (nil: the
// system clock) and its scopes scopes.
func newEnv(t *testing.T, clk clock.Clock, scopes []string) *env {
	t.Helper()
	return newEnvWith(t, envOptions{clock: clk, scopes: scopes})
}

func newEnvWith(t *testing.T, o envOptions) *env {
	t.Helper()
	e := &env{t: t}
	e.up.Store(true)
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.issuer = e.srv.URL + "/fc-demo"

	e.people = o.people
	if e.people == nil {
		g, err := demo.New(demo.Config{Seed: 1, Licences: 5, Today: date.MustParse("2025-06-15")})
		if err != nil {
			t.Fatal(err)
		}
		e.people = oidcdemo.DemoPeople(g)
	}
	op, err := oidcdemo.New(e.issuer, []oidcdemo.Client{{
		ID: clientID, Secret: clientSecret,
		RedirectURIs:           []string{e.srv.URL + "/callback"},
		PostLogoutRedirectURIs: []string{e.srv.URL + "/au-revoir"},
	}}, e.people, oidcdemo.WithMode(o.mode))
	if err != nil {
		t.Fatal(err)
	}
	e.op = op
	mux.Handle("/fc-demo/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !e.up.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		if f := e.userinfo.Load(); f != nil && strings.HasSuffix(r.URL.Path, "/userinfo") {
			rec := httptest.NewRecorder()
			op.ServeHTTP(rec, r)
			body := rec.Body.String()
			payload := body
			if rec.Header().Get("Content-Type") == "application/jwt" {
				parts := strings.Split(body, ".")
				b, _ := base64.RawURLEncoding.DecodeString(parts[1])
				payload = string(b)
			}
			var claims map[string]any
			if err := json.Unmarshal([]byte(payload), &claims); err != nil {
				t.Errorf("userinfo answer %q: %v", rec.Body, err)
			}
			body, ct := (*f)(claims, body)
			w.Header().Set("Content-Type", ct)
			_, _ = io.WriteString(w, body)
			return
		}
		op.ServeHTTP(w, r)
	}))
	// The relying party's pages: the test reads the query of the final URL.
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "callback") })
	mux.HandleFunc("GET /au-revoir", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "au revoir") })

	cfg := oidc.Config{
		Issuer: e.issuer, ClientID: clientID, ClientSecret: clientSecret,
		RedirectURL: e.srv.URL + "/callback", Scopes: o.scopes,
		HTTPClient: e.srv.Client(), Clock: o.clock,
	}
	if o.mode == oidcdemo.ProConnect {
		cfg = oidc.ProConnect(cfg)
	} else {
		cfg = oidc.FranceConnectV2(cfg)
	}
	if o.config != nil {
		o.config(&cfg)
	}
	e.rp = oidc.New(cfg)
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
	return e.signInWith(authURL, url.Values{"action": {action}, "personne": {subject}})
}

// signInWith is signIn with the login form's fields (besides the request id).
func (e *env) signInWith(authURL string, fields url.Values) url.Values {
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
	form := url.Values{"id": {id[1]}}
	for k, v := range fields {
		if v[0] != "" {
			form[k] = v
		}
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

// rewriteUserinfo makes the provider's userinfo answers carry the claims
// as change leaves them, signed again with the provider's key: an answer
// the provider itself could have sent.
func (e *env) rewriteUserinfo(change func(claims map[string]any)) {
	e.t.Helper()
	f := func(claims map[string]any, _ string) (string, string) {
		change(claims)
		jwt, err := e.op.Sign(claims)
		if err != nil {
			e.t.Error(err)
		}
		return jwt, "application/jwt"
	}
	e.userinfo.Store(&f)
}

// replaceUserinfo makes the provider's userinfo answers those of f.
func (e *env) replaceUserinfo(f func(claims map[string]any, body string) (string, string)) {
	e.userinfo.Store(&f)
}
