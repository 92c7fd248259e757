package web

import (
	"strings"
	"testing"

	"permis/internal/access"
)

// Both themes draw the header's navigation, by role, with the current
// page marked: a visitor sees the public tasks, an agent the queue and the
// support, never a citizen's pages.
func TestHeaderNavigationByRoleInBothThemes(t *testing.T) {
	agent := access.Actor{Kind: access.KindUser, ID: "a1", Name: "Dominique Agent", Role: access.Agent}
	for _, theme := range []string{ThemeNeutral, ThemeDSFR} {
		h := shell(mustRenderer(t, theme, nil))
		_, body := get(t, h, "/aide")
		nav := body[strings.Index(body, `<nav class="fr-nav"`):]
		nav = nav[:strings.Index(nav, "</nav>")]
		for _, want := range []string{`href="/suivi"`, `href="/rendez-vous"`, `href="/points-accueil"`, `href="/verification-permis"`, `href="/aide" aria-current="page"`} {
			if !strings.Contains(nav, want) {
				t.Errorf("%s: no %s in a visitor's navigation:\n%s", theme, want, nav)
			}
		}
		_, body = get(t, h, "/aide", agent)
		nav = body[strings.Index(body, `<nav class="fr-nav"`):]
		nav = nav[:strings.Index(nav, "</nav>")]
		if !strings.Contains(nav, `href="/agents/demandes"`) || strings.Contains(nav, "/mes-demarches") {
			t.Errorf("%s: an agent's navigation:\n%s", theme, nav)
		}
	}
}

func TestNavMarksTheSectionOfAPage(t *testing.T) {
	u := &User{Role: access.Admin}
	for path, want := range map[string]string{
		"/agents":                "/agents=page",
		"/agents/demandes":       "/agents/demandes=page",
		"/agents/demandes/12":    "/agents/demandes=true",
		"/agents/signalements/3": "/agents/signalements=true",
		"/mentions-legales":      "",
	} {
		var got []string
		for _, l := range navOf(u, path) {
			if l.Current != "" {
				got = append(got, l.Href+"="+l.Current)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: marked %v, want %q", path, got, want)
		}
	}
}
