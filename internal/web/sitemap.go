package web

import (
	"net/http"

	"permis/internal/access"
)

// SiteSection is one heading of the site map: its pages, and a note saying
// who may open them ("après connexion…") when they are not public.
type SiteSection struct {
	Title string
	Note  string
	Links []Link
}

// siteMapPage is the data of /plan-du-site.
type siteMapPage struct {
	Page
	Sections []SiteSection
}

// siteMap serves /plan-du-site with the sections Options.SiteMap gives
// (the router builds them from its route table).
func (r *Renderer) siteMap(w http.ResponseWriter, req *http.Request) error {
	pg := &siteMapPage{Page: Page{Title: "Plan du site"}}
	if r.siteMapOf != nil {
		pg.Sections = r.siteMapOf(userOf(access.FromContext(req.Context())))
	}
	return r.Render(w, req, http.StatusOK, "plan-du-site.html", pg)
}
