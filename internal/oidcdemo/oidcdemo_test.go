package oidcdemo_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/demo"
	"permis/internal/oidcdemo"
)

// state and nonce are as long as FranceConnect v2 wants (32 characters).
const (
	state = "etat-de-la-demande-0123456789abcdef"
	nonce = "nonce-de-la-demande-0123456789abcdef"
)

var jeanne = oidcdemo.Identity{
	Subject: "sub-jeanne", GivenName: "Jeanne Louise", FamilyName: "Martin", Birthdate: date.MustParse("1990-03-12"),
	Birthplace: "34172", BirthplaceName: "Montpellier", BirthCountry: "99100", Gender: "female",
	Email: "jeanne.martin@example.org",
}

var paul = oidcdemo.Identity{
	Subject: "sub-paul", GivenName: "Paul", FamilyName: "Durand", Birthdate: date.MustParse("1985-11-02"),
	Birthplace: "34032", BirthplaceName: "Béziers", BirthCountry: "99100", Gender: "male",
}

// site is a service that mounts the provider under prefix next to pages of
// its own, the way the service does.
type site struct {
	srv      *httptest.Server
	issuer   string
	oauth    oauth2.Config
	provider *oidcdemo.Provider
}

func newSite(t *testing.T, prefix string, opts ...oidcdemo.Option) *site {
	t.Helper()
	return newSitePeople(t, prefix, []oidcdemo.Identity{jeanne, paul}, opts...)
}

func newSitePeople(t *testing.T, prefix string, people []oidcdemo.Identity, opts ...oidcdemo.Option) *site {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s := &site{srv: srv, issuer: srv.URL + prefix}
	h, err := oidcdemo.New(s.issuer, []oidcdemo.Client{{
		ID: "permis", Secret: "secret", RedirectURIs: []string{srv.URL + "/callback"},
		PostLogoutRedirectURIs: []string{srv.URL + "/callback"},
	}}, people, opts...)
	if err != nil {
		t.Fatal(err)
	}
	s.provider = h
	if prefix == "" {
		mux.Handle("/", h)
	} else {
		// As the service's router does: its "GET /" would conflict with a
		// method-less "/fc-demo/" pattern.
		mux.Handle("GET "+prefix+"/", h)
		mux.Handle("POST "+prefix+"/", h)
		mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "service page", http.StatusTeapot) })
	}
	mux.HandleFunc("GET /callback", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "callback") })
	s.oauth = oauth2.Config{
		ClientID: "permis", ClientSecret: "secret", RedirectURL: srv.URL + "/callback",
		Endpoint: oauth2.Endpoint{AuthURL: s.issuer + "/authorize", TokenURL: s.issuer + "/oauth/token"},
		Scopes:   []string{"openid", "given_name", "family_name", "birthdate", "birthplace", "birthcountry", "gender", "email", "preferred_username"},
	}
	return s
}

// noRedirect is a browser that stops at the first redirect.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func fetch(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fetch(t, c, req)
}

func post(t *testing.T, c *http.Client, u string, form url.Values, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return fetch(t, c, req)
}

func TestMountedUnderPrefix(t *testing.T) {
	for _, prefix := range []string{"/fc-demo", "/a/b", ""} {
		t.Run("prefix "+prefix, func(t *testing.T) {
			s := newSite(t, prefix)
			resp, body := get(t, noRedirect, s.issuer+"/.well-known/openid-configuration")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("discovery: %d %s", resp.StatusCode, body)
			}
			var meta map[string]any
			if err := json.Unmarshal([]byte(body), &meta); err != nil {
				t.Fatal(err)
			}
			if meta["issuer"] != s.issuer {
				t.Errorf("issuer %v, want %s", meta["issuer"], s.issuer)
			}
			for _, k := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint"} {
				ep, _ := meta[k].(string)
				if !strings.HasPrefix(ep, s.issuer+"/") {
					t.Errorf("%s = %q, not under the issuer", k, ep)
					continue
				}
				// Every endpoint is routed to the provider: none answers the
				// service's own 418 or a 404.
				resp, _ := get(t, noRedirect, ep)
				if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusTeapot {
					t.Errorf("%s %s: %d", k, ep, resp.StatusCode)
				}
			}
			for _, sc := range []string{"given_name", "birthplace", "birthcountry", "preferred_username"} {
				if !strings.Contains(body, `"`+sc+`"`) {
					t.Errorf("discovery does not list scope or claim %s", sc)
				}
			}
			resp, body = get(t, noRedirect, meta["jwks_uri"].(string))
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"ES256"`) {
				t.Errorf("keys: %d %s", resp.StatusCode, body)
			}
			if prefix != "" {
				if resp, _ := get(t, noRedirect, s.srv.URL+"/login"); resp.StatusCode != http.StatusTeapot {
					t.Errorf("the provider answers outside its prefix: %d", resp.StatusCode)
				}
			}
			// The whole flow works under the prefix.
			code, verifier := signIn(t, s, jeanne.Subject)
			if _, err := s.oauth.Exchange(context.Background(), code, oauth2.VerifierOption(verifier)); err != nil {
				t.Fatalf("exchange under %q: %v", prefix, err)
			}
		})
	}
}

var (
	hiddenID = regexp.MustCompile(`name="id" value="([^"]+)"`)
	action   = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
)

