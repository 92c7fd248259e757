package main

import (
	"strings"
	"testing"
)

// Accepting the v1-shaped unsigned userinfo is allowed, but named as unfit
// for production; the citizens' provider needs its client id and secret,
// and the flag a boolean.
func TestOIDCFlags(t *testing.T) {
	has := func(pf *portalFlags, setting string) bool {
		for _, u := range unfitSettings(&common{}, pf, false) {
			if u.setting == setting {
				return true
			}
		}
		return false
	}
	if has(&portalFlags{oidcUnsigned: "false"}, "--oidc-allow-unsigned-userinfo") {
		t.Error("unsigned userinfo refused, yet named unfit")
	}
	if !has(&portalFlags{oidcUnsigned: "true"}, "--oidc-allow-unsigned-userinfo") {
		t.Error("unsigned userinfo accepted, not named unfit")
	}

	pf := &portalFlags{oidcIssuer: "https://fc.example/api/v2", oidcClientID: "id", oidcSecret: "s", oidcUnsigned: "false",
		oidcACR: "eidas1", oidcPrompt: "login consent"}
	cfg, err := pf.citizenOIDC("https://permis.example/connexion/oidc/retour")
	if err != nil || cfg.AllowUnsignedUserinfo || strings.Join(cfg.ACRValues, " ") != "eidas1" || cfg.Prompt != "login consent" {
		t.Fatalf("citizenOIDC = %+v, %v", cfg, err)
	}
	pf.oidcUnsigned = "peut-être"
	if _, err := pf.citizenOIDC(""); err == nil || !strings.Contains(err.Error(), "--oidc-allow-unsigned-userinfo") {
		t.Errorf("a non-boolean flag: %v", err)
	}
	pf.oidcUnsigned, pf.oidcSecret = "true", ""
	if _, err := pf.citizenOIDC(""); err == nil || !strings.Contains(err.Error(), "--oidc-client-secret") {
		t.Errorf("no client secret: %v", err)
	}
}
