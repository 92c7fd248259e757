package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStaticFiles(t *testing.T) {
	r := mustRenderer(t, ThemeDSFR, nil)
	h := shell(r)
	res, body := get(t, h, "/static/site.css?v="+r.version)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, ".fr-header__tools-links") {
		t.Fatalf("site.css: %d", res.StatusCode)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned URL: Cache-Control %q", cc)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
	res, _ = get(t, h, "/static/site.css?v=ancienne")
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=3600" {
		t.Errorf("old version: Cache-Control %q", cc)
	}
	req := httptest.NewRequest(http.MethodGet, "/static/neutral.css", nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	if res, _ := do(t, h, req); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.StatusCode)
	}
	if res, body := get(t, h, "/static/dsfr/icons/a/b.svg"); res.StatusCode != http.StatusOK || body != "<svg/>" {
		t.Errorf("DSFR file: %d %q", res.StatusCode, body)
	}
	// The neutral theme serves no DSFR file, even when they are built in.
	neutral, err := newRenderer(Options{Theme: ThemeNeutral}, fakeDSFR(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := get(t, shell(neutral), "/static/dsfr/dsfr.min.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("neutral theme serves DSFR: %d", res.StatusCode)
	}
}

// The version in static URLs changes with the files, so that browsers
// never keep an old stylesheet.
func TestStaticVersionFollowsTheFiles(t *testing.T) {
	a := mustRenderer(t, ThemeDSFR, nil)
	other := fakeDSFR()
	other["dsfr/dist/dsfr.min.css"].Data = []byte("/* dsfr v2 */")
	b, err := newRenderer(Options{Theme: ThemeDSFR}, other, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.version == b.version || a.version == "" {
		t.Errorf("versions %q and %q", a.version, b.version)
	}
}