// authorize opens the authorization URL with a fresh PKCE verifier and
// returns the login page's URL, request id and HTML.
func authorize(t *testing.T, s *site) (loginURL *url.URL, id, page, verifier string) {
	t.Helper()
	verifier = oauth2.GenerateVerifier()
	u := s.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", nonce),
		oauth2.SetAuthURLParam("acr_values", "eidas1"), oauth2.SetAuthURLParam("prompt", "login consent"))
	resp, _ := get(t, noRedirect, u)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d", resp.StatusCode)
	}
	loginURL, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp, page = get(t, noRedirect, loginURL.String())
	m := hiddenID.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("login page %s: %d\n%s", loginURL, resp.StatusCode, page)
	}
	return loginURL, m[1], page, verifier
}

// signIn signs subject in and returns the code sent to the callback.
func signIn(t *testing.T, s *site, subject string) (code, verifier string) {
	t.Helper()
	loginURL, id, page, verifier := authorize(t, s)
	target, _ := loginURL.Parse(action.FindStringSubmatch(page)[1])
	resp, body := post(t, http.DefaultClient, target.String(), url.Values{"id": {id}, "action": {"connexion"}, "personne": {subject}}, nil)
	q := resp.Request.URL.Query()
	if resp.Request.URL.Path != "/callback" || q.Get("code") == "" || q.Get("state") != state {
		t.Fatalf("after login: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	return q.Get("code"), verifier
}

func TestAuthorizeRequiresPKCEAndNonce(t *testing.T) {
	s := newSite(t, "/fc-demo")
	base := url.Values{
		"response_type": {"code"}, "client_id": {"permis"}, "redirect_uri": {s.srv.URL + "/callback"},
		"scope": {"openid given_name"}, "state": {state}, "nonce": {nonce},
		"code_challenge": {"E9Melhoe2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"},
		"acr_values": {"eidas1"}, "prompt": {"login consent"},
	}
	cases := []struct {
		name   string
		change func(url.Values)
		error  string // "" means the login page
	}{
		{"complete request", func(url.Values) {}, ""},
		{"no code challenge", func(v url.Values) { v.Del("code_challenge"); v.Del("code_challenge_method") }, "invalid_request"},
		{"plain challenge", func(v url.Values) { v.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"no nonce", func(v url.Values) { v.Del("nonce") }, "invalid_request"},
		// What FranceConnect v2 adds.
		{"short state", func(v url.Values) { v.Set("state", "etat-court") }, "invalid_request"},
		{"short nonce", func(v url.Values) { v.Set("nonce", "n") }, "invalid_request"},
		{"no acr_values", func(v url.Values) { v.Del("acr_values") }, "invalid_request"},
		{"acr_values without eidas1", func(v url.Values) { v.Set("acr_values", "eidas3") }, "invalid_request"},
		{"prompt without consent", func(v url.Values) { v.Set("prompt", "login") }, "invalid_request"},
		{"no prompt", func(v url.Values) { v.Del("prompt") }, "invalid_request"},
		{"address scope", func(v url.Values) { v.Set("scope", "openid address") }, "invalid_scope"},
		{"phone scope", func(v url.Values) { v.Set("scope", "openid phone") }, "invalid_scope"},
		// Refused without a redirect: the library sends no token to an
		// http redirect URI.
		{"implicit flow", func(v url.Values) { v.Set("response_type", "id_token") }, "400"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := url.Values{}
			for k, vs := range base {
				v[k] = append([]string(nil), vs...)
			}
			c.change(v)
			resp, body := get(t, noRedirect, s.issuer+"/authorize?"+v.Encode())
			if c.error == "400" {
				if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
					t.Errorf("%d, Location %q: want 400", resp.StatusCode, resp.Header.Get("Location"))
				}
				return
			}
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if resp.StatusCode != http.StatusFound || loc == nil {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if c.error == "" {
				if loc.Path != "/fc-demo/login" {
					t.Errorf("redirected to %s, want the login page", loc)
				}
				return
			}
			if got := loc.Query().Get("error"); loc.Path != "/callback" || got != c.error || loc.Query().Get("state") != v.Get("state") {
				t.Errorf("redirected to %s, want the callback with error=%s", loc, c.error)
			}
		})
	}
	t.Run("unregistered redirect URI", func(t *testing.T) {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		v.Set("redirect_uri", "https://attacker.example/cb")
		resp, _ := get(t, noRedirect, s.issuer+"/authorize?"+v.Encode())
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%d, Location %q: want 400 without redirect", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestLoginPage(t *testing.T) {
	s := newSite(t, "/fc-demo")
	_, _, page, _ := authorize(t, s)
	for _, want := range []string{
		`<html lang="fr">`,
		"<fieldset", "<legend>Identité de démonstration</legend>",
		`<label for="personne-0">Jeanne Martin, née le 12/03/1990 à Montpellier</label>`,
		`<label for="personne-1">Paul Durand, né le 02/11/1985 à Béziers</label>`,
		`<input type="radio" name="personne" id="personne-0" value="sub-jeanne">`,
		`>Se connecter</button>`, `>Refuser</button>`,
		"Fournisseur d'identité de démonstration",
		`href="/fc-demo/demo.css"`,
		"prénoms, nom de naissance, nom d&#39;usage, date de naissance, lieu de naissance, pays de naissance, sexe et adresse électronique",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	if n := strings.Count(page, "<h1"); n != 1 {
		t.Errorf("%d h1, want 1", n)
	}
	for _, banned := range []string{"<script", "FranceConnect", "République", "Marianne", "style="} {
		if strings.Contains(page, banned) {
			t.Errorf("login page contains %q", banned)
		}
	}
	resp, css := get(t, noRedirect, s.issuer+"/demo.css")
	if resp.StatusCode != http.StatusOK || !strings.Contains(css, ":focus-visible") {
		t.Errorf("style sheet: %d, focus style present: %v", resp.StatusCode, strings.Contains(css, ":focus-visible"))
	}
}

func TestLoginForm(t *testing.T) {
	s := newSite(t, "/fc-demo")
	t.Run("no person chosen", func(t *testing.T) {
		loginURL, id, _, _ := authorize(t, s)
		resp, body := post(t, noRedirect, loginURL.Scheme+"://"+loginURL.Host+"/fc-demo/login", url.Values{"id": {id}, "action": {"connexion"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Il y a un problème") ||
			!strings.Contains(body, "Choisissez l&#39;identité avec laquelle vous connecter.") || !strings.Contains(body, `value="`+id+`"`) {
			t.Errorf("%d\n%s", resp.StatusCode, body)
		}
	})
	t.Run("unknown request", func(t *testing.T) {
		resp, body := post(t, noRedirect, s.issuer+"/login", url.Values{"id": {"inconnu"}, "action": {"connexion"}, "personne": {jeanne.Subject}}, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Demande de connexion introuvable") {
			t.Errorf("%d\n%s", resp.StatusCode, body)
		}
		if resp, _ := get(t, noRedirect, s.issuer+"/login?id=inconnu"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET unknown request: %d", resp.StatusCode)
		}
	})
	t.Run("cross-site post", func(t *testing.T) {
		_, id, _, _ := authorize(t, s)
		resp, _ := post(t, noRedirect, s.issuer+"/login", url.Values{"id": {id}, "action": {"connexion"}, "personne": {jeanne.Subject}},
			http.Header{"Sec-Fetch-Site": {"cross-site"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
		}
	})
	t.Run("get does not sign in", func(t *testing.T) {
		_, id, _, _ := authorize(t, s)
		resp, _ := get(t, noRedirect, s.issuer+"/login?id="+id+"&action=connexion&personne="+jeanne.Subject)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" {
			t.Errorf("GET with form values: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := get(t, noRedirect, s.issuer+"/authorize/callback?id="+id); resp.StatusCode == http.StatusFound &&
			strings.Contains(resp.Header.Get("Location"), "code=") {
			t.Error("a code was issued without the form being posted")
		}
	})
	t.Run("request used once", func(t *testing.T) {
		loginURL, id, _, _ := authorize(t, s)
		form := url.Values{"id": {id}, "action": {"connexion"}, "personne": {paul.Subject}}
		target := loginURL.Scheme + "://" + loginURL.Host + "/fc-demo/login"
		if resp, _ := post(t, noRedirect, target, form, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first post: %d", resp.StatusCode)
		}
		if resp, _ := post(t, noRedirect, target, form, nil); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("second post of the same request: %d, want 400", resp.StatusCode)
		}
	})
}

func TestCodeExpires(t *testing.T) {
	t0 := time.Now()
	clk := clock.NewFixed(t0)
	s := newSite(t, "/fc-demo", oidcdemo.WithClock(clk))
	code, verifier := signIn(t, s, paul.Subject)
	clk.Add(2 * time.Minute)
	if _, err := s.oauth.Exchange(context.Background(), code, oauth2.VerifierOption(verifier)); err == nil {
		t.Fatal("a two-minute-old code was exchanged")
	}
	code, verifier = signIn(t, s, paul.Subject)
	clk.Add(30 * time.Second)
	tok, err := s.oauth.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("fresh code: %v", err)
	}
	// The access token opens userinfo, which releases the asked claims.
	resp, body := fetch(t, http.DefaultClient, bearer(t, s, tok.AccessToken))
	body = jwtPayload(t, body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"birthplace":"34032"`) || !strings.Contains(body, `"sub":"sub-paul"`) {
		t.Errorf("userinfo: %d %s", resp.StatusCode, body)
	}
	clk.Add(10 * time.Minute)
	if resp, _ := fetch(t, http.DefaultClient, bearer(t, s, tok.AccessToken)); resp.StatusCode == http.StatusOK {
		t.Error("an expired access token opened userinfo")
	}
}

func bearer(t *testing.T, s *site, token string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.issuer+"/userinfo", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func TestWrongClientSecret(t *testing.T) {
	s := newSite(t, "/fc-demo")
	code, verifier := signIn(t, s, jeanne.Subject)
	bad := s.oauth
	bad.ClientSecret = "wrong"
	if _, err := bad.Exchange(context.Background(), code, oauth2.VerifierOption(verifier)); err == nil {
		t.Fatal("code exchanged with a wrong client secret")
	}
}

func TestDemoPeople(t *testing.T) {
	today := date.MustParse("2025-06-15")
	g, err := demo.New(demo.Config{Seed: 7, Licences: 20, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	people := oidcdemo.DemoPeople(g)
	named := demo.DemoPeople()
	if len(people) != len(named) || len(people) != 5 {
		t.Fatalf("%d people, want %d", len(people), len(named))
	}
	subjects := map[string]bool{}
	for i, p := range people {
		rec := g.Record(named[i].Index)
		if p.GivenName+" "+p.FamilyName != strings.Join(rec.Person.GivenNames, " ")+" "+rec.Person.FamilyName ||
			!strings.HasPrefix(named[i].Name, strings.Fields(p.GivenName)[0]) {
			t.Errorf("person %d: %q %q, demo name %q", i, p.GivenName, p.FamilyName, named[i].Name)
		}
		if p.Birthdate != rec.Person.BirthDate || p.Email != rec.Person.Email || p.UsageName != rec.Person.UsageName {
			t.Errorf("person %d: %+v does not match the register %+v", i, p, rec.Person)
		}
		if len(p.Birthplace) != 5 || p.BirthCountry != "99100" || p.BirthplaceName != rec.Person.BirthPlace {
			t.Errorf("person %d: birth place %q %q %q", i, p.Birthplace, p.BirthplaceName, p.BirthCountry)
		}
		if p.Gender != map[string]string{"F": "female", "M": "male"}[string(rec.Person.Sex)] {
			t.Errorf("person %d: gender %q for sex %q", i, p.Gender, rec.Person.Sex)
		}
		if len(p.Subject) != 64 || subjects[p.Subject] || strings.Contains(p.Subject, string(rec.Licence.NEPH)) {
			t.Errorf("person %d: subject %q", i, p.Subject)
		}
		subjects[p.Subject] = true
	}
	// Subjects do not depend on the register: a person keeps their account.
	g2, _ := demo.New(demo.Config{Seed: 1, Licences: 5, Today: today.AddYears(1)})
	if again := oidcdemo.DemoPeople(g2); again[0].Subject != people[0].Subject {
		t.Error("subject changed with the register")
	}
	// Every demo person can be offered by a provider.
	if _, err := oidcdemo.New("http://localhost:8080/fc-demo", nil, people); err != nil {
		t.Fatal(err)
	}
}

func TestNewRefuses(t *testing.T) {
	ok := oidcdemo.Client{ID: "a", Secret: "s", RedirectURIs: []string{"http://x/cb"}}
	cases := []struct {
		name    string
		issuer  string
		clients []oidcdemo.Client
		people  []oidcdemo.Identity
	}{
		{"relative issuer", "/fc-demo", nil, nil},
		{"issuer with query", "http://x/fc?a=b", nil, nil},
		{"client without secret", "http://x/fc", []oidcdemo.Client{{ID: "a", RedirectURIs: []string{"http://x/cb"}}}, nil},
		{"client twice", "http://x/fc", []oidcdemo.Client{ok, ok}, nil},
		{"person twice", "http://x/fc", nil, []oidcdemo.Identity{jeanne, jeanne}},
		{"person without subject", "http://x/fc", nil, []oidcdemo.Identity{{GivenName: "X"}}},
	}
	for _, c := range cases {
		if _, err := oidcdemo.New(c.issuer, c.clients, c.people); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}
