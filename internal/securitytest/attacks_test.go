package securitytest

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // pg_terminate_backend from outside
)

// TestAttacks plays each attack against one running server per database.
func TestAttacks(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, in *instance) {
		t.Run("security headers", func(t *testing.T) { securityHeaders(t, in) })
		t.Run("metrics not public", func(t *testing.T) { metricsNotPublic(t, in) })
		t.Run("open redirect", func(t *testing.T) { openRedirect(t, in) })
		t.Run("cross-site requests", func(t *testing.T) { crossSite(t, in) })
		t.Run("role matrix", func(t *testing.T) { roleMatrix(t, in) })
		t.Run("sessions and another citizen's pages", func(t *testing.T) { sessionsAndIDOR(t, in) })
		t.Run("sign-in tells nothing", func(t *testing.T) { signInEnumeration(t, in) })
		t.Run("injection payloads", func(t *testing.T) { injection(t, in) })
		t.Run("rate limits", func(t *testing.T) { rateLimits(t, in) })
		t.Run("demo provider CORS", func(t *testing.T) { providerCORS(t, in) })
		t.Run("2D-Doc forgeries", func(t *testing.T) { twoDDocForgeries(t, in) })
		if in.DB != "" {
			t.Run("database connection killed", func(t *testing.T) { connectionKilled(t, in) })
		}
	})
}

func securityHeaders(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	for _, path := range []string{"/", "/connexion", "/api/v1/licences/123456789012"} {
		res, _ := b.get(path)
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
			if got := res.Header.Get(k); got != want {
				t.Errorf("%s: %s %q, want %q", path, k, got, want)
			}
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
	}
}

// Finding 9: /metrics only on its own listener.
func metricsNotPublic(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	if res, _ := b.get("/metrics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the public address: %d, want 404", res.StatusCode)
	}
	if res, body := b.get(in.Metrics + "/metrics"); res.StatusCode != http.StatusOK || !strings.Contains(body, "permis_http_requests_total") {
		t.Errorf("GET /metrics on --metrics-addr: %d", res.StatusCode)
	}
}

// Finding 4, with a corpus of known bypasses.
func openRedirect(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	for _, evil := range []string{"/\t/127.0.0.1:18444/", "//evil.example", "/\\evil.example", "\\\\evil.example",
		"https://evil.example", "/\r\n/evil.example", " //evil.example", "javascript:alert(1)", "http:evil.example"} {
		q := "?retour=" + url.QueryEscape(evil)
		if _, body := b.get("/connexion" + q); strings.Contains(body, "evil.example") || strings.Contains(body, "18444") {
			t.Errorf("GET /connexion%s: the foreign address is kept in the page", q)
		}
		res, _ := b.get("/connexion/oidc" + q)
		for _, c := range res.Cookies() {
			if c.Name == "permis_retour" && c.Value != "" {
				t.Errorf("GET /connexion/oidc%s: return cookie %q", q, c.Value)
			}
		}
	}
}

// Cross-site form posts are refused before any handler runs: another
// site's Origin, "null" (sandboxed frames, file: pages), a sibling origin
// on another port, and a browser's Sec-Fetch-Site: cross-site.
func crossSite(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	sibling := "http://127.0.0.1:1"
	form := url.Values{"email": {"x@example.fr"}, "password": {"y"}}
	for _, path := range []string{"/connexion", "/suivi", "/deconnexion", "/verification-permis", "/inscription"} {
		for name, h := range map[string]map[string]string{
			"other site":     {"Origin": "https://evil.example"},
			"null origin":    {"Origin": "null"},
			"sibling origin": {"Origin": sibling},
			"sec-fetch-site": {"Sec-Fetch-Site": "cross-site"},
		} {
			if res, _ := b.do(http.MethodPost, path, form, h); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s from %s: %d, want 403", path, name, res.StatusCode)
			}
		}
	}
}

