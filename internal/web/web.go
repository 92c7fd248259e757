// Package web serves the public pages. For now the home page only says what
// the service offers and where the API is; the citizen portal comes next
// (issue "Citizen portal and accounts").
package web

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"

	"permis/internal/server"
)

//go:embed templates/*.html static
var files embed.FS

// Register adds the public pages to mux and returns their patterns (all
// public). Templates are parsed here, at start-up, so a broken template
// fails fast.
func Register(mux *http.ServeMux, logger *slog.Logger) []string {
	tmpl := template.Must(template.ParseFS(files, "templates/*.html"))
	mux.Handle("GET /static/", http.FileServerFS(files))
	mux.Handle("GET /{$}", server.Handle(logger, func(w http.ResponseWriter, r *http.Request) error {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, "home.html", homePage{Title: "Permis de conduire — service en ligne"}); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, err := buf.WriteTo(w)
		return err
	}))
	return []string{"GET /static/", "GET /{$}"}
}

// homePage is the home page's data.
type homePage struct{ Title string }
