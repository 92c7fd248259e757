package portal_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"permis/internal/booking"
	"permis/internal/directory"
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

// One help point is one thing: each help point that takes appointments is
// a directory entry with the same name, address, hours and access; its
// directory page books it (its own booking page, which names it the
// same); another help point of the same commune does not claim to be it.
func TestHelpPointIsOnePlace(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	ctx := context.Background()
	get := func(path string) string {
		t.Helper()
		res := e.Do(t, routertest.Session{}, http.MethodGet, path, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return read(t, res)
	}
	seed, err := directory.Seed()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]directory.Entry{}
	for _, en := range seed {
		byID[en.SourceID] = en
	}
	pts, err := e.App.Appointments(booking.Config{}).HelpPoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	demo, ids := booking.DemoHelpPoints(), booking.DemoDirectoryIDs()
	if len(pts) != len(demo) || len(ids) != len(demo) {
		t.Fatalf("%d help points, %d demo, %d ids", len(pts), len(demo), len(ids))
	}
	for i, hp := range demo {
		en, ok := byID[ids[i]]
		if !ok {
			t.Errorf("%s: no directory entry %s", hp.Name, ids[i])
			continue
		}
		if en.Name != hp.Name || en.Address != hp.Address || en.OpeningHours != hp.OpeningHours || en.Accessibility != hp.Accessibility || en.INSEE != hp.INSEE {
			t.Errorf("%s: the directory says %q, %q, %q, %q", hp.Name, en.Name, en.Address, en.OpeningHours, en.Accessibility)
		}
	}
	// From the directory's search to the booking of the same place.
	page := get("/points-accueil?lieu=montpellier&rayon=5&type=help_point")
	booked := 0
	for _, l := range regexp.MustCompile(`href="(/points-accueil/\d+)"`).FindAllStringSubmatch(page, -1) {
		p := get(l[1])
		name := regexp.MustCompile(`<h1[^>]*>([^<]+)</h1>`).FindStringSubmatch(p)
		m := regexp.MustCompile(`id="book" href="(/rendez-vous/\d+)">Prendre rendez-vous<`).FindStringSubmatch(p)
		if m == nil {
			continue
		}
		booked++
		if b := get(m[1]); name == nil || !strings.Contains(b, name[1]) {
			t.Errorf("%s books %s, which does not name it", l[1], m[1])
		}
		if strings.Contains(p, "par courriel ou par téléphone") {
			t.Errorf("%s takes appointments online but says to write or phone", l[1])
		}
	}
	if booked != 1 {
		t.Errorf("%d places near Montpellier's préfecture book as themselves, want 1 (the préfecture's point numérique)", booked)
	}
}
