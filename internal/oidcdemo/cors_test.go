package oidcdemo_test

import (
	"net/http"
	"testing"
)

// The demo provider does not let another site read its answers with the
// visitor's cookies: no Origin is reflected with credentials (issue 10,
// finding 14; the provider library's default reflected every Origin).
func TestCORSDoesNotReflectOtherOrigins(t *testing.T) {
	s := newSite(t, "/fc-demo")
	for _, path := range []string{"/.well-known/openid-configuration", "/userinfo", "/keys", "/oauth/token"} {
		for _, method := range []string{http.MethodGet, http.MethodOptions} {
			req, _ := http.NewRequest(method, s.issuer+path, nil)
			req.Header.Set("Origin", "https://evil.example")
			if method == http.MethodOptions {
				req.Header.Set("Access-Control-Request-Method", http.MethodGet)
				req.Header.Set("Access-Control-Request-Headers", "Authorization")
			}
			res, _ := fetch(t, noRedirect, req)
			if got := res.Header.Get("Access-Control-Allow-Origin"); got == "https://evil.example" || got == "*" && res.Header.Get("Access-Control-Allow-Credentials") == "true" {
				t.Errorf("%s %s from another site: Access-Control-Allow-Origin %q", method, path, got)
			}
			if res.Header.Get("Access-Control-Allow-Credentials") == "true" {
				t.Errorf("%s %s: credentials allowed across origins", method, path)
			}
		}
	}
}
