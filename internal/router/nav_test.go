package router_test

import (
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

var hrefRE = regexp.MustCompile(`<a [^>]*href="(/[^"#]*)[^"]*"`)

// Every link of the home page and of the header's navigation opens for the
// person who sees it: anonymous visitors (a page of their own, or the
// sign-in page), and each role signed in (never a 403 or a 404), and "Mon
// espace" and "Aller à mon espace" lead each role to its own space.
func TestHomeAndNavigationLinksOpenForEachRole(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 5})
	sessions := map[string]routertest.Session{"anonymous": {}, "citizen": e.Citizen(t, "48m", true)}
	for _, r := range access.Roles() {
		if r != access.Citizen {
			sessions[string(r)] = e.Staff(t, r)
		}
	}
	homes := map[string]string{
		"citizen": "/mon-espace", "driving_school": "/auto-ecole", "agent": "/agents/demandes",
		"helpdesk": "/agents", "admin": "/agents", "photographer": "/photographe", "prosecutor": "/agents/contestations",
		"doctor": "/medecin",
	}
	get := func(s routertest.Session, path string) (int, string, string) {
		res := e.Do(t, s, http.MethodGet, path, nil)
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Location"), string(body)
	}
	for name, s := range sessions {
		t.Run(name, func(t *testing.T) {
			code, _, page := get(s, "/")
			if code != http.StatusOK {
				t.Fatalf("/: %d", code)
			}
			if strings.Contains(page, "bientôt proposées") {
				t.Error("the home page still says requests will come")
			}
			nav := page[strings.Index(page, `<nav class="fr-nav"`):]
			nav = nav[:strings.Index(nav, "</nav>")]
			if len(hrefRE.FindAllString(nav, -1)) < 3 {
				t.Errorf("the header's navigation has fewer than 3 links:\n%s", nav)
			}
			want := homes[name]
			for _, id := range []string{"home-space", "header-home"} {
				m := regexp.MustCompile(`id="` + id + `"|href="([^"]*)" id="` + id + `"`).FindStringSubmatch(page)
				switch {
				case want == "" && m != nil:
					t.Errorf("#%s shown to %s, who has no space", id, name)
				case want != "" && (m == nil || m[1] != want):
					t.Errorf("#%s of %s: %v, want %s", id, name, m, want)
				}
			}
			main := page[strings.Index(page, "<header"):strings.Index(page, "</main>")]
			seen := map[string]bool{}
			for _, m := range hrefRE.FindAllStringSubmatch(main, -1) {
				link := html.UnescapeString(m[1])
				if seen[link] {
					continue
				}
				seen[link] = true
				code, loc, _ := get(s, link)
				switch {
				case code == http.StatusOK:
				case code == http.StatusSeeOther && name == "anonymous" && strings.HasPrefix(loc, "/connexion?retour="):
				default:
					t.Errorf("%s opens %s: %d %s", name, link, code, loc)
				}
			}
		})
	}
}