// Each audience's pages refuse the others: an anonymous visitor is sent
// to sign in (or gets 401 from the API), a citizen gets 403 from the back
// office and the staff API.
func roleMatrix(t *testing.T, in *instance) {
	anon := newBrowser(t, in)
	for _, path := range []string{"/mon-espace", "/mes-demarches", "/agents", "/auto-ecole", "/mon-espace/codes"} {
		res, _ := anon.get(path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/connexion") {
			t.Errorf("anonymous GET %s: %d to %q, want 303 to /connexion", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	for _, path := range []string{"/api/v1/licences/123456789012", "/api/v1/licences/123456789012/points", "/api/v1/me/points"} {
		if res, body := anon.get(path); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"unauthenticated"`) {
			t.Errorf("anonymous GET %s: %d %s, want 401 unauthenticated", path, res.StatusCode, body)
		}
	}
	citizen := newBrowser(t, in)
	citizen.signInCitizen(0)
	for _, path := range []string{"/agents", "/auto-ecole"} {
		if res, _ := citizen.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("citizen GET %s: %d, want 403", path, res.StatusCode)
		}
	}
	if res, _ := citizen.get("/api/v1/licences/123456789012"); res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusForbidden {
		t.Errorf("citizen's cookie on the staff API: %d, want 401 or 403", res.StatusCode)
	}
}

var requestURLRE = regexp.MustCompile(`^/mes-demarches/(\d+)`)

// Another citizen's request, its PDFs and pages are "not found"; after
// signing out, the old session cookie opens nothing.
func sessionsAndIDOR(t *testing.T, in *instance) {
	alice, bob := newBrowser(t, in), newBrowser(t, in)
	alice.signInCitizen(0)
	bob.signInCitizen(1)
	res, body := alice.do(http.MethodPost, "/mes-demarches/nouvelle/premier-permis", url.Values{}, map[string]string{"Origin": in.URL})
	m := requestURLRE.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("Alice starts a request: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	mine := "/mes-demarches/" + m[1]
	if res, _ := alice.get(mine); res.StatusCode >= 400 {
		t.Fatalf("Alice's own request: %d", res.StatusCode)
	}
	for _, path := range []string{mine, mine + "/etape/identite", mine + "/pdf/recepisse.pdf", mine + "/pdf/attestation-de-perte.pdf",
		mine + "/confirmation", "/demandes/" + m[1]} {
		if res, _ := bob.follow(in.URL + path); res.StatusCode != http.StatusNotFound {
			t.Errorf("Bob GET %s (Alice's): %d, want 404", path, res.StatusCode)
		}
	}
	if res, _ := bob.do(http.MethodPost, mine+"/envoi", url.Values{}, map[string]string{"Origin": in.URL}); res.StatusCode != http.StatusNotFound {
		t.Errorf("Bob POST %s/envoi (Alice's): %d, want 404", mine, res.StatusCode)
	}
	// Sign-out kills the session on the server, not only in the browser.
	stolen := alice.session()
	if stolen == "" {
		t.Fatal("no session cookie")
	}
	if res, _ := alice.do(http.MethodPost, "/deconnexion", url.Values{}, map[string]string{"Origin": in.URL}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	thief := newBrowser(t, in)
	u, _ := url.Parse(in.URL)
	thief.jar.SetCookies(u, []*http.Cookie{{Name: "permis_session", Value: stolen, Path: "/"}})
	if res, _ := thief.get("/mon-espace"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/connexion") {
		t.Errorf("the cookie after sign-out: %d to %q, want the sign-in page", res.StatusCode, res.Header.Get("Location"))
	}
}

var errorSummaryRE = regexp.MustCompile(`(?s)<li>(.*?)</li>`)

// Finding 10: the sign-in answers the same for an account and for an
// unknown address, before and after several wrong passwords.
func signInEnumeration(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	origin := map[string]string{"Origin": in.URL}
	res, body := b.do(http.MethodPost, "/inscription", url.Values{"email": {"vraie.personne@example.fr"}, "password": {"une phrase de passe solide"},
		"given_name": {"Vraie"}, "family_name": {"Personne"}, "birth_date": {"1980-02-03"}}, origin)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("registration: %d\n%s", res.StatusCode, body)
	}
	answer := func(email string) string {
		res, body := b.do(http.MethodPost, "/connexion", url.Values{"email": {email}, "password": {"pas le bon"}}, origin)
		m := errorSummaryRE.FindStringSubmatch(body)
		if m == nil {
			return res.Status
		}
		return res.Status + " " + m[1]
	}
	for i := range 7 {
		known, unknown := answer("vraie.personne@example.fr"), answer("personne.inconnue@example.fr")
		if known != unknown {
			t.Fatalf("attempt %d: %q for an account, %q for an unknown address", i+1, known, unknown)
		}
	}
}

// Payloads in free-text fields come back escaped, and SQL-looking input is
// just input.
func injection(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	origin := map[string]string{"Origin": in.URL}
	for _, p := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `' OR '1'='1' --`, `'; DROP TABLE users; --`} {
		res, body := b.do(http.MethodPost, "/suivi", url.Values{"reference": {p}, "birth_date": {"1980-02-03"}}, origin)
		if res.StatusCode >= 500 {
			t.Errorf("POST /suivi with %q: %d", p, res.StatusCode)
		}
		if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<img src=x") {
			t.Errorf("POST /suivi: the payload %q is not escaped", p)
		}
		res, body = b.do(http.MethodPost, "/connexion", url.Values{"email": {p + "@example.fr"}, "password": {p}}, origin)
		if res.StatusCode >= 500 || strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<img src=x") {
			t.Errorf("POST /connexion with %q: %d, payload unescaped or error", p, res.StatusCode)
		}
	}
	if res, _ := b.get("/api/v1/licences/1%27%20OR%201=1"); res.StatusCode >= 500 {
		t.Errorf("SQL in the API path: %d", res.StatusCode)
	}
}

// The public tracking and the check codes are limited per client.
func rateLimits(t *testing.T, in *instance) {
	for path, form := range map[string]url.Values{
		"/suivi":               {"reference": {"DEM-2026-AAAAAA"}, "birth_date": {"1980-02-03"}},
		"/verification-permis": {"code": {"ABCD2345EFGH"}, "ending": {"1234"}, "organisation": {"x"}},
	} {
		b := newBrowser(t, in)
		last := 0
		for range 25 {
			res, _ := b.do(http.MethodPost, path, form, map[string]string{"Origin": in.URL})
			last = res.StatusCode
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("POST %s 25 times from one client: last %d, want 429", path, last)
		}
	}
}

// Finding 14: the demo provider reflects no foreign Origin with credentials.
func providerCORS(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	for _, path := range []string{"/fc-demo/.well-known/openid-configuration", "/fc-demo/userinfo"} {
		res, _ := b.do(http.MethodOptions, path, nil, map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
		if res.Header.Get("Access-Control-Allow-Origin") == "https://evil.example" || res.Header.Get("Access-Control-Allow-Credentials") == "true" {
			t.Errorf("OPTIONS %s from another site: Allow-Origin %q, credentials %q", path,
				res.Header.Get("Access-Control-Allow-Origin"), res.Header.Get("Access-Control-Allow-Credentials"))
		}
	}
}

// Finding 13: PostgreSQL connections killed under the server: reads
// succeed (run once more) or answer 503 with Retry-After, never 500.
func connectionKilled(t *testing.T, in *instance) {
	b := newBrowser(t, in)
	admin, err := sql.Open("pgx", strings.Split(in.DB, "&application_name=")[0])
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for range 3 {
		if res, _ := b.get("/points-accueil"); res.StatusCode != http.StatusOK {
			t.Fatalf("GET /points-accueil before: %d", res.StatusCode)
		}
		if _, err := admin.ExecContext(context.Background(),
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'permis_securitytest'`); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/points-accueil", "/api/v1/licences/123456789012"} {
			res, body := b.get(path)
			switch {
			case res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "":
				t.Errorf("GET %s after pg_terminate_backend: 503 without Retry-After", path)
			case res.StatusCode >= 500 && res.StatusCode != http.StatusServiceUnavailable:
				t.Errorf("GET %s after pg_terminate_backend: %d %s", path, res.StatusCode, body)
			}
		}
	}
}

// Bad command lines: exit status 2 and one line on stderr for a bad
// value; an unknown option or command also exits 2 (after the usage).
func TestCLIBadInputs(t *testing.T) {
	data := t.TempDir()
	run := func(args ...string) (int, string) {
		cmd := exec.Command(binary, args...)
		cmd.Dir = data // a command without --data opens ./data: never the source tree
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), stderr.String()
		}
		return 0, stderr.String()
	}
	for _, args := range [][]string{
		{"neph", "check", "12AB"},
		{"neph", "check", "<script>alert(1)</script>"},
		{"title", "check", "' OR 1=1 --"},
		{"token", "create", "--role", "nope", "--name", "x", "--data", data},
		{"token", "create", "--role", "photographer", "--name", "x", "--data", data},
		{"token", "revoke", "abc", "--data", data},
		{"serve", "--demo", "--addr", "0.0.0.0:0", "--data", data},
	} {
		if code, stderr := run(args...); code != 2 || lines(stderr) != 1 {
			t.Errorf("permis %s: exit %d, stderr %q; want exit 2 and one line", strings.Join(args, " "), code, stderr)
		}
	}
	for _, args := range [][]string{{"serve", "--nope"}, {"nope"}} {
		if code, stderr := run(args...); code != 2 || !strings.HasPrefix(lastLine(stderr), "permis: ") {
			t.Errorf("permis %s: exit %d, last line %q; want exit 2 and a last line naming the problem", strings.Join(args, " "), code, lastLine(stderr))
		}
	}
}

func lastLine(s string) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	return ls[len(ls)-1]
}
