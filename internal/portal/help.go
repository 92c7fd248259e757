package portal

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"permis/internal/apperr"
	"permis/internal/help"
	"permis/internal/web"
)

// The help centre's pages: one article, and the search. The list is on
// /aide (package web, fed with help.Articles by the router).

type articlePage struct {
	web.Page
	Article help.Article
	Related []help.Article
}

func (p *Portal) helpArticle(w http.ResponseWriter, r *http.Request) error {
	a, ok := help.Find(r.PathValue("slug"))
	if !ok {
		return apperr.New(apperr.NotFound, "Cette page d'aide n'existe pas.")
	}
	pg := &articlePage{Page: web.Page{Title: a.Title, Breadcrumb: []web.Link{{Href: "/aide", Text: "Aide"}, {Text: a.Title}}},
		Article: a, Related: help.Related(a.Slug)}
	return p.r.Render(w, r, http.StatusOK, "help_article.html", pg)
}

type helpSearchPage struct {
	web.Page
	Query   string
	Results []help.Result
}

func (p *Portal) helpSearch(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > 100 {
		q = string([]rune(q)[:100])
	}
	pg := &helpSearchPage{Page: web.Page{Title: "Rechercher dans l'aide", Breadcrumb: []web.Link{{Href: "/aide", Text: "Aide"}, {Text: "Recherche"}}},
		Query: q, Results: help.Search(q)}
	return p.r.Render(w, r, http.StatusOK, "help_search.html", pg)
}

// HelpTopics are the articles as the /aide page lists them.
func HelpTopics() []web.Link {
	var out []web.Link
	for _, a := range help.Articles() {
		out = append(out, web.Link{Href: a.Href(), Text: a.Title})
	}
	return out
}
