package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"permis/internal/access"
)

// fakeDSFR is a tree shaped like dsfrFiles after `make assets`, so that the
// DSFR theme can be tested without the real files.
func fakeDSFR() fstest.MapFS {
	return fstest.MapFS{
		"dsfr/README.md":               {Data: []byte("x")},
		"dsfr/dist/dsfr.min.css":       {Data: []byte("/* dsfr */")},
		"dsfr/dist/icons/a/b.svg":      {Data: []byte("<svg/>")},
		"dsfr/dist/fonts/M.woff2":      {Data: []byte("font")},
		"dsfr/dist/dsfr.module.min.js": {Data: []byte("")},
	}
}

// noDSFR is dsfrFiles before `make assets`.
func noDSFR() fstest.MapFS {
	return fstest.MapFS{"dsfr/README.md": {Data: []byte("x")}}
}

// mustRenderer builds a renderer with the given theme's files, failing t.
func mustRenderer(t testing.TB, theme string, pages fstest.MapFS, patterns ...string) *Renderer {
	t.Helper()
	dsfr := noDSFR()
	if theme == ThemeDSFR {
		dsfr = fakeDSFR()
	}
	var p fstest.MapFS
	if len(patterns) > 0 {
		p = pages
	}
	r, err := newRenderer(Options{Theme: theme, DevPages: true}, dsfr, p, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// shell returns the shell's mux with renderer r.
func shell(r *Renderer) *http.ServeMux {
	mux := http.NewServeMux()
	Register(mux, r)
	return mux
}

// get requests path from h, as actor when one is given.
func get(t testing.TB, h http.Handler, path string, actor ...access.Actor) (*http.Response, string) {
	t.Helper()
	return do(t, h, httptest.NewRequest(http.MethodGet, path, nil), actor...)
}

func do(t testing.TB, h http.Handler, req *http.Request, actor ...access.Actor) (*http.Response, string) {
	t.Helper()
	if len(actor) > 0 {
		req = req.WithContext(access.NewContext(context.Background(), actor[0]))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// count returns how many times sub occurs in s.
func count(s, sub string) int { return strings.Count(s, sub) }
