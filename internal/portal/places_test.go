package portal_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// Photographers and doctors are named by what they are in the search
// results, never "Lieu de médiation numérique" (they were); a help point's
// page has a booking button: this commune's bookable help point when there
// is one, else the list of those that take appointments (it had none).
func TestPlacesLabelsAndBooking(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	get := func(path string) string {
		t.Helper()
		res := e.Do(t, routertest.Session{}, http.MethodGet, path, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return read(t, res)
	}
	for _, kind := range []string{"photographer", "approved_doctor"} {
		page := get("/points-accueil?lieu=montpellier&rayon=100&type=" + kind)
		if n := strings.Count(page, `<li class="fr-mb-3w">`); n == 0 {
			t.Fatalf("%s: no result to check", kind)
		}
		if strings.Contains(page, "Lieu de médiation numérique") {
			t.Errorf("%s labelled as a lieu de médiation numérique", kind)
		}
	}

	page := get("/points-accueil?lieu=lodeve&rayon=100")
	links := regexp.MustCompile(`href="(/points-accueil/\d+)"`).FindAllStringSubmatch(page, -1)
	if len(links) == 0 {
		t.Fatal("no help point near Lodève")
	}
	here := 0
	for _, l := range links {
		p := get(l[1])
		m := regexp.MustCompile(`id="book" href="([^"]+)"`).FindStringSubmatch(p)
		if m == nil {
			t.Errorf("%s: no booking button", l[1])
			continue
		}
		if m[1] != "/rendez-vous" {
			here++
		}
		if res := e.Do(t, routertest.Session{}, http.MethodGet, m[1], nil); res.StatusCode != http.StatusOK {
			t.Errorf("%s: booking link %s answers %d", l[1], m[1], res.StatusCode)
		}
	}
	if here == 0 {
		t.Error("no help point near Lodève books at its own place (the sous-préfecture of Lodève takes appointments)")
	}
}
