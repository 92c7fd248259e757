package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// site is a small site exercising every helper.
func site() http.Handler {
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><title>Essai</title><link rel="icon" href="data:,"></head><body><main>%s</main></body></html>`, body)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page(w, `<h1>Accueil</h1>
<form method="post" action="/envoi"><label for="nom">Nom</label><input id="nom" name="nom" value="ancien"><button id="ok">Envoyer</button></form>
<a id="suite" href="/suite">Suite</a> <a id="pdf" href="/releve.pdf">Relevé</a>`)
	})
	mux.HandleFunc("POST /envoi", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/merci?nom="+r.FormValue("nom"), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /merci", func(w http.ResponseWriter, r *http.Request) {
		page(w, `<h1 id="titre">Merci `+r.FormValue("nom")+`</h1>`)
	})
	mux.HandleFunc("GET /suite", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		page(w, `<h1>Suite</h1>`)
	})
	mux.HandleFunc("GET /releve.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="releve-2026.pdf"`)
		fmt.Fprint(w, "%PDF-1.4 essai")
	})
	mux.HandleFunc("GET /inaccessible", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html><head><title>x</title></head><body><img src="data:,"><input id="sans-etiquette"><script>console.error("boum")</script></body></html>`)
	})
	return mux
}

func TestHelpers(t *testing.T) {
	b := New(t)
	ts := httptest.NewServer(site())
	defer ts.Close()

	if got := b.VisitChecked(t, ts.URL+"/"); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if !b.Exists("#nom") || b.Exists("#absent") {
		t.Error("Exists")
	}
	b.Fill("#nom", "Dupont")
	if got := b.Submit("#nom"); got != http.StatusOK {
		t.Errorf("after submit: status %d", got)
	}
	if got := b.Text("#titre"); got != "Merci Dupont" {
		t.Errorf("Text = %q", got)
	}
	if got := b.URL(); got != ts.URL+"/merci?nom=Dupont" {
		t.Errorf("URL = %q", got)
	}
	b.Visit(ts.URL + "/")
	if got := b.Follow("#suite"); got != http.StatusTeapot {
		t.Errorf("Follow: status %d", got)
	}
	b.Visit(ts.URL + "/")
	path := b.Download("#pdf")
	if filepath.Base(path) != "releve-2026.pdf" {
		t.Errorf("downloaded as %s", path)
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != "%PDF-1.4 essai" {
		t.Errorf("downloaded %q, %v", data, err)
	}
}

// The checks find what they are meant to find.
func TestChecksReportProblems(t *testing.T) {
	b := New(t)
	ts := httptest.NewServer(site())
	defer ts.Close()
	b.Visit(ts.URL + "/inaccessible")
	var ids []string
	for _, v := range b.A11y(t) {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s (got %v)", want, ids)
		}
	}
	msgs := b.console.take()
	found := false
	for _, m := range msgs {
		found = found || strings.Contains(m.Text, "boum")
	}
	if !found {
		t.Errorf("console.error not collected: %v", msgs)
	}
}
