package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startProduction runs `permis serve` with no mode flag at all (only where to
// listen and the register), as an operator who forgot every option would.
func startProduction(t *testing.T, ctx context.Context, reg register, logs *addrWatcher) (string, <-chan error) {
	t.Helper()
	args := append([]string{"permis", "serve", "--addr", "127.0.0.1:0"}, reg.flags...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, noEnv, strings.NewReader(""), io.Discard, logs) }()
	select {
	case u := <-logs.url:
		return u, done
	case err := <-done:
		t.Fatalf("serve returned before listening: %v\n%s", err, logs)
	case <-time.After(hangGuard):
		t.Fatalf("serve did not listen\n%s", logs)
	}
	return "", nil
}

// TestServeDefaultIsProduction: `permis serve` without flags serves no demo
// data, no outbox, no demo identity provider and no test payment provider,
// and says at start which settings are unfit for production (issue 10,
// finding 1: the default used to be the demo, outbox with password-reset
// links included).
func TestServeDefaultIsProduction(t *testing.T) {
	reg := newSQLiteRegister(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := newAddrWatcher()
	base, done := startProduction(t, ctx, reg, logs)

	for _, path := range []string{
		"/dev/courriels",
		"/dev/composants",
		"/fc-demo/.well-known/openid-configuration",
		"/paiement-test/",
	} {
		if status, _ := httpGet(t, base+path, ""); status != http.StatusNotFound {
			t.Errorf("GET %s = %d in production, want 404", path, status)
		}
	}
	if status, body := httpGet(t, base+"/connexion", ""); status != http.StatusOK {
		t.Errorf("GET /connexion = %d", status)
	} else if strings.Contains(string(body), "démonstration") {
		t.Errorf("the sign-in page offers the demo identity in production")
	}
	n, err := mustOpenStore(t, reg.dsn).CountLicences(context.Background())
	if err != nil || n != 0 {
		t.Errorf("production register holds %d licences (err %v), want none: no demo data", n, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	log := logs.String()
	for _, setting := range []string{"--oidc-issuer", "--signing-key", "--smtp-host", "--database", "--public-url", "--issuer-name"} {
		if c := strings.Count(log, "level=WARN msg=\"réglage impropre à la production\" réglage="+setting+" "); c != 1 {
			t.Errorf("%d WARN lines for %s, want one:\n%s", c, setting, log)
		}
	}
	if strings.Contains(log, "réglage=--demo") || strings.Contains(log, "réglage=--dev-pages") {
		t.Errorf("production warns about demo settings it does not use:\n%s", log)
	}
}

// TestServeDemoOnlyOnThisMachine: demo mode (and the developer pages) refuse
// to start where someone else could reach them: exit status 2, one line
// saying why, nothing opened.
func TestServeDemoOnlyOnThisMachine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"all interfaces", []string{"--demo", "--addr", ":8080"}, "adresse locale"},
		{"any address", []string{"--demo", "--addr", "0.0.0.0:8080"}, "adresse locale"},
		{"public host", []string{"--demo", "--addr", "permis.example.fr:8080"}, "adresse locale"},
		{"https public url", []string{"--demo", "--addr", "127.0.0.1:0", "--public-url", "https://permis.example.fr"}, "adresse publique"},
		{"remote public url", []string{"--demo", "--addr", "127.0.0.1:0", "--public-url", "http://permis.example.fr"}, "adresse publique"},
		{"dev pages alone", []string{"--dev-pages=true", "--addr", "0.0.0.0:8080"}, "pages de développement"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r := runPermis(t, "", append([]string{"serve", "--data", dir}, tc.args...)...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			lines := r.stderrLines()
			if len(lines) != 1 || !strings.Contains(lines[0], tc.want) || !strings.Contains(lines[0], "docs/operations.md") {
				t.Fatalf("stderr %q, want one line naming %q and docs/operations.md", lines, tc.want)
			}
		})
	}
}
