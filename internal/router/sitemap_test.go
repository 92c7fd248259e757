package router_test

import (
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"permis/internal/router"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

var linkRE = regexp.MustCompile(`<a href="([^"]*)"[^>]*>([^<]*)</a>`)

// The site map is built from the route table: every public GET page is
// listed there with a French title (a page added without one shows up under
// "Autres pages", by its path, and this test fails until it gets a title
// in sitemap.go or a reason not to be listed).
func TestSiteMapListsEveryPublicPage(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	res := e.Do(t, routertest.Session{}, http.MethodGet, "/plan-du-site", nil)
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/plan-du-site: %d", res.StatusCode)
	}
	page := string(body)
	main := page[strings.Index(page, "<main"):strings.Index(page, "</main>")]
	if strings.Contains(main, "Autres pages") {
		t.Error("the site map has pages without a title (section « Autres pages ») : give them one in internal/router/sitemap.go")
	}
	titles := map[string]string{}
	for _, m := range linkRE.FindAllStringSubmatch(main, -1) {
		titles[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	public := 0
	for _, r := range router.SitePages(e.Routes.Session) {
		path := strings.TrimSuffix(strings.TrimPrefix(r.Pattern, "GET "), "{$}")
		title, ok := titles[path]
		switch {
		case !ok && r.Policy.IsPublic():
			t.Errorf("public page %s is missing from the site map", path)
		case ok && (title == path || strings.TrimSpace(title) == ""):
			t.Errorf("page %s is listed without a French title", path)
		}
		if r.Policy.IsPublic() {
			public++
		}
	}
	if public < 15 {
		t.Errorf("only %d public pages found in the route table", public)
	}
	// The help centre's articles are listed too.
	for _, want := range []string{"/aide/neph", "/aide/assr2", "/suivi", "/rendez-vous", "/points-accueil", "/verification-permis"} {
		if _, ok := titles[want]; !ok {
			t.Errorf("%s is not in the site map", want)
		}
	}
}
